"""Duty records, points and rankings (履职管理, seed 003; activity points S0-20; department evaluation S0-21).

Every point is traceable: a `Record` (who, what, which activity, which source, who entered and who reviewed it)
earns the points of one `ScoringRule` of the body's rule set for the year; `MemberYear` holds a member's total,
kept up to date in the transaction that changes a record, and ranks are counts over its indexed totals.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Kind(models.TextChoices):
    """The record kinds of seed 003 art. 5 ("who organises, enters"), and the platform's activity (S0-20)."""

    MEETING = "meeting", _("Meeting")
    ACTIVITY = "activity", pgettext_lazy("duty kind", "Activity")
    TRAINING = "training", _("Study and training")
    PROPOSAL = "proposal", _("Proposal")
    OPINION = "opinion", _("Public-opinion report")
    PLENARY_SPEECH = "plenary_speech", _("Plenary speech")
    SPEECH = "speech", _("Speech")
    RESEARCH = "research", _("Research or inspection report")
    ARTICLE = "article", _("Theory research or publicity article")
    HISTORY = "history", _("Cultural-history material")
    SECTOR = "sector", _("Sector-group activity")
    STUDIO = "studio", _("Member studio or reception-room activity")
    PLATFORM = "platform", _("Platform activity")


class Outcome(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    LATE = "late", _("Attended late")
    EXCUSED = "excused", _("Excused absence")
    ABSENT = "absent", _("Unexcused absence")
    SUBMITTED = "submitted", pgettext_lazy("duty outcome", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("duty outcome", "Accepted")
    ADOPTED = "adopted", _("Adopted")
    INSTRUCTED = "instructed", _("Instructed by a leader")
    FILED = "filed", _("Filed")
    MERGED = "merged", pgettext_lazy("duty outcome", "Merged")
    EXCELLENT = "excellent", _("Rated excellent")
    DELIVERED = "delivered", _("Delivered")
    PUBLISHED = "published", pgettext_lazy("duty outcome", "Published")
    SIGN_IN = "sign_in", _("Sign-in days")
    READING = "reading", _("Articles read")
    FAVOURITE = "favourite", _("Favourites")
    STUDY = "study", _("Study hours")
    POST = "post", _("Deliberation posts")
    CANCELLED = "cancelled", _("Cancelled (correction)")


class Source(models.TextChoices):
    AUTO = "auto", _("Automatic")
    QR = "qr", _("QR check-in")
    HAND = "hand", _("By hand")


class EntryRule(models.Model):
    """Which unit of a body enters which kind of record (seed 003 art. 5; a county sets its own, S3-18). No unit:
    the activity's organiser enters it."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("entering unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("entry rule")
        verbose_name_plural = _("entry rules")
        constraints = [models.UniqueConstraint(fields=["body", "kind"], name="duty_entry_rule_once")]

    def __str__(self):
        return f"{self.body_id}:{self.kind}"


class RuleSet(models.Model):
    """A body's scoring rules for one year (S3-8), versioned: one active version; frozen when published."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("duty rules", "Draft")
        ACTIVE = "active", _("In force")
        RETIRED = "retired", _("Replaced by a newer version")
        FROZEN = "frozen", _("Frozen (results published)")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    year_cap = models.IntegerField(_("cap per year"), null=True, blank=True)
    threshold = models.IntegerField(_("threshold for the analysis"), default=0)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "version"], name="duty_ruleset_version"),
            models.UniqueConstraint(
                fields=["body", "year"], condition=Q(status__in=["active", "frozen"]), name="duty_ruleset_one_active"
            ),
        ]

    def __str__(self):
        return f"rules {self.body_id}/{self.year} v{self.version}"


class ScoringRule(models.Model):
    """Points per unit of one kind and outcome (negative: a deduction, e.g. an unexcused absence)."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    points = models.IntegerField(_("points"))

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        constraints = [models.UniqueConstraint(fields=["ruleset", "kind", "outcome"], name="duty_rule_once")]

    def __str__(self):
        return f"{self.kind}/{self.outcome}={self.points}"


class KindCap(models.Model):
    """At most `cap` points a year from one kind (deductions are not capped)."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="caps")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cap = models.PositiveIntegerField(_("cap per year"))

    class Meta:
        verbose_name = _("cap")
        verbose_name_plural = _("caps")
        constraints = [models.UniqueConstraint(fields=["ruleset", "kind"], name="duty_cap_once")]

    def __str__(self):
        return f"{self.kind}<={self.cap}"


