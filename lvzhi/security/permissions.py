"""Who handles security incidents: the security administrator (三员), over the units where they hold the role;
incidents without a unit (the audit chain) are every security administrator's."""

from django.db.models import Q

from lvzhi.accounts.permissions import has_role, units_q
from lvzhi.accounts.roles import Role


def may_handle_incidents(user) -> bool:
    return has_role(user, Role.SECADMIN)


def incidents_q(user) -> Q:
    if not may_handle_incidents(user):
        return Q(pk__in=[])
    return units_q(user, Role.SECADMIN, field="org_unit") | Q(org_unit__isnull=True)
