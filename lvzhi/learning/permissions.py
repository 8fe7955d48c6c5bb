"""Who may see and do what in 委员学习. Bodies are read from the user's role assignments (cached per request by
`accounts.permissions`) and active member profiles (one query, cached on the user object for the request)."""

from lvzhi.accounts.permissions import active_assignments, has_any_role, may_read_business_content
from lvzhi.accounts.roles import ADMIN_ROLES, Role
from lvzhi.accounts.selectors import profiles_of
from lvzhi.orgs.models import UnitFunction

from .models import Audience, Course

MEMBER_ROLES = (Role.MEMBER, Role.DEPUTY)
OFFICE_ROLES = (Role.STAFF, Role.HEAD)
# The offices that keep a body's library, courses and plans (with the body's leaders).
KEEPERS = (UnitFunction.STUDY, UnitFunction.LIAISON_OFFICE, UnitFunction.GENERAL_OFFICE, UnitFunction.RESEARCH_OFFICE)


def _profile_bodies(user) -> set[int]:
    return {p.body_id for p in profiles_of(user) if p.is_active}


def _bodies(user, roles) -> set[int]:
    return {a.unit.body_id or a.unit_id for a in active_assignments(user) if a.role in roles}


def member_bodies(user) -> set[int]:
    """Bodies of which the user is a member or deputy."""
    if not may_read_business_content(user):
        return set()
    return _bodies(user, MEMBER_ROLES) | _profile_bodies(user)


def manager_bodies(user) -> set[int]:
    """Bodies whose library, courses and plans the user keeps: staff and heads of its study section, liaison,
    general or research office, and its leaders."""
    if not may_read_business_content(user):
        return set()
    keepers = {
        a.unit.body_id or a.unit_id
        for a in active_assignments(user)
        if a.role in OFFICE_ROLES and a.unit.function in KEEPERS
    }
    return keepers | _bodies(user, (Role.LEADER,))


def user_bodies(user) -> set[int]:
    """Bodies the user works in or belongs to (any business role): they read its documents for the body."""
    if not may_read_business_content(user):
        return set()
    return _bodies(user, tuple(r for r in Role if r not in ADMIN_ROLES)) | _profile_bodies(user)


def may_manage(user, body) -> bool:
    return body is not None and body.pk in manager_bodies(user)


def may_see_document(user, document) -> bool:
    if document.body_id in manager_bodies(user):
        return True
    if not document.is_active or not may_read_business_content(user):
        return False
    if document.audience == Audience.EVERYONE:
        return True
    if document.audience == Audience.BODY:
        return document.body_id in user_bodies(user)
    return document.body_id in member_bodies(user)


def may_see_course(user, course) -> bool:
    if course.body_id in manager_bodies(user):
        return True
    return course.status == Course.Status.PUBLISHED and course.body_id in user_bodies(user)


def may_study(user, course) -> bool:
    return course.status == Course.Status.PUBLISHED and course.body_id in user_bodies(user)


def may_oversee(user, body) -> bool:
    """The body's liaison office (staff and heads) and its leaders see who is behind and remind them."""
    if body is None or not may_read_business_content(user):
        return False
    if has_any_role(user, (Role.LEADER,), body):
        return True
    return any(
        a.role in (Role.STAFF, Role.HEAD)
        and a.unit.function == UnitFunction.LIAISON_OFFICE
        and (a.unit.body_id or a.unit_id) == body.pk
        for a in active_assignments(user)
    )
