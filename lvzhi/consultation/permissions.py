"""Who may see and do what in remote consultation: small predicates of role × org unit × state.

- a member or deputy of a body: starts their own meeting (answers for its content), sees the meetings they
  organise or are invited to;
- staff or head of a department of the body: applies for the video-conference system for the department's meeting,
  invites, cancels and ends it; sees its department's meetings;
- the information office (its staff and head, or the body's information-office role): sees the applications;
- a leader (the body's leader or the information office's head): approves or refuses an application, never their
  own;
- the host (the organiser) moderates the room; invitees join it;
- the three administrators and another body's people: nothing (missing, not forbidden).
"""

from lvzhi.accounts.permissions import active_assignments, has_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitFunction

from .models import Meeting

S = Meeting.Status
OFFICE_ROLES = (Role.STAFF, Role.HEAD)
LIVE = (S.APPLIED, S.SCHEDULED)


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def is_member_of(user, body) -> bool:
    return _user(user) and body is not None and (has_role(user, Role.MEMBER, body) or has_role(user, Role.DEPUTY, body))


def works_at(user, unit) -> bool:
    return _user(user) and unit is not None and any(has_role(user, r, unit) for r in OFFICE_ROLES)


def departments_of(user, body) -> list:
    """The departments of `body` whose meetings the user may start (staff or head there)."""
    if not _user(user) or body is None:
        return []
    units = {
        a.unit
        for a in active_assignments(user)
        if a.role in OFFICE_ROLES and a.unit.body_id == body.pk and not a.unit.is_body
    }
    return sorted(units, key=lambda u: u.path)


def _info_units(user, body) -> list:
    return [
        a.unit
        for a in active_assignments(user)
        if a.unit.body_id == body.pk and a.unit.function == UnitFunction.INFO_OFFICE and a.role in OFFICE_ROLES
    ]


def is_info_office(user, body) -> bool:
    """Staff or head of the body's information office, or the information-office role over the body."""
    if not _user(user) or body is None:
        return False
    return has_role(user, Role.INFO_OFFICE, body) or bool(_info_units(user, body))


def is_approver(user, body) -> bool:
    """A leader: the body's leader or the head of its information office."""
    if not _user(user) or body is None:
        return False
    if has_role(user, Role.LEADER, body):
        return True
    return any(
        a.role == Role.HEAD and a.unit.body_id == body.pk and a.unit.function == UnitFunction.INFO_OFFICE
        for a in active_assignments(user)
    )


def may_start_member_meeting(user, body) -> bool:
    return is_member_of(user, body)


def may_apply(user, unit) -> bool:
    return works_at(user, unit) and not unit.is_body


def is_host(user, meeting: Meeting) -> bool:
    """The organiser, or staff of the organising department: they answer for the meeting and moderate it."""
    if not _user(user):
        return False
    return meeting.organiser_id == user.pk or (meeting.unit_id is not None and works_at(user, meeting.unit))


def is_invited(user, meeting: Meeting) -> bool:
    if not _user(user):
        return False
    cache = user.__dict__.setdefault("_consult_invited", {})
    if meeting.pk not in cache:
        cache[meeting.pk] = meeting.invitations.filter(user=user).exists()
    return cache[meeting.pk]


def may_view(user, meeting: Meeting) -> bool:
    if not _user(user):
        return False
    if is_host(user, meeting) or is_invited(user, meeting):
        return True
    return meeting.kind == Meeting.Kind.DEPARTMENT and (
        is_info_office(user, meeting.body) or is_approver(user, meeting.body)
    )


def may_decide(user, meeting: Meeting) -> bool:
    return meeting.status == S.APPLIED and meeting.organiser_id != user.pk and is_approver(user, meeting.body)


def may_invite(user, meeting: Meeting) -> bool:
    return meeting.status in LIVE and is_host(user, meeting)


def may_cancel(user, meeting: Meeting) -> bool:
    return meeting.status in LIVE and is_host(user, meeting)


def may_end(user, meeting: Meeting) -> bool:
    return meeting.status == S.SCHEDULED and is_host(user, meeting)


def may_join(user, meeting: Meeting) -> bool:
    """Only the invited and the hosts get a room token (a meeting that is not scheduled has no room)."""
    return meeting.status == S.SCHEDULED and (is_host(user, meeting) or is_invited(user, meeting))


def may_see_queue(user, body) -> bool:
    return is_info_office(user, body) or is_approver(user, body)
