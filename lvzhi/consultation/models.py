"""Remote consultation (远程协商, seed 000 art. 5.3, S0-5.3): one-to-many audio/video meetings.

A `Meeting` is started by a member (who answers for its content, and is scheduled at once) or by a department,
whose application for the video-conference system goes to the body's information office and is approved by a
leader. Its room lives on the deployment's own video server (`providers`). An `Invitation` is one invited user:
their inbox notice, and the attendance the meeting page reports (first joined, last left).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Started by a member")
        DEPARTMENT = "department", _("Started by a department")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Application awaiting approval")
        SCHEDULED = "scheduled", _("Scheduled")
        REFUSED = "refused", _("Application refused")
        CANCELLED = "cancelled", _("Cancelled")
        ENDED = "ended", _("Ended")

    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The department that started it (None: a member's own meeting); the organiser answers for the content.
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organiser = models.ForeignKey(USER, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=100)
    agenda = models.TextField(_("agenda"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    room = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices)
    undertaking_at = models.DateTimeField(_("undertaking given at"))
    applied_on = models.DateField(_("application day"), null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("remote consultation meeting")
        verbose_name_plural = _("remote consultation meetings")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["body", "status", "starts_at"], name="consult_meeting_body_status"),
            models.Index(fields=["organiser", "-starts_at"], name="consult_meeting_organiser"),
            models.Index(fields=["unit", "-starts_at"], name="consult_meeting_unit"),
        ]

    def __str__(self):
        return gettext("Meeting %(id)s") % {"id": self.pk}

    @property
    def ends_at(self):

        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    joins = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="consult_invitation_once")]
        indexes = [models.Index(fields=["user", "meeting"], name="consult_invitation_user")]

    def __str__(self):
        return f"{self.user_id}@{self.meeting_id}"
