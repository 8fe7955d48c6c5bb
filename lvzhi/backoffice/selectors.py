"""Reads of the back office, always filtered by what the actor may see. Another body's data is "not found"."""

import json
import re

from django.db.models import Exists, OuterRef, Prefetch, Q

from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound
from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.orgs.selectors import units_with_user_counts

from . import permissions as perms

MASKED_PHONE = re.compile(r"^(\d{3})\*+(\d{4})$")


def _users_base(actor):
    return User.objects.annotate(is_member=perms.member_exists()).filter(perms.visible_users_q(actor))


def _search_q(text: str) -> Q:
    """By name, by (part of) the mobile number, or by the masked form shown in lists (138****0001)."""
    text = text.strip()
    masked = MASKED_PHONE.match(text)
    if masked:
        return Q(phone__startswith=masked.group(1), phone__endswith=masked.group(2))
    if text.isdigit():
        return Q(phone__contains=text)
    return Q(real_name__icontains=text)


def users_for(actor, *, q: str = "", unit: OrgUnit | None = None, role: str = "", status: str = ""):
    """The users the actor may manage, newest structure first; query count independent of the page size."""
    qs = _users_base(actor)
    if q:
        qs = qs.filter(_search_q(q))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if role:
        qs = qs.filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"), role=role, revoked_at__isnull=True)))
    if status == "active":
        qs = qs.filter(is_active=True, is_frozen=False)
    elif status == "frozen":
        qs = qs.filter(is_frozen=True)
    elif status == "left":
        qs = qs.filter(is_active=False)
    return (
        qs.select_related("unit", "unit__body")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.filter(revoked_at__isnull=True).select_related("unit"),
                to_attr="active_roles",
            )
        )
        .order_by("unit__path", "real_name", "pk")
    )


def access_user(actor, user_id) -> User:
    """The user if the actor may see them in the back office, else NotFound (missing and forbidden alike)."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        raise NotFound()
    user = _users_base(actor).select_related("unit", "unit__body").filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def active_roles_of(user):
    return list(
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("unit").order_by("granted_at")
    )


def access_assignment(actor, user: User, assignment_id) -> RoleAssignment:
    try:
        assignment_id = int(assignment_id)
    except (TypeError, ValueError):
        raise NotFound()
    assignment = (
        RoleAssignment.objects.select_related("unit", "user", "user__unit")
        .filter(pk=assignment_id, user=user, revoked_at__isnull=True)
        .first()
    )
    if assignment is None:
        raise NotFound()
    assignment.user = user  # keep the annotations of the accessed user
    return assignment


def member_profiles_of(user):
    return list(
        MemberProfile.objects.filter(user=user)
        .select_related("body", "sector", "committee", "delegation")
        .order_by("pk")
    )


# ---- units --------------------------------------------------------------------------------------------------


def units_where(actor, roles, *, active_only=True):
    """Units where the actor holds one of `roles` (for form choices)."""
    qs = OrgUnit.objects.filter(perms.unit_scope_q(actor, roles))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.select_related("body").order_by("path")


def unit_tree_for(actor, *, include_inactive=False):
    """The units the actor may see, in tree order, with user counts: one query."""
    qs = units_with_user_counts(perms.visible_units_q(actor))
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs


def access_unit(actor, unit_id) -> OrgUnit:
    try:
        unit_id = int(unit_id)
    except (TypeError, ValueError):
        raise NotFound()
    unit = OrgUnit.objects.filter(perms.visible_units_q(actor), pk=unit_id).select_related("parent", "body").first()
    if unit is None:
        raise NotFound()
    return unit


def children_with_counts(unit: OrgUnit):
    return units_with_user_counts(Q(parent=unit)).order_by("sort_order", "path")


def bodies_for_settings(actor):
    return (
        OrgUnit.objects.filter(perms.unit_scope_q(actor, (Role.SYSADMIN,)), kind=UnitKind.BODY)
        .select_related("parent")
        .order_by("path")
    )


def access_settings_body(actor, body_id) -> OrgUnit:
    try:
        body_id = int(body_id)
    except (TypeError, ValueError):
        raise NotFound()
    body = bodies_for_settings(actor).filter(pk=body_id).first()
    if body is None:
        raise NotFound()
    return body


def body_units(body: OrgUnit, kinds) -> list[OrgUnit]:
    """Active units of `kinds` within `body` (not those of bodies below it): sectors, committees, delegations."""
    return list(OrgUnit.objects.filter(body=body, kind__in=kinds, is_active=True).order_by("sort_order", "path"))


def user_filter_units(actor):
    """Units offered in the user-list filter: where the actor manages accounts or profiles."""
    q = perms.unit_scope_q(actor, (Role.INFO_OFFICE, Role.SECADMIN))
    bodies = perms.general_office_bodies(actor) + perms.liaison_office_bodies(actor)
    if bodies:
        q |= Q(body_id__in=bodies)
    return OrgUnit.objects.filter(q, is_active=True).order_by("path")


def grant_units(actor):
    """Units where the actor may grant some role."""
    return units_where(actor, (Role.INFO_OFFICE, Role.SECADMIN))


def ancestors_of(unit: OrgUnit):
    return OrgUnit.objects.filter(id__in=unit.ancestor_ids()[:-1]).order_by("depth")


def as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False)
