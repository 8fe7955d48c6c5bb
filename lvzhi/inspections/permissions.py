"""Who may see and do what in inspections: small predicates of role × org unit × state.

- a host unit's new-media operators, chief editors and head (`nm_operator`, `nm_editor`, `head` at the unit): see
  their unit's self-inspections, checks, findings, assessments and security duties; draft, edit and submit the
  self-inspection report; report a finding fixed; record security duties;
- the competent office (`nm_competent` at the office): everything of its outlets; reviews reports, runs rounds and
  spot checks, records higher-level checks, scores, publishes, confirms fixes, computes assessments, keeps the
  accountability list and its actions;
- everyone else, another body's people and the three administrators: nothing (missing, not forbidden). The public
  sees published results only.
"""

from django.db.models import Q

from lvzhi.accounts.permissions import has_any_role, has_role, is_administrator, units_q
from lvzhi.accounts.roles import Role

UNIT_ROLES = (Role.NM_OPERATOR, Role.NM_EDITOR, Role.HEAD)


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def at_unit(user, unit) -> bool:
    return _user(user) and unit is not None and has_any_role(user, UNIT_ROLES, unit)


def at_office(user, office) -> bool:
    return _user(user) and office is not None and has_role(user, Role.NM_COMPETENT, office)


def visible_q(user, unit_field: str = "unit", office_field: str = "office") -> Q:
    if not _user(user):
        return Q(pk__in=[])
    q = units_q(user, Role.NM_COMPETENT, office_field)
    for role in UNIT_ROLES:
        q |= units_q(user, role, unit_field)
    return q


def office_q(user, field: str = "office") -> Q:
    return units_q(user, Role.NM_COMPETENT, field) if _user(user) else Q(pk__in=[])


def is_inspections_user(user) -> bool:
    return _user(user) and has_any_role(user, (*UNIT_ROLES, Role.NM_COMPETENT))


def is_office_user(user) -> bool:
    return _user(user) and has_role(user, Role.NM_COMPETENT)


# ---- the steps ----------------------------------------------------------------------------------------------------


def may_edit_report(user, report) -> bool:
    return at_unit(user, report.unit)


def may_review_report(user, report) -> bool:
    return at_office(user, report.office)


def may_report_fixed(user, fix) -> bool:
    return at_unit(user, fix.unit)


def may_confirm_fix(user, fix) -> bool:
    return at_office(user, fix.office)


def may_run_round(user, round_) -> bool:
    return at_office(user, round_.office)
