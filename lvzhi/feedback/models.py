import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.core.crypto import EncryptedCharField


def new_lookup_code() -> str:
    """The code a visitor who gave feedback without signing in uses to look up its answer (40 bits, no 0/O/1/I)."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Feedback(models.Model):
    class Kind(models.TextChoices):
        FAULT = "fault", _("Something does not work")
        SUGGESTION = "suggestion", _("A suggestion")
        CONTENT = "content", _("Wrong or outdated content")
        ACCESSIBILITY = "accessibility", _("Hard to read or use")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        NEW = "new", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")
        CHANGED = "changed", _("Changed as a result")
        CLOSED = "closed", pgettext_lazy("feedback status", "Closed")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contact_phone = EncryptedCharField(blank=True, default="")  # only from a visitor who gave one; SM4 at rest
    lookup_code = models.CharField(max_length=8, unique=True, default=new_lookup_code)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    page = models.CharField(max_length=300, blank=True, default="")
    text = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    answer = models.TextField(blank=True, default="")
    change_note = models.TextField(blank=True, default="")
    close_reason = models.CharField(max_length=16, blank=True, default="")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_in_time = models.BooleanField(null=True, blank=True)  # set with the first answer or change
    ended_at = models.DateTimeField(null=True, blank=True)
    next_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["body", "status", "next_due_at"], name="feedback_queue_idx"),
            models.Index(fields=["body", "created_at"], name="feedback_log_idx"),
            models.Index(fields=["author", "created_at"], name="feedback_mine_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="answered") | models.Q(answered_at__isnull=False),
                name="feedback_answered_has_time",
            )
        ]

    def __str__(self):
        return f"意见反馈 #{self.pk}"

    @property
    def response_seconds(self) -> int | None:
        if self.answered_at is None:
            return None
        return int((self.answered_at - self.created_at).total_seconds())
