"""Online deliberation (网络议政, seed 000 art. 12, 17, 19, 20).

A hosting committee's `Topic` of the year's consultation plan: background, questions, a discussion period and the
consultation meeting it prepares (date and form; `meeting_ref` for the remote-consultation module to fill), approved
by the committee head before it is published (the S0-7.1 chain role). Members are `Invitation`s (who was invited,
read, posted: S0-19) and write `Post`s (replies, support, photo attachments), screened and moderated; staff mark key
viewpoints, draft a `SpecialReport` (专报) from them, choose `Speaker`s, link the topic to inspections, research and
meetings (`TopicLink`) and track the meeting's `FollowUp`s (批示, handling) with working-day deadlines.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class MeetingForm(models.TextChoices):
    PLENARY = "plenary", _("Plenary consultation")
    THEMATIC = "thematic", _("Thematic consultation")
    SECTOR = "sector", _("Sector consultation")
    REMOTE = "remote", _("Remote consultation")


class Topic(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("deliberation", "Draft")
        PENDING = "pending", _("Awaiting the committee head's approval")
        APPROVED = "approved", _("Approved, not yet published")
        OPEN = "open", _("Open for discussion")
        CLOSED = "closed", _("Discussion closed")
        HELD = "held", _("Meeting held, follow-up")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    committee = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("hosting committee"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=100)
    background = models.TextField(_("background material"))
    questions = models.TextField(_("questions for discussion"))
    discuss_from = models.DateField(_("discussion opens"))
    discuss_until = models.DateField(_("discussion closes"))
    meeting_date = models.DateField(_("consultation meeting date"), null=True, blank=True)
    meeting_form = models.CharField(_("meeting form"), max_length=10, choices=MeetingForm.choices, blank=True)
    meeting_ref = models.CharField(_("consultation meeting reference"), max_length=60, blank=True)
    live_url = models.CharField(_("live video deliberation link"), max_length=300, blank=True)
    live_at = models.DateTimeField(_("live video deliberation time"), null=True, blank=True)
    sms = models.BooleanField(_("also send the invitation by SMS"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deliberation topic")
        verbose_name_plural = _("deliberation topics")
        indexes = [
            models.Index(fields=["body", "status", "published_at"], name="delib_topic_body_status"),
            models.Index(fields=["committee", "status"], name="delib_topic_committee"),
        ]

    def __str__(self):
        return f"topic {self.pk}"

    @property
    def ref(self) -> str:
        return f"deliberation.topic:{self.pk}"


class Invitation(models.Model):
    """A member invited to a topic (S0-19): when they first read it, first posted, were last reminded."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "member"], name="delib_invitation_once")]
        indexes = [models.Index(fields=["member", "topic"], name="delib_invitation_member")]

    def __str__(self):
        return f"invitation {self.topic_id}/{self.member_id}"


class Post(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HIDDEN = "hidden", _("Hidden by the committee")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies", verbose_name=_("reply to")
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.VISIBLE)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)
    is_viewpoint = models.BooleanField(_("key viewpoint"), default=False)
    marked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)
    support_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deliberation post")
        verbose_name_plural = _("deliberation posts")
        indexes = [
            models.Index(fields=["topic", "parent", "created_at"], name="delib_post_thread"),
            models.Index(fields=["topic", "is_viewpoint"], name="delib_post_viewpoint"),
            models.Index(fields=["author", "topic"], name="delib_post_author"),
        ]

    def __str__(self):
        return f"post {self.pk}"


class Support(models.Model):
    """A member supports (附议) an opinion; once per member and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="delib_support_once")]


def attachment_path(instance, filename):
    return f"deliberation/{instance.post.topic_id}/{filename}"


class PostAttachment(models.Model):
    """A photo of a post, checked by `lvzhi.core.uploads` and re-encoded without metadata."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class SpecialReport(models.Model):
    """The 专报 (art. 12 (2)): drafted from the marked viewpoints, approved by the committee head, then sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("deliberation", "Draft")
        PENDING = "pending", _("Awaiting the committee head's approval")
        APPROVED = "approved", _("Approved")
        SENT = "sent", pgettext_lazy("deliberation report", "Sent")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(default=dict)
    viewpoints = models.ManyToManyField(Post, related_name="+", blank=True)
    drafted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("special report")
        verbose_name_plural = _("special reports")
        constraints = [models.UniqueConstraint(fields=["topic"], name="delib_one_report_per_topic")]


class TopicLink(models.Model):
    """Art. 12 (3): the inspections, research and meetings a topic is combined with."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        RESEARCH = "research", _("Research or forum")
        MEETING = "meeting", _("Offline meeting")
        REMOTE = "remote", _("Remote consultation meeting")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    day = models.DateField(_("date"), null=True, blank=True)
    ref = models.CharField(_("reference"), max_length=60, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day", "id"]


class Speaker(models.Model):
    """A member chosen to speak at the meeting, from the authors of the key viewpoints (art. 12 (3))."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="speakers")
    member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="+")
    chosen_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["topic", "member"], name="delib_speaker_once")]
        ordering = ["id"]


class FollowUp(models.Model):
    """A leader's instruction (批示) or a department's handling of the members' suggestions (art. 12 (4)), tracked
    with a working-day deadline (reminded and escalated by `lvzhi tick`); when done, each member whose viewpoint
    was used is told the outcome."""

    class Kind(models.TextChoices):
        INSTRUCTION = "instruction", _("Leader's instruction")
        HANDLING = "handling", _("Department's handling")

    class Status(models.TextChoices):
        OPEN = "open", _("Being tracked")
        DONE = "done", _("Outcome recorded, members told")

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    source = models.CharField(_("leader or department"), max_length=100)
    content = models.TextField(_("instruction or task"))
    viewpoints = models.ManyToManyField(Post, related_name="followups", blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    done_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deliberation follow-up")
        verbose_name_plural = _("deliberation follow-ups")
        indexes = [models.Index(fields=["topic", "status", "next_due_at"], name="delib_followup_queue")]
        ordering = ["id"]
