"""Archive handling of the publication register (S0-10, seed 000 art. 10: 信息文档的登记、保管、借阅和销毁).

Each register entry (one publication of a revision) is an archive item once its department files it: *kept*
(where), *lent* (to whom, until when; returned to whom, when — a loan past its date is overdue), and *destroyed*
(requested by one person, approved by another: the requester never approves their own destruction).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ArchiveRecord(models.Model):
    class Status(models.TextChoices):
        KEPT = "kept", _("Kept")
        LENT = "lent", _("Lent")
        DESTRUCTION_REQUESTED = "destroy_req", _("Destruction requested")
        DESTROYED = "destroyed", _("Destroyed")

    entry = models.OneToOneField("content.RegisterEntry", on_delete=models.PROTECT, related_name="archive")
    body = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.KEPT)
    location = models.CharField(_("kept at"), max_length=100)
    kept_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kept_at = models.DateTimeField()
    destruction_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    destruction_requested_at = models.DateTimeField(null=True, blank=True)
    destruction_reason = models.CharField(_("reason for destruction"), max_length=300, blank=True)
    destruction_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    destroyed_at = models.DateTimeField(null=True, blank=True)
    refusal_note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        indexes = [
            models.Index(fields=["unit", "status"], name="content_archive_unit"),
            models.Index(fields=["body", "status"], name="content_archive_body"),
        ]

    def __str__(self):
        return f"archive:{self.entry_id}"


class ArchiveLoan(models.Model):
    record = models.ForeignKey(ArchiveRecord, on_delete=models.PROTECT, related_name="loans")
    borrower = models.CharField(_("borrower"), max_length=50)
    borrower_unit = models.CharField(_("borrower's unit"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    lent_at = models.DateTimeField()
    due_on = models.DateField(_("due back on"))
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("archive loan")
        verbose_name_plural = _("archive loans")
        ordering = ["-lent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=Q(returned_at__isnull=True), name="content_loan_one_open"
            )
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(returned_at__isnull=True), name="content_loan_open_due"),
        ]

    def __str__(self):
        return f"loan:{self.record_id}"