class Event(models.Model):
    """A meeting, activity or training with QR check-in (S3-6). The QR token is an HMAC of the event id and the
    30-second window, keyed with the event's secret: it rotates, and expires after the next window."""

    class Status(models.TextChoices):
        OPEN = "open", _("Check-in open")
        CLOSED = "closed", _("Closed, records to enter")
        ENTERED = "entered", _("Records entered")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=100)
    day = models.DateField(_("date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    secret = models.CharField(max_length=64, editable=False)
    reminders_sent = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    entered_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["organiser", "-day"], name="duty_event_organiser")]

    def __str__(self):
        return gettext("Event %(id)s") % {"id": self.pk}


class Attendance(models.Model):
    """One invited member at one event: checked in by QR, late check-in or leave asked and decided, or absent."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        PRESENT = "present", _("Checked in")
        LATE_PENDING = "late_pending", _("Late check-in awaiting approval")
        LATE = "late", _("Late check-in approved")
        LEAVE_PENDING = "leave_pending", _("Leave requested")
        EXCUSED = "excused", _("Leave approved")
        ABSENT = "absent", _("Absent")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.INVITED)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="duty_attendance_once")]
        indexes = [models.Index(fields=["member", "status"], name="duty_attendance_member")]

    def __str__(self):
        return f"{self.member_id}@{self.event_id}:{self.status}"


class Record(models.Model):
    """One duty record of one member. Counted once its entering unit's head reviewed it; then archived: only its
    status may still change (superseded by a correcting record that names it in `corrects`)."""

    class Status(models.TextChoices):
        NEEDS_APPROVAL = "needs_approval", _("Late entry awaiting the members' work committee")
        PENDING = "pending", _("Awaiting review")
        COUNTED = "counted", _("Reviewed and archived")
        REJECTED = "rejected", _("Not approved")
        SUPERSEDED = "superseded", _("Corrected by a later record")
        WITHDRAWN = "withdrawn", _("Withdrawn before review")

    # Foreign keys led by a composite index below (or rarely searched) get no index of their own: millions of rows.
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="duty_records", db_index=False)
    year = models.PositiveSmallIntegerField(_("year"))
    day = models.DateField(_("date of the activity"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    title = models.CharField(_("title"), max_length=100)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices)
    source_ref = models.CharField(max_length=60, blank=True)  # "opinions.report:12", "duty.event:3"
    source_key = models.CharField(max_length=80, null=True, blank=True)  # one live automatic record per key
    organiser = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("entering unit"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.PROTECT, related_name="records")
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    rule = models.ForeignKey(
        ScoringRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    points = models.IntegerField(_("points"), default=0)
    on_time = models.BooleanField(default=True)
    entered_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("duty record")
        verbose_name_plural = _("duty records")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=Q(status__in=["needs_approval", "pending", "counted"]),
                name="duty_record_one_live_per_source",
            )
        ]
        indexes = [
            models.Index(fields=["member", "year", "status"], name="duty_record_member_year"),
            models.Index(fields=["unit", "status", "next_due_at"], name="duty_record_queue"),
            # The year's records of a body in member order with their points (PostgreSQL: covering): the full
            # recomputation aggregates them by an index-only scan, no sort or hash of the whole year.
            models.Index(
                fields=["body", "year", "status", "member", "kind"], include=["points"], name="duty_record_year_totals"
            ),
            models.Index(fields=["source_ref"], name="duty_record_source"),
        ]

    def __str__(self):
        return gettext("Duty record %(id)s") % {"id": self.pk}


class MemberYear(models.Model):
    """A member's points in one body and year: kept in the transaction that changes one of their records."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    committee = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sector = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    total = models.IntegerField(default=0)
    records = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("member's year")
        verbose_name_plural = _("members' years")
        constraints = [models.UniqueConstraint(fields=["body", "member", "year"], name="duty_member_year_once")]
        indexes = [
            models.Index(fields=["body", "year", "-total", "id"], name="duty_my_body_rank"),
            # The ranking page filtered by a committee or a sector reads these in its order (-total, id): no sort.
            models.Index(fields=["committee", "year", "-total", "id"], name="duty_my_committee_rank2"),
            models.Index(fields=["sector", "year", "-total", "id"], name="duty_my_sector_rank2"),
            models.Index(fields=["member", "year"], name="duty_my_member"),
        ]

    def __str__(self):
        return f"{self.member_id}@{self.body_id}/{self.year}={self.total}"


