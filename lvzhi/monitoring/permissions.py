"""Who may see and do what with findings and item logs (the registry's roles, issue 16):

- the host unit's new-media operators, chief editors and head (`nm_operator`, `nm_editor`, `head` at the host
  unit): see their outlets' findings, fix them with a note, log items and record harmful content by hand;
- the competent office (`nm_competent` at the finding's office): sees every finding of its outlets, verifies,
  reopens, dismisses, reports upward, records findings by hand, starts crawls and manages watches;
- everyone else, another body's people and the three administrators: nothing (missing, not forbidden).
"""

from django.db.models import Q

from lvzhi.accounts.permissions import has_any_role, units_q
from lvzhi.accounts.roles import Role

# The registry's own tests: who hosts an outlet, which office is competent for it, who acts at all (not the 三员).
from lvzhi.newmedia.permissions import UNIT_ROLES, _user, competent, hosts


def may_see(user, finding) -> bool:
    return hosts(user, finding.host_unit) or competent(user, finding.office)


def may_fix(user, finding) -> bool:
    return hosts(user, finding.host_unit)


def may_verify(user, finding) -> bool:
    return competent(user, finding.office)


def visible_q(user, prefix: str = "") -> Q:
    if not _user(user):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for role in UNIT_ROLES:
        q |= units_q(user, role, f"{prefix}host_unit")
    return q | units_q(user, Role.NM_COMPETENT, f"{prefix}office")


def outlet_q(user, prefix: str = "outlet__") -> Q:
    """Outlets (through `prefix`) whose items and watch this user may see."""
    if not _user(user):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for role in UNIT_ROLES:
        q |= units_q(user, role, f"{prefix}host_unit")
    return q | units_q(user, Role.NM_COMPETENT, f"{prefix}competent_office")


def may_manage_outlet(user, outlet) -> bool:
    return hosts(user, outlet.host_unit) or competent(user, outlet.competent_office)


def is_office(user) -> bool:
    return _user(user) and has_any_role(user, (Role.NM_COMPETENT,))


def is_monitor_user(user) -> bool:
    return _user(user) and has_any_role(user, (*UNIT_ROLES, Role.NM_COMPETENT))
