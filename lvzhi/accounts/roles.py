"""The roles of ARCHITECTURE.md. A role is granted to a user at an org unit (optionally reaching below)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("CPPCC member")
    DEPUTY = "deputy", _("People's congress deputy")
    STAFF = "staff", _("Office staff")
    HEAD = "head", _("Office head")
    LEADER = "leader", _("Body leader")
    HOTLINE = "hotline", _("Hotline staff")
    HANDLING = "handling", _("Handling-unit staff")
    INFO_OFFICE = "info_office", _("Information office")
    SECRECY_OFFICE = "secrecy_office", _("Secrecy office")
    MONITOR = "monitor", _("Volunteer monitor")
    NM_OPERATOR = "nm_operator", _("New-media operator")
    NM_EDITOR = "nm_editor", _("New-media chief editor")
    NM_COMPETENT = "nm_competent", _("New-media competent office")
    SYSADMIN = "sysadmin", _("System administrator")
    SECADMIN = "secadmin", _("Security administrator")
    AUDITADMIN = "auditadmin", _("Audit administrator")


# The three separated administrators (三员分立): no user holds two of them, none reads business content.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN})
# Roles that see full personal identifiers (ID-card numbers) of the people they manage (S2-34).
IDENTITY_ROLES = frozenset({Role.INFO_OFFICE})
# The units' operators (工作人员): the roles that work in the back office besides the three administrators. Their
# passwords expire like the administrators' (S2-5); members, deputies and volunteers are not operators.
OPERATOR_ROLES = frozenset(
    {
        Role.STAFF,
        Role.HEAD,
        Role.LEADER,
        Role.HOTLINE,
        Role.HANDLING,
        Role.INFO_OFFICE,
        Role.SECRECY_OFFICE,
        Role.NM_COMPETENT,
    }
)
