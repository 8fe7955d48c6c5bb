"""Who may see and do what with a public message.

- the deputy a message is written to: read it, answer, forward it, pass it on (as a suggestion or a public-opinion
  report), close it with a result, decline it;
- the staff of the unit that answers for it (the contact station, the host unit of a website or account, or for a
  deputy without a station the body's office): the same, except passing on, which is the deputy's own;
- the competent department it was forwarded to (staff, head, handling staff): read it and answer it;
- the office of the body (the liaison office, else the general office, else the body's staff): read every message
  of the body and decide whether a public reply is published;
- the writer: by the lookup code, the status, the reply and the result (never the handler's internals);
- everybody else, other bodies and the three administrators: nothing (missing, not forbidden).
"""

from django.db.models import Q

from lvzhi.accounts.permissions import active_assignments, has_any_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitFunction
from lvzhi.orgs.selectors import unit_by_function

from .models import Letter, Target

S = Letter.Status
UNIT_ROLES = (Role.STAFF, Role.HEAD, Role.NM_OPERATOR, Role.NM_EDITOR)
DEPARTMENT_ROLES = (Role.STAFF, Role.HEAD, Role.HANDLING)
OFFICE_ROLES = (Role.STAFF, Role.HEAD)
OPEN = (S.RECEIVED, S.FORWARDED, S.ANSWERED, S.PASSED_ON)


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def office_of(body):
    """The office that oversees a body's public messages and its deputies' pages (the liaison office first)."""
    if body is None:
        return None
    return (
        unit_by_function(body, UnitFunction.LIAISON_OFFICE)
        or unit_by_function(body, UnitFunction.GENERAL_OFFICE)
        or body
    )


def is_office(user, body) -> bool:
    office = office_of(body)
    return _user(user) and office is not None and has_any_role(user, OFFICE_ROLES, office)


def office_bodies(user) -> set[int]:
    """Ids of the bodies whose office the user works in."""
    if not _user(user):
        return set()
    bodies = set()
    for a in active_assignments(user):
        if a.role in OFFICE_ROLES:
            body = a.unit.body or a.unit
            if office_of(body) == a.unit:
                bodies.add(body.pk)
    return bodies


def is_deputy(user, letter: Letter) -> bool:
    return _user(user) and letter.deputy_id is not None and letter.deputy_id == user.pk


def answers_for(user, letter: Letter) -> bool:
    """The deputy or the staff of the unit that answers for the message."""
    return is_deputy(user, letter) or (_user(user) and has_any_role(user, UNIT_ROLES, letter.unit))


def at_department(user, letter: Letter) -> bool:
    return (
        _user(user) and letter.forwarded_to_id is not None and has_any_role(user, DEPARTMENT_ROLES, letter.forwarded_to)
    )


def may_see(user, letter: Letter) -> bool:
    return answers_for(user, letter) or at_department(user, letter) or is_office(user, letter.body)


# ---- the steps -------------------------------------------------------------------------------------------------


def may_answer(user, letter: Letter) -> bool:
    return answers_for(user, letter) or at_department(user, letter)


def may_handle(user, letter: Letter) -> bool:
    return answers_for(user, letter)


def may_pass_on(user, letter: Letter) -> bool:
    return letter.target == Target.DEPUTY and is_deputy(user, letter)


def may_publish(user, letter: Letter) -> bool:
    return is_office(user, letter.body)


def may_propose_publication(user, letter: Letter) -> bool:
    return may_answer(user, letter) or is_office(user, letter.body)


# ---- lists -----------------------------------------------------------------------------------------------------


def _role_q(user, roles, field: str) -> Q:
    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role not in roles:
            continue
        q |= Q(**{f"{field}_id": a.unit_id})
        if a.include_descendants:
            q |= Q(**{f"{field}__path__startswith": a.unit.path})
    return q


def visible_q(user) -> Q:
    """Messages the user may see, as one filter (the office's by the office unit's body)."""
    if not _user(user):
        return Q(pk__in=[])
    q = Q(deputy=user) | _role_q(user, UNIT_ROLES, "unit") | _role_q(user, DEPARTMENT_ROLES, "forwarded_to")
    bodies = office_bodies(user)
    if bodies:
        q |= Q(body_id__in=bodies)
    return q


def has_queue(user) -> bool:
    return _user(user)
