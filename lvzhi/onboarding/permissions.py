"""Who onboards a body (S0-2, S0-26, S3-4): its members and deputies are imported and exported by the body's liaison
office (staff of the unit with function liaison_office: it maintains the members, S0-26) and by the information
office holding its role at the body (it manages the users, S0-2); the org-unit tree by the system administrator at
the body (who alone creates units, 三员分立: the system administrator never sees the member lists, the information
office never builds the tree); staff with their roles by the information office at the body alone (it grants the
roles, S0-2; the general office keeps the staff's data but grants no role); past proposals and replies by the body's
proposals office (staff or head of its `proposals_office` unit) and the information office. Another body's jobs
answer as if they did not exist."""

from django.db.models import Q

from lvzhi.accounts.permissions import active_assignments, has_role
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind

from .models import ImportJob


def _office_bodies_q(user, function: str) -> Q:
    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role in (Role.STAFF, Role.HEAD) and a.unit.function == function and a.unit.body_id:
            q |= Q(pk=a.unit.body_id)
    return q


def _bodies_q(user, role: str) -> Q:
    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role != role:
            continue
        if role == Role.STAFF:
            if a.unit.function == UnitFunction.LIAISON_OFFICE and a.unit.body_id:
                q |= Q(pk=a.unit.body_id)
            continue
        if a.unit.body_id:
            q |= Q(pk=a.unit.body_id)
        if a.include_descendants:
            q |= Q(path__startswith=a.unit.path)
    return q


def member_bodies_q(user) -> Q:
    return _bodies_q(user, Role.STAFF) | _bodies_q(user, Role.INFO_OFFICE)


def unit_bodies_q(user) -> Q:
    return _bodies_q(user, Role.SYSADMIN)


def bodies(user, kind: str):
    """The bodies `user` may import `kind` into (and export from)."""
    if kind == ImportJob.Kind.UNITS:
        q = unit_bodies_q(user)
    elif kind == ImportJob.Kind.STAFF:
        q = _bodies_q(user, Role.INFO_OFFICE)
    elif kind == ImportJob.Kind.PROPOSALS:
        q = _office_bodies_q(user, UnitFunction.PROPOSALS_OFFICE) | _bodies_q(user, Role.INFO_OFFICE)
    else:
        q = member_bodies_q(user)
    return OrgUnit.objects.filter(q, kind=UnitKind.BODY, is_active=True).order_by("path")


def may_import(user, body: OrgUnit, kind: str) -> bool:
    if not body.is_body or not body.is_active:
        return False
    if kind == ImportJob.Kind.UNITS:
        return has_role(user, Role.SYSADMIN, body)
    if kind == ImportJob.Kind.STAFF:
        return has_role(user, Role.INFO_OFFICE, body)
    if kind == ImportJob.Kind.PROPOSALS:
        office = any(
            a.role in (Role.STAFF, Role.HEAD)
            and a.unit.function == UnitFunction.PROPOSALS_OFFICE
            and a.unit.body_id == body.pk
            for a in active_assignments(user)
        )
        return office or has_role(user, Role.INFO_OFFICE, body)
    if kind not in ImportJob.Kind.values:
        return False
    liaison = any(
        a.role == Role.STAFF and a.unit.function == UnitFunction.LIAISON_OFFICE and a.unit.body_id == body.pk
        for a in active_assignments(user)
    )
    return liaison or has_role(user, Role.INFO_OFFICE, body)


def may_onboard(user) -> bool:
    """Show the onboarding pages at all (the back office's navigation)."""
    return any(
        (a.role == Role.STAFF and a.unit.function == UnitFunction.LIAISON_OFFICE)
        or (a.role in (Role.STAFF, Role.HEAD) and a.unit.function == UnitFunction.PROPOSALS_OFFICE)
        or a.role in (Role.INFO_OFFICE, Role.SYSADMIN)
        for a in active_assignments(user)
    )


def may_see_identity_numbers(user, body: OrgUnit) -> bool:
    """Full phone and ID-card numbers in an export: the information office only (S2-34); the liaison office gets
    them masked (it sees the people, not their identifiers)."""
    return has_role(user, Role.INFO_OFFICE, body)
