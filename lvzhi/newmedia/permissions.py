"""Who may see and do what in the new-media registry: small predicates of role × org unit × state.

- a host unit's new-media operators, chief editors and head (`nm_operator`, `nm_editor`, `head` at the unit):
  register the unit's websites and accounts, record decisions, file, correct and refile (S1-2 "who opens it
  hosts it");
- the competent office of the level (`nm_competent` at the account's competent office, S1-2, S2-4/8): sees every
  account of its level, approves names with a region or government-body name (S2-15), reviews filings, rejects in
  writing, accepts, reports upward (S1-3.2), marks accounts outside the matrix and resolves duplicates (S1-3.1);
- everyone else, another body's people and the three administrators: nothing (missing, not forbidden).
"""

from django.db.models import Q

from lvzhi.accounts.permissions import has_any_role, has_role, is_administrator, units_q
from lvzhi.accounts.roles import Role

UNIT_ROLES = (Role.NM_OPERATOR, Role.NM_EDITOR, Role.HEAD)
EDITOR_ROLES = (Role.NM_OPERATOR, Role.NM_EDITOR)


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def hosts(user, unit) -> bool:
    return _user(user) and unit is not None and has_any_role(user, UNIT_ROLES, unit)


def competent(user, office) -> bool:
    return _user(user) and office is not None and has_role(user, Role.NM_COMPETENT, office)


def may_see(user, outlet) -> bool:
    return hosts(user, outlet.host_unit) or competent(user, outlet.competent_office)


def may_manage(user, outlet) -> bool:
    return hosts(user, outlet.host_unit)


def may_review(user, outlet) -> bool:
    return competent(user, outlet.competent_office)


def visible_q(user, prefix: str = "") -> Q:
    """Rows (outlets, or filings with prefix "outlet__") this user may see."""
    if not _user(user):
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for role in UNIT_ROLES:
        q |= units_q(user, role, f"{prefix}host_unit")
    return q | units_q(user, Role.NM_COMPETENT, f"{prefix}competent_office")


def is_registry_user(user) -> bool:
    return _user(user) and has_any_role(user, (*UNIT_ROLES, Role.NM_COMPETENT))


def may_fill(user, duty: str, unit) -> bool:
    """S2-13: a chief editor holds the chief-editor role at the host unit; editors, reviewers and technical staff
    hold a new-media role there."""
    if not getattr(user, "is_active", False) or is_administrator(user) or unit is None:
        return False
    if duty == "chief_editor":
        return has_role(user, Role.NM_EDITOR, unit)
    return has_any_role(user, EDITOR_ROLES, unit)
