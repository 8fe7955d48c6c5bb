"""Inspections and the annual assessment of government websites and new media (issue 16; S1-5.3, S2-40, S2-41,
S1-3.4, S2-32).

- `SchemeVersion` / `Indicator`: the State Council's 2019 indicator scheme as versioned data (loaded from
  `data/indicators-<version>.json`); a year's assessment keeps the version it used.
- `SelfInspection`: a unit's quarterly self-inspection report of its outlets, due within 5 working days after the
  quarter ends (`workflows.SELF_FLOW`), reviewed by the competent office.
- `Round` / `OutletCheck` / `CheckItem`: a monthly round or quarterly spot check by the competent office, or a
  higher-level (provincial, national) check it records; each outlet scored on the scheme; results published.
- `Rectification`: a finding of a check, a case for the host unit with a deadline (`workflows.FIX_FLOW`).
- `Assessment`: the year's result per outlet; `AccountabilityAction`: what was done about a unit (S2-41);
  `SecurityDuty`: password changes, monitoring arrangements and emergency plans per outlet (S1-3.4).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AppliesTo(models.TextChoices):
    WEBSITE = "website", _("Websites")
    NEWMEDIA = "newmedia", _("New media")


class IndicatorKind(models.TextChoices):
    VETO = "veto", _("Single veto")
    DEDUCTION = "deduction", _("Deduction")


class SchemeVersion(models.Model):
    version = models.CharField(_("version"), max_length=20, unique=True)
    valid_from = models.PositiveSmallIntegerField(_("applies from year"))
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("source"))
    note = models.TextField(_("note"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=60)
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from", "-pk"]
        indexes = [models.Index(fields=["valid_from"], name="insp_scheme_from")]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("indicator"), max_length=300)
    area = models.CharField(_("area"), max_length=40)
    kind = models.CharField(_("kind"), max_length=10, choices=IndicatorKind.choices)
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices)
    services = models.BooleanField(default=False)  # a service indicator: left out for bodies without services
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="insp_indicator_code")]
        indexes = [models.Index(fields=["version", "applies_to"], name="insp_indicator_applies")]

    def __str__(self):
        return f"{self.code} {self.name}"


class SelfInspection(models.Model):
    class Status(models.TextChoices):
        DUE = "due", _("To be reported")
        SUBMITTED = "submitted", _("Submitted, under review")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DUE)
    report = models.TextField(_("report"), blank=True)
    findings = models.JSONField(default=list, blank=True)  # what the report was generated from
    outlet_ids = models.JSONField(default=list, blank=True)
    due_on = models.DateField(_("report due"), null=True, blank=True)  # the quarterly report's last day (S1-5.3)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    on_time = models.BooleanField(_("submitted on time"), null=True)  # the first submission against `due_on`
    late_days = models.PositiveSmallIntegerField(_("working days late"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="insp_self_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="insp_self_quarter"),
        ]
        indexes = [
            models.Index(fields=["office", "status"], name="insp_self_office"),
            models.Index(fields=["unit", "status"], name="insp_self_unit"),
            models.Index(fields=["next_due_at"], name="insp_self_due"),
        ]

    def __str__(self):
        return f"{self.year}Q{self.quarter}"


class RoundKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly inspection round")
    SPOT = "spot", _("Quarterly spot check")
    PROVINCIAL = "provincial", _("Provincial check")
    NATIONAL = "national", _("National check")


HIGHER_LEVEL = (RoundKind.PROVINCIAL, RoundKind.NATIONAL)


class Round(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("round", "Being scored")
        PUBLISHED = "published", _("Results published")

    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices)
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(_("month or quarter"))
    checked_on = models.DateField(_("checked on"))
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-checked_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "kind", "year", "period"],
                condition=Q(kind__in=["monthly", "spot"]),
                name="insp_round_once",
            )
        ]
        indexes = [
            models.Index(fields=["office", "year"], name="insp_round_office"),
            models.Index(fields=["status", "published_at"], name="insp_round_published"),
        ]

    def __str__(self):
        return self.title

    @property
    def higher_level(self) -> bool:
        return self.kind in HIGHER_LEVEL


class OutletCheck(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="checks")
    outlet = models.ForeignKey("newmedia.Outlet", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")  # the host unit then
    items_checked = models.PositiveSmallIntegerField(default=0)
    deductions = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    veto = models.BooleanField(default=False)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "unit__path", "outlet_id"]
        constraints = [models.UniqueConstraint(fields=["round", "outlet"], name="insp_check_once")]
        indexes = [models.Index(fields=["outlet", "round"], name="insp_check_outlet")]


class CheckItem(models.Model):
    outlet_check = models.ForeignKey(OutletCheck, on_delete=models.CASCADE, related_name="items")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    deduction = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    veto_hit = models.BooleanField(default=False)
    note = models.CharField(_("finding"), max_length=500, blank=True)

    class Meta:
        ordering = ["indicator__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["outlet_check", "indicator"], name="insp_item_once")]


class Rectification(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("To be fixed")
        FIXED = "fixed", _("Reported fixed")
        CLOSED = "closed", _("Fix confirmed")

    item = models.OneToOneField(CheckItem, on_delete=models.PROTECT, related_name="rectification")
    outlet = models.ForeignKey("newmedia.Outlet", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    found_on = models.DateField(_("found on"))
    due_on = models.DateField(_("fix by"), null=True, blank=True)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    fix_note = models.TextField(_("what was done"), blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["next_due_at", "pk"]
        indexes = [
            models.Index(fields=["unit", "status"], name="insp_fix_unit"),
            models.Index(fields=["office", "status"], name="insp_fix_office"),
            models.Index(fields=["outlet", "found_on"], name="insp_fix_outlet"),
            models.Index(fields=["next_due_at"], name="insp_fix_due"),
        ]


class Assessment(models.Model):
    outlet = models.ForeignKey("newmedia.Outlet", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    veto = models.BooleanField(default=False)
    zeroed = models.BooleanField(default=False)  # a veto in a higher-level check zeroes the year (S1-5.3, S2-40)
    passed = models.BooleanField()
    basis = models.JSONField(default=dict, blank=True)  # checks, facts and deductions the score came from
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "unit__path", "outlet_id"]
        constraints = [models.UniqueConstraint(fields=["outlet", "year"], name="insp_assessment_once")]
        indexes = [
            models.Index(fields=["office", "year"], name="insp_assess_office"),
            models.Index(fields=["unit", "year"], name="insp_assess_unit"),
        ]


class ActionKind(models.TextChoices):
    TALK = "talk", _("Admonitory talk")
    NOTICE = "notice", _("Rectification notice")
    CRITICISM = "criticism", _("Circulated criticism")


class AccountabilityAction(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20)
    kind = models.CharField(_("action"), max_length=12, choices=ActionKind.choices)
    taken_on = models.DateField(_("taken on"))
    note = models.TextField(_("note"), blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]
        indexes = [models.Index(fields=["unit", "taken_on"], name="insp_action_unit")]


class DutyKind(models.TextChoices):
    PASSWORD = "password", _("Password changed")
    MONITORING = "monitoring", _("Monitoring arrangement")
    EMERGENCY = "emergency", _("Emergency plan")


class SecurityDuty(models.Model):
    outlet = models.ForeignKey("newmedia.Outlet", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=DutyKind.choices)
    done_on = models.DateField(_("date"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person responsible"), on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["outlet", "kind", "done_on"], name="insp_duty_outlet")]
