"""Public-opinion reports (社情民意, S0-5.4, S0-13…S0-18) and what hangs on them.

A report is written by a member (draft first if they like), handled by the office of the member's committee
(or the members' liaison office, S0-15), forwarded to the members' hotline for the hotline kinds (S0-16.1) or
handled by a committee, answered to the member and rated. Every state change is a transition of
`workflows.REPORT_FLOW`; the history and the deadlines live in `lvzhi.workflow`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    # The hotline kinds of S0-16.1 (一).
    POLICY_ENQUIRY = "policy_enquiry", _("Policy, regulation and public-service enquiry")
    SUDDEN_PROBLEM = "sudden_problem", _("Sudden problem affecting people's daily life")
    HOT_ISSUE = "hot_issue", _("Hot or hard issue of everyday life")
    OFFICIAL_CONDUCT = "official_conduct", _("Complaint about officials' efficiency or conduct")
    DEVELOPMENT = "development", _("Suggestion on reform, economy, urban construction and management")
    # The wider fields of S0-13, handled by the committees.
    NATIONAL_POLICY = "national_policy", _("Major national policy")
    ECONOMY = "economy", _("Economic development")
    POLITICS_LAW = "politics_law", _("Democracy and the rule of law")
    CULTURE = "culture", _("Culture, education, science and health")
    SOCIETY = "society", _("Social development and people's livelihood")
    ECOLOGY = "ecology", _("Ecological civilisation")
    PARTY_BUILDING = "party_building", _("Party building")
    UNITED_FRONT = "united_front", _("United front, ethnic and religious affairs")
    OTHER = "other", _("Other")


HOTLINE_CATEGORIES = frozenset(
    {
        Category.POLICY_ENQUIRY,
        Category.SUDDEN_PROBLEM,
        Category.HOT_ISSUE,
        Category.OFFICIAL_CONDUCT,
        Category.DEVELOPMENT,
    }
)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting acceptance")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")
        TRANSFERRED = "transferred", _("Transferred, awaiting acceptance")
        RETURN_PENDING = "return_pending", _("Transfer back awaiting the head's approval")
        AT_HOTLINE = "at_hotline", _("Being handled by the members' hotline")
        VERIFYING = "verifying", _("Being verified")
        HOTLINE_DONE = "hotline_done", _("Handling result received")
        HANDLING = "handling", _("Being handled by the committee")
        ANSWERED = "answered", _("Answered, awaiting rating")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reported by"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("handling committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The committee office (or the members' liaison office) that handles the report now."),
    )
    origin_committee = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("transferred from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hotline = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("hotline"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    co_reporters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("co-reporters"), blank=True, related_name="co_reported_opinions"
    )
    title = models.CharField(_("title"), max_length=100)
    content = models.TextField(_("content"))
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    is_notable = models.BooleanField(_("notable"), default=False)
    # The due time of the earliest running deadline (kept by lvzhi.workflow: REPORT_FLOW.due_field).
    next_due_at = models.DateTimeField(_("next time limit"), null=True, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    routed_at = models.DateTimeField(_("passed on"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("forwarded to the hotline"), null=True, blank=True)
    forwarded_on_time = models.BooleanField(_("forwarded on time"), null=True, blank=True)
    handling_started_at = models.DateTimeField(null=True, blank=True)
    result_at = models.DateTimeField(_("result received"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The start of the local day of the earliest recorded leader's instruction (批示), none once all are withdrawn
    # (kept by services.instructions): the roll-up counts instructed reports per committee and month from it.
    instructed_at = models.DateTimeField(_("first instruction"), null=True, blank=True)
    result = models.TextField(_("handling result"), blank=True)
    answer = models.TextField(_("answer to the member"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True)
    # Working days each step took (the latest round), stored when the step ends: statistics are aggregates.
    wd_route = models.PositiveIntegerField(null=True, blank=True)
    wd_handle = models.PositiveIntegerField(null=True, blank=True)
    wd_feedback = models.PositiveIntegerField(null=True, blank=True)
    wd_total = models.PositiveIntegerField(null=True, blank=True)
    # S0-17: the formal proposal drafted from this report (an id of lvzhi.proposals; no FK across apps).
    proposal_id = models.BigIntegerField(_("proposal"), null=True, blank=True)
    proposal_marked_at = models.DateTimeField(null=True, blank=True)
    proposal_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("public-opinion report")
        verbose_name_plural = _("public-opinion reports")
        indexes = [
            models.Index(fields=["author", "-created_at", "-id"], name="opinions_report_author"),
            # The queues: by office, hotline or body, newest first; the open ones by state.
            models.Index(fields=["committee", "-last_submitted_at", "-id"], name="opinions_report_queue"),
            models.Index(fields=["committee", "status"], name="opinions_report_queue_open"),
            models.Index(fields=["committee", "next_due_at"], name="opinions_report_queue_due"),
            models.Index(fields=["committee", "category"], name="opinions_report_queue_category"),
            models.Index(fields=["hotline", "next_due_at"], name="opinions_report_hotline_due"),
            models.Index(fields=["body", "next_due_at"], name="opinions_report_body_due"),
            models.Index(fields=["origin_committee", "-last_submitted_at", "-id"], name="opinions_report_origin"),
            models.Index(fields=["hotline", "-last_submitted_at", "-id"], name="opinions_report_hotline"),
            models.Index(fields=["hotline", "status"], name="opinions_report_hotline_open"),
            models.Index(fields=["body", "-last_submitted_at", "-id"], name="opinions_report_body"),
            models.Index(fields=["body", "status"], name="opinions_report_body_open"),
            models.Index(fields=["committee", "submitted_at"], name="opinions_report_received"),
            # Statistics read these with index-only scans: the measured columns are part of the keys.
            models.Index(fields=["committee", "forwarded_at", "forwarded_on_time"], name="opinions_report_forwarded"),
            models.Index(
                fields=[
                    "committee",
                    "answered_at",
                    "wd_route",
                    "wd_handle",
                    "wd_feedback",
                    "wd_total",
                    "satisfaction",
                    "status",
                ],
                name="opinions_report_answered",
            ),
            models.Index(fields=["submitted_at"], name="opinions_report_submitted"),
            models.Index(fields=["answered_at"], name="opinions_report_answered_at"),
        ]

    def __str__(self):
        # No title: the audit log names objects, and the administrators must not read business content.
        return gettext("Public-opinion report %(ref)s") % {"ref": self.reference}

    @property
    def reference(self) -> str:
        return f"SQ{self.created_at.year if self.created_at else ''}{self.pk or 0:06d}"

    @property
    def is_hotline_kind(self) -> bool:
        return self.category in HOTLINE_CATEGORIES


def attachment_path(instance, filename):
    now = timezone.now()
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"opinions/{now:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class Attachment(models.Model):
    """A photo of a report, checked (type, size, pixels) and re-encoded without its metadata (GPS, device)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"attachment {self.pk} of report {self.report_id}"


