"""Who may see and do what in the duty module: small predicates of role × org unit × state.

- a member: their own records, total, ranks and objections (never anyone else's details, S3-10);
- an entering unit (staff or head of the office or committee, or its module administrator, S3-15): enters
  records of the kinds it enters, opens events, decides late check-ins and leave, answers objections sent to it;
- the entering unit's head: reviews records before they count (S3-7);
- the members' work committee (the body's unit with the liaison function: staff or head): approves late entries,
  draws and checks samples, keeps profiles (S3-4), edits rules, publishes results, names department
  administrators, sees every member of the body;
- the general office and body leaders: see every member's points and details of the body (seed 003 art. 10);
- a committee: the points and details of its own members;
- the three administrators and another body's people: nothing (missing, not forbidden).
"""

from django.db.models import Q

from lvzhi.accounts.models import MemberProfile
from lvzhi.accounts.permissions import active_assignments, has_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.core import cache as shared_cache
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import unit_by_function

from .models import DepartmentAdmin, Objection, Record

OFFICE_ROLES = (Role.STAFF, Role.HEAD)
R = Record.Status


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def _admin_departments(user) -> set[int]:
    cached = getattr(user, "_duty_admin_units", None)
    if cached is None:

        def load():
            return set(
                DepartmentAdmin.objects.filter(user=user, ended_at__isnull=True).values_list("department_id", flat=True)
            )

        # between requests: kept until the next audited write (appointing and ending an administrator are audited)
        cached = shared_cache.cached(shared_cache.WRITES_KEY, load, timeout=600, variant=("duty.admins", user.pk))
        user._duty_admin_units = cached
    return cached


def forget(user) -> None:
    user.__dict__.pop("_duty_admin_units", None)


def works_at(user, unit) -> bool:
    """Staff or head of `unit`, or its administrator for this module."""
    if not _user(user) or unit is None:
        return False
    return any(has_role(user, r, unit) for r in OFFICE_ROLES) or unit.pk in _admin_departments(user)


def is_head(user, unit) -> bool:
    return _user(user) and unit is not None and has_role(user, Role.HEAD, unit)


def liaison_of(body):
    return unit_by_function(body, UnitFunction.LIAISON_OFFICE)


def is_liaison(user, body) -> bool:
    """Staff or head of the body's members' work committee."""
    if not _user(user) or body is None:
        return False
    cache = user.__dict__.setdefault("_duty_liaison", {})
    if body.pk not in cache:
        # no office role anywhere and no department to administer (every member): no query for the unit
        office = any(a.role in OFFICE_ROLES for a in active_assignments(user))
        if not office and not _admin_departments(user):
            cache[body.pk] = False
        else:
            unit = liaison_of(body)
            cache[body.pk] = unit is not None and works_at(user, unit)
    return cache[body.pk]


def is_leader(user, body) -> bool:
    return _user(user) and has_role(user, Role.LEADER, body)


def is_member_of(user, body) -> bool:
    return _user(user) and (has_role(user, Role.MEMBER, body) or has_role(user, Role.DEPUTY, body))


def sees_whole_body(user, body) -> bool:
    """The members' work committee, the general office and the body's leaders see every member (art. 10)."""
    if not _user(user):
        return False
    if is_liaison(user, body) or is_leader(user, body):
        return True
    return any(
        a.role in OFFICE_ROLES and a.unit.body_id == body.pk and a.unit.function == UnitFunction.GENERAL_OFFICE
        for a in active_assignments(user)
    )


def committees_of(user, body) -> list[int]:
    """The committees of `body` where the user works (their members' points and details are the user's to see)."""
    if not _user(user):
        return []
    ids = {
        a.unit_id
        for a in active_assignments(user)
        if a.role in OFFICE_ROLES and a.unit.body_id == body.pk and a.unit.kind == UnitKind.COMMITTEE
    }
    ids |= set(_admin_departments(user))
    return sorted(ids)


def may_manage(user, body) -> bool:
    """Sees 履职管理 of the body at all: any office role there, or the body's leader."""
    return sees_whole_body(user, body) or bool(office_units(user, body))


def office_units(user, body) -> list:
    if not _user(user):
        return []
    units = {a.unit for a in active_assignments(user) if a.role in OFFICE_ROLES and a.unit.body_id == body.pk}
    if _admin_departments(user):
        units |= set(OrgUnit.objects.filter(pk__in=_admin_departments(user), body=body))
    return sorted(units, key=lambda u: u.path)


def member_scope_q(user, body) -> Q:
    """The MemberYear rows of `body` whose points and details the user sees (their own always)."""
    if not _user(user):
        return Q(pk__in=[])
    if sees_whole_body(user, body):
        return Q(body=body)
    return Q(body=body) & (Q(committee_id__in=committees_of(user, body)) | Q(member=user))


def may_view_member(user, body, member, committee_id=None) -> bool:
    if not _user(user):
        return False
    if member.pk == user.pk:
        return True
    if sees_whole_body(user, body):
        return True
    return committee_id is not None and committee_id in committees_of(user, body)


def may_view_record(user, record: Record) -> bool:
    if not _user(user):
        return False
    return (
        record.member_id == user.pk
        or works_at(user, record.unit)
        or works_at(user, record.organiser)
        or may_view_member(user, record.body, record.member, _committee_id(record))
    )


def _committee_id(record):
    cached = getattr(record, "_committee_id", "unset")
    if cached == "unset":
        cached = (
            MemberProfile.objects.filter(user_id=record.member_id, body_id=record.body_id)
            .values_list("committee_id", flat=True)
            .first()
        )
        record._committee_id = cached
    return cached


def may_enter(user, unit) -> bool:
    return works_at(user, unit)


def may_review(user, record: Record) -> bool:
    """The entering unit's head reviews (谁录入、谁审核); nobody reviews their own record."""
    return record.status == R.PENDING and record.member_id != user.pk and is_head(user, record.unit)


def may_approve_late(user, record: Record) -> bool:
    return record.status == R.NEEDS_APPROVAL and record.member_id != user.pk and is_liaison(user, record.body)


def may_withdraw(user, record: Record) -> bool:
    return record.status in (R.PENDING, R.NEEDS_APPROVAL) and works_at(user, record.unit)


def may_object(user, *, body) -> bool:
    return is_member_of(user, body)


def may_answer(user, objection: Objection) -> bool:
    return (
        objection.status == Objection.Status.OPEN and objection.member_id != user.pk and works_at(user, objection.unit)
    )


def may_view_objection(user, objection: Objection) -> bool:
    return _user(user) and (
        objection.member_id == user.pk or works_at(user, objection.unit) or is_liaison(user, objection.body)
    )
