from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataAccessGrant(models.Model):
    """S0-4: an operator (运维人员: a system, security or audit administrator) may query or change business data
    outside their own cases only with the information office's approval: a request, a decision, a time-boxed
    grant; every use is audited (`accounts.grant.use`)."""

    class Access(models.TextChoices):
        QUERY = "query", _("Query data")
        CHANGE = "change", _("Change data")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting decision")
        APPROVED = "approved", _("Access granted")
        REJECTED = "rejected", _("Access refused")
        REVOKED = "revoked", _("Revoked")

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    access = models.CharField(_("access"), max_length=8, choices=Access.choices)
    target = models.CharField(_("data"), max_length=60)  # "<app>.<model>" or "<app>.<model>:<id>"
    purpose = models.CharField(_("purpose"), max_length=300)
    hours = models.PositiveSmallIntegerField(_("hours"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("data access grant")
        verbose_name_plural = _("data access grants")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requester", "status", "valid_until"], name="accounts_grant_active")]

    def __str__(self):
        return f"grant {self.pk}"
