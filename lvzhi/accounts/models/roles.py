from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..roles import Role


class RoleAssignment(models.Model):
    """`user` holds `role` at `unit` (and below it when `include_descendants`). Revoked rows stay as history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey("orgs.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    include_descendants = models.BooleanField(_("reaches the units below"), default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], condition=Q(revoked_at__isnull=True), name="accounts_role_once_active"
            )
        ]
        indexes = [
            models.Index(fields=["user", "revoked_at"]),
            models.Index(fields=["unit", "role", "revoked_at"]),
        ]

    def __str__(self):
        return f"{self.user_id}:{self.role}@{self.unit_id}"