class TotalCount(models.Model):
    """How many members of one scope (the body, a committee, a sector) have one total in a year: kept in the
    transaction that changes a `MemberYear`, rebuilt by the full recomputation. A rank is 1 + the members above,
    a list's size the sum: a few hundred rows (one per distinct total) instead of counting the body's members."""

    class Scope(models.TextChoices):
        BODY = "b", _("Body")
        COMMITTEE = "c", _("Committee")
        SECTOR = "s", _("Sector")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveSmallIntegerField()
    scope = models.CharField(max_length=1, choices=Scope.choices)
    unit_id = models.BigIntegerField()  # the body, the committee or the sector (no foreign key: a counter row)
    total = models.IntegerField()
    members = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "year", "scope", "unit_id", "total"], name="duty_total_count_once")
        ]

    def __str__(self):
        return f"{self.scope}{self.unit_id}/{self.year}:{self.total}×{self.members}"


class Objection(models.Model):
    """A member's objection to a record, their total or their rank (S3-11), answered within 5 working days."""

    class Target(models.TextChoices):
        RECORD = "record", _("A record")
        TOTAL = "total", _("My point total")
        RANK = "rank", _("My rank")

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", _("Not upheld")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    target = models.CharField(max_length=8, choices=Target.choices)
    record = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="objections")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("objection"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    correction = models.ForeignKey(Record, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on_time = models.BooleanField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        indexes = [
            models.Index(fields=["unit", "status", "next_due_at"], name="duty_objection_queue"),
            models.Index(fields=["member", "-created_at"], name="duty_objection_member"),
        ]

    def __str__(self):
        return gettext("Objection %(id)s") % {"id": self.pk}


class Sample(models.Model):
    """The members' work committee's quarterly random check of counted records (S3-7): reproducible from `seed`."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    seed = models.CharField(max_length=32)
    size = models.PositiveIntegerField()
    population = models.PositiveIntegerField()
    drawn_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("random sample")
        verbose_name_plural = _("random samples")
        constraints = [models.UniqueConstraint(fields=["body", "year", "quarter"], name="duty_sample_once")]

    def __str__(self):
        return f"sample {self.body_id}/{self.year}Q{self.quarter}"


class SampleItem(models.Model):
    class Result(models.TextChoices):
        UNCHECKED = "", _("Not checked yet")
        CORRECT = "correct", _("Correct")
        PROBLEM = "problem", _("Problem found")

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=8, choices=Result.choices, blank=True)
    note = models.CharField(max_length=200, blank=True)
    checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "record"], name="duty_sample_item_once")]

    def __str__(self):
        return f"{self.sample_id}:{self.record_id}"


class Publication(models.Model):
    """The annual results signed off and sent to the party organisation and united-front department (S3-13)."""

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    recipients = models.JSONField(default=list)
    to_employers = models.BooleanField(default=False)
    members = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    signed_off_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    signed_off_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("published results")
        verbose_name_plural = _("published results")
        constraints = [models.UniqueConstraint(fields=["body", "year"], name="duty_publication_once")]

    def __str__(self):
        return f"results {self.body_id}/{self.year}"


class DepartmentAdmin(models.Model):
    """The one administrator of this module in a department (seed 003 art. 16; S3-15, S3-16)."""

    department = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("department administrator")
        verbose_name_plural = _("department administrators")
        constraints = [
            models.UniqueConstraint(
                fields=["department"], condition=Q(ended_at__isnull=True), name="duty_one_admin_per_department"
            )
        ]
        indexes = [models.Index(fields=["user", "ended_at"], name="duty_admin_user")]

    def __str__(self):
        return f"admin {self.user_id}@{self.department_id}"