class HandlingUpdate(models.Model):
    """A progress note of the hotline or the committee, shown to the member under the report (S0-16.3)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    round = models.PositiveSmallIntegerField(default=1)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handling update")
        verbose_name_plural = _("handling updates")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="opinions_update_report")]

    def __str__(self):
        return f"update {self.pk} of report {self.report_id}"


class ThreadMessage(models.Model):
    """The verification thread (S0-16.2): hotline → committee office → member → committee office → hotline."""

    class Kind(models.TextChoices):
        HOTLINE_QUESTION = "hotline_question", _("Question of the hotline")
        OFFICE_QUESTION = "office_question", _("Question of the committee office to the member")
        MEMBER_ANSWER = "member_answer", _("Answer of the member")
        OFFICE_ANSWER = "office_answer", _("Verified answer of the committee office")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="thread")
    round = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("verification message")
        verbose_name_plural = _("verification messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"], name="opinions_thread_report")]

    def __str__(self):
        return f"{self.kind} {self.pk} of report {self.report_id}"


class Rating(models.Model):
    """The member's satisfaction with one round of handling; a second rating of the same round is refused."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="ratings")
    round = models.PositiveSmallIntegerField()
    level = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True)
    committee = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.UniqueConstraint(fields=["report", "round"], name="opinions_one_rating_per_round")]
        indexes = [models.Index(fields=["committee", "created_at"], name="opinions_rating_committee")]

    def __str__(self):
        return f"{self.level} for report {self.report_id} round {self.round}"


