"""What every case-like process shares: the history of its transitions and its deadlines."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lvzhi.workdays.calendar import due_date


class WorkflowEvent(models.Model):
    """One transition of one object: who moved it from which state to which, when, and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    workflow = models.CharField(_("workflow"), max_length=60)
    transition = models.CharField(_("step"), max_length=40)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("workflow event")
        verbose_name_plural = _("workflow events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="workflow_event_object")]

    def __str__(self):
        return f"{self.workflow}.{self.transition}:{self.object_id}"


class Deadline(models.Model):
    """A time limit of one step of one object: computed once when the step starts, met when it ends.

    Overdue is a query (`due_at <= now and met_at is null and paused_at is null`); `lvzhi tick` only sends the
    reminder (`remind_at`) and the escalation (at `due_at`), each exactly once.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    workflow = models.CharField(_("workflow"), max_length=60)
    kind = models.CharField(_("kind"), max_length=40)
    responsible_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"))
    remind_at = models.DateTimeField(_("reminder due"), null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # The clock is stopped (the case waits on someone else, e.g. a verification): no reminder, no escalation, not
    # overdue; when it restarts the due date moves on by the working days it stood still.
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    notify_roles = models.JSONField(default=list, blank=True)
    escalate_roles = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(met_at__isnull=True),
                name="workflow_one_open_deadline",
            )
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(met_at__isnull=True), name="workflow_deadline_open_due"),
            models.Index(
                fields=["responsible_unit", "due_at"],
                condition=Q(met_at__isnull=True),
                name="workflow_deadline_unit_due",
            ),
            models.Index(
                fields=["remind_at"],
                condition=Q(met_at__isnull=True, reminded_at__isnull=True),
                name="workflow_deadline_remind",
            ),
            models.Index(fields=["content_type", "object_id"], name="workflow_deadline_object"),
        ]

    def __str__(self):
        return f"{self.workflow}:{self.kind}:{self.object_id}"

    @property
    def is_met(self) -> bool:
        return self.met_at is not None

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None and self.met_at is None

    @property
    def last_day(self):
        return due_date(self.due_at)
