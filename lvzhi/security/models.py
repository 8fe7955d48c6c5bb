"""Security incidents (S2-34 incident reporting and traceability) and the counters that detect repeated misuse.

An incident carries references only (ids, counts, codes, a masked number): the security administrator reads it and
must see no business content. Repeats of the same event (same `dedup_key`) within the window are counted on the
open incident instead of raising new ones, so an attack does not flood the administrators.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Incident(models.Model):
    class Kind(models.TextChoices):
        LOCKOUT = "account_lockout", _("Account locked after failed logins")
        TOKEN_MISUSE = "token_misuse", _("Invalid, revoked or expired API token used repeatedly")
        AUDIT_VERIFY = "audit_verify_failure", _("Audit log verification failed")
        SCREENING_BLOCK = "screening_block", _("Submission blocked by the secrecy screening")

    class Severity(models.TextChoices):
        LOW = "low", pgettext_lazy("severity", "Low")
        MEDIUM = "medium", pgettext_lazy("severity", "Medium")
        HIGH = "high", pgettext_lazy("severity", "High")
        CRITICAL = "critical", pgettext_lazy("severity", "Critical")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("security incident", "Open")
        ACKNOWLEDGED = "acknowledged", pgettext_lazy("security incident", "Acknowledged")
        CLOSED = "closed", pgettext_lazy("security incident", "Closed")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    dedup_key = models.CharField(max_length=120, editable=False)
    window = models.BigIntegerField(editable=False, help_text="the de-duplication window the incident was raised in")
    first_seen_at = models.DateTimeField(_("first seen"))
    last_seen_at = models.DateTimeField(_("last seen"))
    occurrences = models.PositiveIntegerField(_("occurrences"), default=1)
    # the subject, as references: the kind of object and its id (a user, a token, an audit event, an article…)
    subject_type = models.CharField(max_length=60, blank=True)
    subject_id = models.CharField(max_length=40, blank=True)
    org_unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text="references only: ids, counts, codes")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")
        ordering = ["-last_seen_at", "-id"]
        constraints = [
            # two app servers raising the same incident at once: one row, the other counts on it
            models.UniqueConstraint(
                fields=["dedup_key", "window"],
                condition=~models.Q(status="closed"),
                name="security_incident_once_per_window",
            )
        ]
        indexes = [
            models.Index(fields=["status", "-last_seen_at"]),
            models.Index(fields=["dedup_key", "-last_seen_at"]),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind}"


class MisuseCounter(models.Model):
    """How often something suspicious happened within a window (e.g. a revoked token presented), kept in the
    database so that every app server counts together (no security state in process memory)."""

    key = models.CharField(max_length=120)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="security_counter_once_per_window")]
