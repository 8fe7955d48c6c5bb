"""The registry of government websites and new-media accounts (S1-1, S2-2) and their filings (S1-3.2, S2-16).

- `Outlet`: one website or account, with its platform, name, avatar, account id/URL, verification subject, host
  unit (主办, "who opens it hosts it"), undertaking unit (承办) with its confidentiality agreement and expiry (S2-7),
  competent office (S1-2, S2-4/8), status and its people (`OutletPerson`, S2-13).
- `Filing`: an opening, change, closing or cancellation, a case on `lvzhi.workflow` (`workflows.FILING_FLOW`);
  `Rejection`: the office's reasoned written answer when a filing does not comply (S2-16).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Platform(models.TextChoices):
    PORTAL = "portal", _("Government portal website")
    SITE = "site", _("Department website")
    WECHAT = "wechat", _("WeChat")
    WEIBO = "weibo", _("Weibo")
    DOUYIN = "douyin", _("Douyin")
    TOUTIAO = "toutiao", _("Toutiao")
    APP = "app", _("Own mobile app")
    OTHER = "other", pgettext_lazy("platform", "Other")


WEBSITES = (Platform.PORTAL, Platform.SITE)


class Status(models.TextChoices):
    PLANNED = "planned", _("Awaiting filing")
    OPEN = "open", pgettext_lazy("outlet", "Open")
    CHANGING = "changing", _("Changing")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", pgettext_lazy("outlet", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("outlet", "Cancelled")


ACTIVE = (Status.PLANNED, Status.OPEN, Status.CHANGING, Status.CLOSING)


class Origin(models.TextChoices):
    REGISTERED = "registered", _("Registered on the platform")
    INVENTORY = "inventory", _("Found in the inventory")


class NameApproval(models.TextChoices):
    NOT_NEEDED = "not_needed", _("Not needed")
    PENDING = "pending", _("Awaiting the city's approval")
    APPROVED = "approved", _("Approved by the city")
    REFUSED = "refused", _("Refused by the city")


class Outlet(models.Model):
    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=60)
    avatar = models.FileField(_("avatar"), upload_to="newmedia/avatars/", blank=True)
    avatar_sha256 = models.CharField(max_length=64, blank=True)
    account_id = models.CharField(_("account id"), max_length=100, blank=True)
    url = models.CharField(_("address"), max_length=300, blank=True)
    verification_subject = models.CharField(_("verification subject"), max_length=100)
    host_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="newmedia_hosted"
    )
    undertaking_unit = models.CharField(_("undertaking unit"), max_length=100, blank=True)
    agreement = models.FileField(_("confidentiality agreement"), upload_to="newmedia/agreements/", blank=True)
    agreement_expires = models.DateField(_("agreement expires"), null=True, blank=True)
    competent_office = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("competent office"), on_delete=models.PROTECT, related_name="newmedia_competent"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices, default=Origin.REGISTERED)
    name_approval = models.CharField(
        _("name approval"), max_length=12, choices=NameApproval.choices, default=NameApproval.NOT_NEEDED
    )
    in_matrix = models.BooleanField(_("in the matrix"), default=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_date = models.DateField(_("date of the collective decision"), null=True, blank=True)
    decision_ref = models.CharField(_("collective decision"), max_length=100, blank=True)
    head_consent = models.BooleanField(_("the head consented"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("website or account")
        verbose_name_plural = _("websites and accounts")
        ordering = ["host_unit__path", "platform", "pk"]
        constraints = [
            # S1-3.1, S2-11: one account per unit per platform (the inventory may hold old duplicates to clear).
            models.UniqueConstraint(
                fields=["host_unit", "platform"],
                condition=Q(origin="registered", status__in=["planned", "open", "changing", "closing"]),
                name="newmedia_one_per_unit_platform",
            )
        ]
        indexes = [
            models.Index(fields=["body", "status"], name="newmedia_outlet_body_status"),
            models.Index(fields=["host_unit", "platform"], name="newmedia_outlet_unit_platform"),
            models.Index(fields=["competent_office", "status"], name="newmedia_outlet_office"),
            models.Index(fields=["name_approval"], name="newmedia_outlet_name_appr"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_website(self) -> bool:
        return self.platform in WEBSITES

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class Duty(models.TextChoices):
    CHIEF_EDITOR = "chief_editor", _("Chief editor")
    EDITOR = "editor", _("Editor")
    REVIEWER = "reviewer", _("Reviewer")
    TECHNICAL = "technical", _("Technical staff")


class OutletPerson(models.Model):
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="people")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    duty = models.CharField(_("duty"), max_length=20, choices=Duty.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["outlet", "user", "duty"], name="newmedia_person_once")]
        indexes = [models.Index(fields=["user"], name="newmedia_person_user")]


class FilingKind(models.TextChoices):
    OPEN = "open", _("Opening")
    CHANGE = "change", _("Change")
    CLOSE = "close", _("Closing")
    CANCEL = "cancel", _("Cancellation")


class Filing(models.Model):
    class Status(models.TextChoices):
        DECIDED = "decided", _("Decided, to be filed")
        FILED = "filed", _("Filed, under review")
        REJECTED = "rejected", _("Rejected in writing")
        ACCEPTED = "accepted", _("Accepted, to be reported")
        REPORTED = "reported", _("Reported to the province")

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="filings")
    kind = models.CharField(_("kind"), max_length=10, choices=FilingKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DECIDED)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    decision_date = models.DateField(_("date of the collective decision"))
    decision_ref = models.CharField(_("collective decision"), max_length=100)
    head_consent = models.BooleanField(_("the head consented"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(default=dict, blank=True)  # a change: the new values (name, host_unit, …)
    merge_into = models.ForeignKey(Outlet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    file_by = models.DateField(_("to be filed by"))
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    on_time = models.BooleanField(_("filed on time"), null=True)
    times_filed = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported upward"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    notice_from = models.DateField(_("notice published"), null=True, blank=True)
    notice_until = models.DateField(_("notice ends"), null=True, blank=True)
    effective_on = models.DateField(_("takes effect"), null=True, blank=True)
    effected_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)
    office_alerted_at = models.DateTimeField(null=True, blank=True)  # an overdue filing escalated to the office
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One running filing per account at a time.
            models.UniqueConstraint(
                fields=["outlet"],
                condition=Q(status__in=["decided", "filed", "rejected"]),
                name="newmedia_one_running_filing",
            )
        ]
        indexes = [
            models.Index(fields=["office", "status"], name="newmedia_filing_office"),
            models.Index(fields=["unit", "status"], name="newmedia_filing_unit"),
            models.Index(fields=["next_due_at"], name="newmedia_filing_due"),
            models.Index(fields=["effective_on"], condition=Q(effected_at__isnull=True), name="newmedia_filing_effect"),
            models.Index(fields=["on_time"], name="newmedia_filing_on_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.outlet_id}"


class Rejection(models.Model):
    """The office's written answer that a filing does not comply (S2-16): numbered, reasoned, signed."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="rejections")
    number = models.CharField(_("document number"), max_length=40)
    reasons = models.TextField(_("reasons"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["filing", "number"], name="newmedia_rejection_number")]