class TopicRequest(models.Model):
    """S0-17: a committee asks its head to turn a report into an online-deliberation topic.

    The hand-off record for the deliberation module: once approved, that module creates the topic and marks the
    request taken (`services.take_topic_request`), storing its own reference in `topic_ref`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the head's approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")
        TAKEN = "taken", _("Taken up as a deliberation topic")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="topic_requests")
    committee = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("topic"), max_length=100)
    summary = models.TextField(_("why it should be deliberated"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    topic_ref = models.CharField(_("deliberation topic"), max_length=100, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deliberation topic request")
        verbose_name_plural = _("deliberation topic requests")
        constraints = [
            models.UniqueConstraint(
                fields=["report"], condition=~Q(status="rejected"), name="opinions_one_live_topic_request"
            )
        ]
        indexes = [models.Index(fields=["committee", "status"], name="opinions_topic_committee")]

    def __str__(self):
        return f"topic request {self.pk} of report {self.report_id}"

    @property
    def deliberation_topic_id(self) -> int | None:
        """The deliberation topic the request was handed to (S0-17), from `topic_ref` "deliberation.topic:<id>"."""
        prefix, _sep, number = self.topic_ref.partition(":")
        return int(number) if prefix == "deliberation.topic" and number.isdigit() else None


class MonthlyDigest(models.Model):
    """S0-18: a committee's monthly digest (简报), made once per committee and month by `lvzhi tick`."""

    committee = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month the digest covers."))
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    article_id = models.BigIntegerField(_("article"), null=True, blank=True)
    article_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("monthly digest")
        verbose_name_plural = _("monthly digests")
        constraints = [models.UniqueConstraint(fields=["committee", "month"], name="opinions_one_digest_per_month")]
        indexes = [models.Index(fields=["month"], name="opinions_digest_month")]

    def __str__(self):
        return f"digest {self.committee_id} {self.month:%Y-%m}"


class DailyStat(models.Model):
    """The daily roll-up of the statistics (S0-16): per handling office and local day, the reports received
    (submitted_at), forwarded to the hotline (forwarded_at) and answered (answered_at) that day, with the answered
    reports' present status, rating and step durations. Kept exact by `lvzhi.opinions.rollup` in the transaction
    of every save of a report; `lvzhi rebuild_opinion_stats` recounts it from the reports."""

    committee = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    received = models.PositiveIntegerField(default=0)
    forwarded = models.PositiveIntegerField(default=0)
    forwarded_on_time = models.PositiveIntegerField(default=0)
    handled = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basically = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)
    # sums and counts of the answered reports' working days per step (averages = sum / count of non-empty)
    route_sum = models.PositiveIntegerField(default=0)
    route_n = models.PositiveIntegerField(default=0)
    handle_sum = models.PositiveIntegerField(default=0)
    handle_n = models.PositiveIntegerField(default=0)
    feedback_sum = models.PositiveIntegerField(default=0)
    feedback_n = models.PositiveIntegerField(default=0)
    total_sum = models.PositiveIntegerField(default=0)
    total_n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["committee", "day"], name="opinions_dailystat_unique")]


class Instruction(models.Model):
    """A leader's instruction (批示) on a report (seed 003: an instructed report earns its author points). Recorded as
    a step of the report by the leader, or by the handling office for a named leader of the report's body (or of a
    body above it); withdrawn, or corrected by a new instruction that replaces it (`corrects`): the author's
    automatic duty record follows (`lvzhi.duty.services.record_from_source(kind="instruction")`)."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("National leader")
        PROVINCIAL = "provincial", _("Provincial leader")
        CITY = "city", _("City leader")
        COUNTY = "county", _("County leader")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        WITHDRAWN = "withdrawn", pgettext_lazy("instruction", "Withdrawn")
        CORRECTED = "corrected", _("Replaced by a correction")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="instructions")
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    day = models.DateField(_("date of the instruction"))
    text = models.TextField(_("instruction"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECORDED)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("leader's instruction")
        verbose_name_plural = _("leaders' instructions")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "leader"], condition=Q(status="recorded"), name="opinions_one_instruction_per_leader"
            )
        ]
        indexes = [models.Index(fields=["report", "status"], name="opinions_instruction_report")]

    def __str__(self):
        return f"instruction {self.pk} on report {self.report_id}"
