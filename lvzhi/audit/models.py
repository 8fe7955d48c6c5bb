"""The append-only, hash-chained audit log (等保2.0 security audit; Cybersecurity Law art. 21)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("audit events cannot be changed")

    def delete(self):
        raise AuditImmutable("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One event. `hash` = SM3(previous hash + canonical content); `lvzhi audit verify` recomputes the chain."""

    at = models.DateTimeField(_("time"), db_index=True)
    event = models.CharField(_("event"), max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=80, blank=True)
    org_unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutable("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("audit events cannot be deleted")


# The hash before the first event: the chain starts here (also written by migration 0002).
GENESIS = "0" * 64


class AuditHead(models.Model):
    """A single row holding the last event's hash; locking it serialises appends so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64)
    # Events with an id from this one on are chained with HMAC-SM3 (key outside the database); older ones (written
    # before the keyed chain) keep their plain SM3 links. Recorded once by migration 0004, repeated in every signed
    # checkpoint, so moving it is caught by `lvzhi audit verify`. None: every event is keyed.
    keyed_from = models.BigIntegerField(null=True, blank=True)
