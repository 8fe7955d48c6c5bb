"""Who may do what in the back office: small predicates over role × org unit, tested as a matrix.

- information office (role info_office at a unit, reaching below when granted so): manages the accounts of the
  users of its units (S0-2): list, create, edit, roles, freeze, leaver, initial password;
- general office (role staff at a unit with function general_office): the staff of its body (S0-26);
- liaison office (role staff at a unit with function liaison_office): the members and deputies of its body (S0-26);
- system administrator: org units, body settings, the calendar; security administrator: roles (only they grant
  the three administrator roles) and freezing; audit administrator: the audit log only (三员分立).
None of the three administrators sees business content or full ID-card numbers. Nobody acts on their own account.
"""

from django.db.models import Exists, OuterRef, Q

from lvzhi.accounts.models import RoleAssignment
from lvzhi.accounts.permissions import (
    active_assignments,
    has_role,
    is_administrator,
    may_see_identity,
    role_codes,
)
from lvzhi.accounts.roles import ADMIN_ROLES, Role
from lvzhi.orgs.models import OrgUnit, UnitFunction

BACKOFFICE_ROLES = {
    Role.STAFF,
    Role.HEAD,
    Role.LEADER,
    Role.INFO_OFFICE,
    Role.SECRECY_OFFICE,
    Role.HOTLINE,
    Role.HANDLING,
    Role.NM_COMPETENT,
    Role.SYSADMIN,
    Role.SECADMIN,
    Role.AUDITADMIN,
}
MEMBER_ROLES = (Role.MEMBER, Role.DEPUTY)
# Roles the information office may grant; the administrator roles are the security administrator's alone.
OFFICE_GRANTABLE_ROLES = tuple(r for r in Role.values if r not in ADMIN_ROLES)


def may_enter_backoffice(user) -> bool:
    return bool(role_codes(user) & BACKOFFICE_ROLES)


# ---- scopes -------------------------------------------------------------------------------------------------


def _office_bodies(user, function: str) -> list[int]:
    """Ids of the bodies where the user is staff of the office with `function`."""
    return [
        a.unit.body_id
        for a in active_assignments(user)
        if a.role == Role.STAFF and a.unit.function == function and a.unit.body_id
    ]


def general_office_bodies(user) -> list[int]:
    return _office_bodies(user, UnitFunction.GENERAL_OFFICE)


def liaison_office_bodies(user) -> list[int]:
    return _office_bodies(user, UnitFunction.LIAISON_OFFICE)


def unit_scope_q(user, roles) -> Q:
    """A filter on OrgUnit: the units where the user holds one of `roles` (and below, where it reaches)."""
    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role in roles:
            q |= Q(pk=a.unit_id)
            if a.include_descendants:
                q |= Q(path__startswith=a.unit.path)
    return q


def user_scope_q(user, roles, field="unit") -> Q:
    """A filter on User: users whose unit lies where `user` holds one of `roles`."""
    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role in roles:
            q |= Q(**{f"{field}_id": a.unit_id})
            if a.include_descendants:
                q |= Q(**{f"{field}__path__startswith": a.unit.path})
    return q


def member_exists():
    """An expression: the user (OuterRef pk) holds an active member or deputy role."""
    return Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=MEMBER_ROLES, revoked_at__isnull=True))


def visible_users_q(user) -> Q:
    """Every user the actor may find in the back office (list and by id). Needs `is_member` annotated."""
    q = user_scope_q(user, (Role.INFO_OFFICE, Role.SECADMIN))
    general = general_office_bodies(user)
    if general:
        q |= Q(unit__body_id__in=general, is_member=False)
    liaison = liaison_office_bodies(user)
    if liaison:
        q |= Q(unit__body_id__in=liaison, is_member=True)
    return q


def is_member_or_deputy(target) -> bool:
    value = getattr(target, "is_member", None)
    if value is None:
        value = RoleAssignment.objects.filter(user=target, role__in=MEMBER_ROLES, revoked_at__isnull=True).exists()
        target.is_member = value
    return value


def _held_admin(target) -> bool:
    """Does the target hold an administrator role? (read once and kept on the object)"""
    value = getattr(target, "_bo_is_admin", None)
    if value is None:
        value = RoleAssignment.objects.filter(user=target, role__in=ADMIN_ROLES, revoked_at__isnull=True).exists()
        target._bo_is_admin = value
    return value


def _info_office_over(actor, target) -> bool:
    return target.unit is not None and has_role(actor, Role.INFO_OFFICE, target.unit)


def _secadmin_over(actor, target) -> bool:
    return target.unit is not None and has_role(actor, Role.SECADMIN, target.unit)


def _general_over(actor, target) -> bool:
    return (
        target.unit is not None
        and target.unit.body_id in general_office_bodies(actor)
        and not (is_member_or_deputy(target))
    )


def _liaison_over(actor, target) -> bool:
    return (
        target.unit is not None and target.unit.body_id in liaison_office_bodies(actor) and is_member_or_deputy(target)
    )


# ---- users ---------------------------------------------------------------------------------------------------


def may_list_users(actor) -> bool:
    return (
        has_role(actor, Role.INFO_OFFICE)
        or has_role(actor, Role.SECADMIN)
        or bool(general_office_bodies(actor) or liaison_office_bodies(actor))
    )


