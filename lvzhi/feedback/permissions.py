"""Who may see and do what with feedback.

- its author: their own feedback and its answer (a visitor: by the lookup code they were given);
- the information office (信息化办) of the body it was given to (and of a body above, where its role reaches down):
  every feedback of those bodies, and the steps: answer, record the change it led to, close;
- the three administrators and everybody else: nothing (missing, not forbidden).
"""

from django.db.models import Q

from lvzhi.accounts.permissions import active_assignments, is_administrator
from lvzhi.accounts.roles import Role


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def handled_q(user, field: str = "body") -> Q:
    """Rows whose body the user's information office handles (empty if none)."""
    q = Q(pk__in=[])
    if not _user(user):
        return q
    for a in active_assignments(user):
        if a.role != Role.INFO_OFFICE:
            continue
        q |= Q(**{f"{field}_id": a.unit.body_id or a.unit_id})
        if a.include_descendants:
            q |= Q(**{f"{field}__path__startswith": a.unit.path})
    return q


def handles_any(user) -> bool:
    return _user(user) and any(a.role == Role.INFO_OFFICE for a in active_assignments(user))


def handles(user, feedback) -> bool:
    if not _user(user):
        return False
    for a in active_assignments(user):
        if a.role != Role.INFO_OFFICE:
            continue
        if feedback.body_id == (a.unit.body_id or a.unit_id):
            return True
        if a.include_descendants and feedback.body.path.startswith(a.unit.path):
            return True
    return False


def may_see(user, feedback) -> bool:
    mine = _user(user) and feedback.author_id == user.pk
    return mine or handles(user, feedback)


def may_give(user) -> bool:
    """Anybody may give feedback except the three administrators (who report through the security channel)."""
    return not (getattr(user, "is_authenticated", False) and is_administrator(user))
