from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataChangeRequest(models.Model):
    """A user's request to change their personal data, carried out within 5 working days (S0-27)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        DONE = "done", _("Carried out")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_change_requests")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(_("requested changes"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        # The table was created by the accounts app before requests had an app of their own; keeping its name
        # keeps existing databases' rows (the move is state-only: see migrations/0001_initial.py).
        db_table = "accounts_datachangerequest"
        verbose_name = _("personal-data change request")
        verbose_name_plural = _("personal-data change requests")
        indexes = [models.Index(fields=["unit", "status"]), models.Index(fields=["user", "-created_at"])]
