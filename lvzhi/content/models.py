"""Columns, articles and what happens to them: approval chains, review steps, the publication register, reading.

An article has a *working copy* (title, summary, body…: what its author edits) and a *published copy*
(`published_title`, `published_summary`, `published_revision`: what readers see). A correction of a live article
goes through review as a new revision while readers keep seeing the last approved one. `is_live` says whether
readers see the article at all; `status` is the state of the working copy in the approval workflow.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Audience(models.TextChoices):
    MEMBERS = "members", _("Members and deputies")
    STAFF = "staff", _("Staff")
    ALL = "all", _("All users")
    PUBLIC = "public", _("Public portal")


class StepKind(models.TextChoices):
    REVIEW = "review", _("Review")
    APPROVE = "approve", _("Approve")
    PUBLISH = "publish", _("Publish")


class StepScope(models.TextChoices):
    """Where the role of a chain step is held."""

    HOST = "host", _("The host unit of the article")
    # The host's section (处室, e.g. a committee's 工作处: an office unit under it), else the host unit itself.
    HOST_OFFICE = "host_office", _("The office of the host unit")
    BODY = "body", _("The body itself")
    FUNCTION = "function", _("The office with this function")
    UNIT = "unit", _("A named unit")


class AppliesTo(models.TextChoices):
    ALL = "all", _("All articles")
    ORIGINAL = "original", _("Original articles")
    REPOST = "repost", _("Reposts")


class Grade(models.TextChoices):
    """Graded review (S2-24)."""

    NORMAL = "normal", _("Normal")
    IMPORTANT = "important", _("Important")
    MAJOR = "major", _("Major or sensitive")


GRADE_RANK = {Grade.NORMAL: 0, Grade.IMPORTANT: 1, Grade.MAJOR: 2}


class Topic(models.TextChoices):
    """Topics that never go out without the body leader's review (S2-24)."""

    NONE = "", _("None of these")
    MAJOR_EVENT = "major_event", _("Major local event")
    MASS_INCIDENT = "mass_incident", _("Mass incident")
    DISASTER = "disaster", _("Disaster or epidemic")
    WORK_SAFETY = "work_safety", _("Work safety")


class Urgency(models.TextChoices):
    """Emergency and rumour items (S2-29): an expedited chain, the responsible office told by SMS, timed."""

    NONE = "", _("Routine")
    EMERGENCY = "emergency", _("Emergency response")
    RUMOUR = "rumour", _("Rumour rebuttal")