def may_view_user(actor, target) -> bool:
    return (
        _info_office_over(actor, target)
        or _secadmin_over(actor, target)
        or _general_over(actor, target)
        or _liaison_over(actor, target)
    )


def may_create_user(actor, unit: OrgUnit | None = None) -> bool:
    """The information office creates accounts at the units it covers (staff-only creation, S0-22)."""
    if unit is None:
        return has_role(actor, Role.INFO_OFFICE)
    return unit.is_active and has_role(actor, Role.INFO_OFFICE, unit)


def _not_self(actor, target) -> bool:
    return actor.pk != target.pk


def may_edit_user(actor, target) -> bool:
    """Basic data (name, post, e-mail, unit, ID card): the information office; the general office for staff and
    the liaison office for members and deputies of their body. Administrators' accounts are left alone."""
    if not _not_self(actor, target) or _held_admin(target):
        return False
    return _info_office_over(actor, target) or _general_over(actor, target) or _liaison_over(actor, target)


def may_edit_member_profile(actor, target) -> bool:
    """Sector, committee, delegation, term, workplace of a member or deputy: the liaison office (S0-26)."""
    return _not_self(actor, target) and _liaison_over(actor, target)


def may_move_user_to(actor, unit: OrgUnit) -> bool:
    """A user may be moved to a unit only by someone covering that unit as well."""
    return unit.is_active and has_role(actor, Role.INFO_OFFICE, unit)


def may_grant_role(actor, target, role: str, unit: OrgUnit) -> bool:
    """Administrator roles: the security administrator only. Other roles: the information office at the unit (and
    over the user) or the security administrator there."""
    if not _not_self(actor, target) or not unit.is_active:
        return False
    if role in ADMIN_ROLES:
        return has_role(actor, Role.SECADMIN, unit) and _secadmin_over(actor, target)
    if role not in Role.values:
        return False
    if has_role(actor, Role.SECADMIN, unit) and _secadmin_over(actor, target):
        return True
    return has_role(actor, Role.INFO_OFFICE, unit) and _info_office_over(actor, target) and not _held_admin(target)


def may_revoke_role(actor, assignment: RoleAssignment) -> bool:
    return may_grant_role(actor, assignment.user, assignment.role, assignment.unit)


def may_manage_roles(actor, target) -> bool:
    """Show the role form at all?"""
    if not _not_self(actor, target):
        return False
    if _secadmin_over(actor, target):
        return True
    return _info_office_over(actor, target) and not _held_admin(target)


def may_freeze(actor, target) -> bool:
    """Freeze and unfreeze (S0-24): the information office over the user, or the security administrator."""
    if not _not_self(actor, target):
        return False
    if _secadmin_over(actor, target):
        return True
    return _info_office_over(actor, target) and not _held_admin(target)


def may_deactivate(actor, target) -> bool:
    """A leaver (S0-27, S2-38): the information office over the user."""
    return (
        _not_self(actor, target) and target.is_active and _info_office_over(actor, target) and not _held_admin(target)
    )


def may_reset_password(actor, target) -> bool:
    return (
        _not_self(actor, target) and target.is_active and _info_office_over(actor, target) and not _held_admin(target)
    )


def may_see_full_id_card(actor, target) -> bool:
    """Never for the three administrators; otherwise accounts.permissions.may_see_identity."""
    return not is_administrator(actor) and may_see_identity(actor, target)


# ---- org units and settings ----------------------------------------------------------------------------------

UNIT_READER_ROLES = (Role.SYSADMIN, Role.INFO_OFFICE, Role.SECADMIN)


def may_view_units(actor) -> bool:
    return bool(role_codes(actor) & set(UNIT_READER_ROLES))


def visible_units_q(actor) -> Q:
    return unit_scope_q(actor, UNIT_READER_ROLES)


def may_view_unit(actor, unit: OrgUnit) -> bool:
    return any(has_role(actor, role, unit) for role in UNIT_READER_ROLES)


def may_manage_units(actor, unit: OrgUnit | None = None) -> bool:
    """Create (below `unit`), rename, deactivate: the system administrator at or above the unit."""
    return has_role(actor, Role.SYSADMIN, unit)


def may_manage_settings(actor, body: OrgUnit | None = None) -> bool:
    return has_role(actor, Role.SYSADMIN, body)


# ---- the side navigation ---------------------------------------------------------------------------------------


def may_see_calendar(actor) -> bool:
    return has_role(actor, Role.SYSADMIN)


def may_see_audit_log(actor) -> bool:
    return has_role(actor, Role.AUDITADMIN)


def may_see_datachange_queue(actor) -> bool:
    return bool(general_office_bodies(actor) or liaison_office_bodies(actor))


def may_grant_admin_roles(actor, target) -> bool:
    """Offer the three administrator roles at all? Only to the security administrator over the user."""
    return _not_self(actor, target) and _secadmin_over(actor, target)


STAFFING_ROLES = (Role.INFO_OFFICE, Role.SYSADMIN, Role.SECADMIN)


def may_see_staffing(actor) -> bool:
    """Workflow steps nobody can take (unit and role names only, no business content): the information office and
    the system and security administrators, for the bodies they reach."""
    return bool(role_codes(actor) & set(STAFFING_ROLES))
