from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberProfile(models.Model):
    """A CPPCC member's or a deputy's standing in one body: sector, committee, delegation, term."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profiles")
    body = models.ForeignKey("orgs.OrgUnit", verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("committee"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    delegation = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("delegation or group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.CharField(_("term"), max_length=40, blank=True)
    party = models.CharField(_("party"), max_length=30, blank=True)
    workplace = models.CharField(_("workplace and post"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("member profile")
        verbose_name_plural = _("member profiles")
        constraints = [models.UniqueConstraint(fields=["user", "body"], name="accounts_one_profile_per_body")]
        indexes = [models.Index(fields=["committee", "is_active"]), models.Index(fields=["body", "is_active"])]

    def __str__(self):
        return f"{self.user_id}@{self.body_id}"