class Column(models.Model):
    """A column (栏目) of one body: its audience, owning departments, maintainer and approval chain (S0-5)."""

    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent column"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=40)
    description = models.CharField(_("description"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    owners = models.ManyToManyField("orgs.OrgUnit", verbose_name=_("owning departments"), related_name="+", blank=True)
    maintainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("maintainer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # S2-18: the proactive-disclosure category (主动公开目录) of the body the column belongs to
    disclosure_category = models.ForeignKey(
        "content.DisclosureCategory",
        verbose_name=_("disclosure category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="columns",
    )
    sort_order = models.IntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column")
        verbose_name_plural = _("columns")
        ordering = ["sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["body", "code"], name="content_column_code_per_body")]
        indexes = [models.Index(fields=["body", "is_active", "sort_order"])]

    def __str__(self):
        return self.name


class ChainStep(models.Model):
    """One step of a column's approval chain: `role` held at a unit (S0-7). Ordered by `position`."""

    column = models.ForeignKey(Column, on_delete=models.CASCADE, related_name="chain")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("step"), max_length=10, choices=StepKind.choices)
    role = models.CharField(_("role"), max_length=20)
    scope = models.CharField(_("held at"), max_length=12, choices=StepScope.choices, default=StepScope.HOST)
    function = models.CharField(_("office function"), max_length=30, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo.choices, default=AppliesTo.ALL)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["column", "position"]
        constraints = [models.UniqueConstraint(fields=["column", "position"], name="content_chain_position")]

    def __str__(self):
        return f"{self.column_id}:{self.position}:{self.kind}"


class ColumnChange(models.Model):
    """A proposed change of a body's columns; applied only when approved (S0-5 "adjustable by approval")."""

    class Action(models.TextChoices):
        CREATE = "create", _("Add a column")
        RENAME = "rename", _("Rename")
        REORDER = "reorder", _("Change the order")
        RETIRE = "retire", _("Retire")
        RESTORE = "restore", _("Restore")
        AUDIENCE = "audience", _("Change the audience")
        OWNERS = "owners", _("Change the owning departments")
        MAINTAINER = "maintainer", _("Change the maintainer")
        CATEGORY = "category", _("Change the disclosure category")
        CHAIN = "chain", _("Change the approval chain")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting approval")
        APPROVED = "approved", _("Approved and applied")
        REJECTED = "rejected", _("Rejected")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    column = models.ForeignKey(Column, null=True, blank=True, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(_("change"), max_length=12, choices=Action.choices)
    payload = models.JSONField(default=dict)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("column change")
        verbose_name_plural = _("column changes")
        indexes = [models.Index(fields=["body", "status", "-created_at"])]

    def __str__(self):
        return f"{self.action}:{self.column_id or '-'}"


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved, awaiting publication")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ARCHIVED = "archived", _("Archived")

    column = models.ForeignKey(Column, verbose_name=_("column"), on_delete=models.PROTECT, related_name="articles")
    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("host unit"), on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the working copy
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    body_html = models.TextField(_("text"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_repost = models.BooleanField(_("repost from other media"), default=False)
    # S2-27: a repost names a designated source (or another source with the reason) and keeps the original title
    repost_source = models.ForeignKey(
        "content.RepostSource",
        verbose_name=_("designated source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    source_other_reason = models.CharField(_("why this source"), max_length=300, blank=True)
    original_title = models.CharField(_("original title"), max_length=200, blank=True)
    # S2-29: emergency and rumour items, timed from the event being noted to publication
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, blank=True, default="")
    event_noted_at = models.DateTimeField(_("event noted at"), null=True, blank=True)
    response_minutes = models.PositiveIntegerField(null=True, blank=True)
    cover = models.ForeignKey(
        "content.Attachment",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, default=Grade.NORMAL)
    grade_floor = models.CharField(max_length=10, choices=Grade.choices, default=Grade.NORMAL)
    topic = models.CharField(_("sensitive topic"), max_length=20, choices=Topic.choices, blank=True, default="")
    findings = models.JSONField(default=list, blank=True)
    findings_blocking = models.BooleanField(default=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(default=1)
    revision_no = models.PositiveIntegerField(default=0)
    current_step = models.ForeignKey(
        "content.ReviewStep", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_token = models.CharField(max_length=64, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    publish_at = models.DateTimeField(_("go-live time"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expiry"), null=True, blank=True)
    # the published copy: what readers see
    is_live = models.BooleanField(default=False)
    published_title = models.CharField(max_length=200, blank=True)
    published_summary = models.CharField(max_length=500, blank=True)
    published_revision = models.ForeignKey(
        "content.Revision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdraw_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"], condition=~Q(client_token=""), name="content_article_once"
            )
        ]
        indexes = [
            models.Index(fields=["-published_at", "-id"], condition=Q(is_live=True), name="content_live_recent"),
            models.Index(
                fields=["column", "-published_at", "-id"], condition=Q(is_live=True), name="content_live_column"
            ),
            models.Index(fields=["author", "-updated_at"], name="content_article_author"),
            models.Index(fields=["unit", "status", "-updated_at"], name="content_article_unit"),
            models.Index(fields=["current_step"], name="content_article_step"),
            models.Index(fields=["body", "-event_noted_at"], condition=~Q(urgency=""), name="content_urgent"),
            models.Index(fields=["publish_at"], condition=Q(status="scheduled"), name="content_article_due"),
            models.Index(
                fields=["expires_at"], condition=Q(is_live=True, expires_at__isnull=False), name="content_expiring"
            ),
        ]

    def __str__(self):
        return self.published_title or self.title

    @property
    def display_title(self):
        return self.published_title or self.title


class Revision(models.Model):
    """A snapshot of the working copy as it was submitted for review. Revisions are kept (S0-28/29)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    body_html = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    is_repost = models.BooleanField(default=False)
    grade = models.CharField(max_length=10, choices=Grade.choices, default=Grade.NORMAL)
    topic = models.CharField(max_length=20, blank=True, default="")
    findings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["article", "number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="content_revision_number")]

    def __str__(self):
        return f"{self.article_id}#{self.number}"


class ReviewStep(models.Model):
    """One step of one revision's approval, resolved from the column's chain when the revision was submitted."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("approval step", "Pending")
        DONE = "done", _("Done")
        RETURNED = "returned", _("Returned for changes")
        CANCELLED = "cancelled", _("Cancelled")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="steps")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    role = models.CharField(max_length=20)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    graded = models.BooleanField(default=False, help_text="added by graded review (S2-24)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    checklist = models.JSONField(default=dict, blank=True)
    secrecy_reviewed = models.BooleanField(default=False)
    secrecy_note = models.CharField(max_length=300, blank=True)
    findings_accepted = models.JSONField(default=list, blank=True)
    comment = models.CharField(max_length=1000, blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["revision", "position"]
        constraints = [models.UniqueConstraint(fields=["revision", "position"], name="content_step_position")]
        indexes = [models.Index(fields=["unit", "role", "status"])]

    def __str__(self):
        return f"{self.revision_id}:{self.position}:{self.kind}"


class Attachment(models.Model):
    """An image or document of an article; its content was checked against its extension on upload."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        FILE = "file", _("Document")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to="content/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField()
    mime = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["article", "removed_at"])]

    def __str__(self):
        return self.name


class RegisterEntry(models.Model):
    """The publication register (S0-10): one row per publication of a revision, kept when withdrawn."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Published")
        REPLACED = "replaced", _("Replaced by a correction")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="register_entries")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    column_name = models.CharField(max_length=40)
    category_name = models.CharField(max_length=40, blank=True)  # the disclosure category then (S2-18)
    title = models.CharField(max_length=200)
    grade = models.CharField(max_length=10, choices=Grade.choices)
    drafted_by = models.CharField(max_length=50, blank=True)
    drafted_at = models.DateTimeField()
    reviewed_by = models.CharField(max_length=300, blank=True)
    approved_by = models.CharField(max_length=300, blank=True)
    published_by = models.CharField(max_length=50)
    published_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LIVE)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=50, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        indexes = [
            models.Index(fields=["body", "-published_at"], name="content_register_body"),
            models.Index(fields=["unit", "-published_at"], name="content_register_unit"),
            models.Index(fields=["article", "-published_at"], name="content_register_article"),
        ]

    def __str__(self):
        return self.title


class ReadRecord(models.Model):
    """Who read what, when, and for how long (S0-20). One row per reader and article; unread = no row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="reads")
    first_read_at = models.DateTimeField()
    last_read_at = models.DateTimeField()
    seconds = models.PositiveIntegerField(default=0)
    visits = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("reading record")
        verbose_name_plural = _("reading records")
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="content_read_once")]
        indexes = [models.Index(fields=["article", "first_read_at"], name="content_read_article")]


class Favourite(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("favourite")
        verbose_name_plural = _("favourites")
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="content_favourite_once")]
        indexes = [models.Index(fields=["user", "-created_at"], name="content_favourite_user")]


class ActivityEvent(models.Model):
    """An activity the duty-points module counts (S0-20): reading and favouriting an article (each (user, kind,
    article) once: re-reading or toggling a favourite earns nothing twice), the daily sign-in (the first login of a
    day, once a day) and posts (a public-opinion report filed; deliberation comments later), each post once."""

    class Kind(models.TextChoices):
        READ = "read", _("Read an article")
        FAVOURITE = "favourite", _("Favourited an article")
        SIGN_IN = "sign_in", _("Signed in (first login of the day)")
        POST = "post", _("Posted (a public-opinion report or a deliberation comment)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(null=True, blank=True)  # sign-in: the local day
    ref = models.CharField(max_length=60, blank=True, default="")  # post: "<app>.<model>:<id>", e.g. opinions.report:12
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "article"], name="content_activity_once"),
            models.UniqueConstraint(
                fields=["user", "day"], condition=models.Q(kind="sign_in"), name="content_activity_sign_in_once"
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "ref"], condition=~models.Q(ref=""), name="content_activity_post_once"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "at"], name="content_activity_user"),
            models.Index(fields=["body", "at"], name="content_activity_body"),
        ]


class MonitorReport(models.Model):
    """A report on a published item by a volunteer monitor or a reader (S0-28, S0-29), handled as a case by the
    information office of the article's body, with a deadline."""

    class Kind(models.TextChoices):
        WRONG = "wrong", _("Wrong or inaccurate")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")
        OUTDATED = "outdated", _("Outdated")
        SECRET = "secret", _("May contain secrets")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Reported")
        CONTACTED = "contacted", _("Poster contacted")
        CORRECTED = "corrected", _("Corrected")
        REMOVED = "removed", _("Removed")
        DISMISSED = "dismissed", _("Dismissed")

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="reports")
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("problem"), max_length=15, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=500)
    article_revision = models.PositiveIntegerField(default=0, help_text="the article's revision when reported")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution = models.CharField(_("resolution"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("monitoring report")
        verbose_name_plural = _("monitoring reports")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reporter"],
                condition=Q(status__in=["open", "contacted"]),
                name="content_report_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["office", "status", "-created_at"], name="content_report_office"),
            models.Index(fields=["reporter", "-created_at"], name="content_report_reporter"),
        ]

    def __str__(self):
        return f"{self.article_id}:{self.kind}"


# The models of the archive handling (S0-10) and of disclosure (S2-6, S2-18, S2-27) live in their own modules.
from .models_archive import ArchiveLoan, ArchiveRecord  # noqa: E402, F401
from .models_disclosure import AnnualReport, DisclosureCategory, PolicyLink, RepostSource  # noqa: E402, F401
