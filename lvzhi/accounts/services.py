"""Every write on accounts. Each service validates, saves, audits in the same transaction."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.orgs.models import OrgUnit

from .models import MemberProfile, PasswordHistory, RoleAssignment, User
from .models.user import phone_validator
from .permissions import forget_assignments
from .roles import ADMIN_ROLES, Role


@transaction.atomic
def create_user(
    *,
    actor,
    phone: str,
    real_name: str,
    unit: OrgUnit,
    initial_password: str,
    id_card: str = "",
    email: str = "",
    title: str = "",
) -> User:
    """Staff create accounts (no self-registration). The user must change the initial password (S0-22)."""
    phone = (phone or "").strip()
    real_name = (real_name or "").strip()
    try:
        phone_validator(phone)
    except ValidationError:
        raise ValidationFailed(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
    if not real_name:
        raise ValidationFailed(_("The real name is required."), code="real_name_required")
    if User.objects.filter(phone=phone).exists():
        raise Conflict(_("An account with this mobile number already exists."), code="phone_taken")
    user = User(phone=phone, real_name=real_name, unit=unit, id_card=id_card.strip().upper(), email=email, title=title)
    user.set_password(initial_password)
    user.must_change_password = True
    user.save()
    PasswordHistory.objects.create(user=user, password=user.password)
    record(
        "accounts.user.create",
        actor=actor,
        obj=user,
        org_unit=unit,
        after={"phone": user.masked_phone, "real_name": real_name, "unit": unit.pk},
    )
    return user


@transaction.atomic
def change_password(*, user: User, new_password: str, actor=None) -> None:
    """Set a new password under the policy (length, classes, not the phone, not one of the last five)."""
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), code="weak_password")
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    record("accounts.password.change", actor=actor or user, obj=user, org_unit=user.unit_id)


@transaction.atomic
def grant_role(*, actor, user: User, role: str, unit: OrgUnit, include_descendants: bool = False) -> RoleAssignment:
    """Grant a role at a unit; effective at the user's next request (S0-27). 三员: at most one admin role."""
    if role not in Role.values:
        raise ValidationFailed(code="unknown_role")
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise grants to one user
    active = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
    held = set(active.values_list("role", flat=True))
    if role in ADMIN_ROLES and held - {role}:
        raise Conflict(_("An administrator may hold no other role."), code="admin_roles_separated")
    if role not in ADMIN_ROLES and held & ADMIN_ROLES:
        raise Conflict(_("An administrator may hold no other role."), code="admin_roles_separated")
    if active.filter(role=role, unit=unit).exists():
        raise Conflict(_("The user already holds this role at this unit."), code="role_held")
    assignment = RoleAssignment.objects.create(
        user=user, role=role, unit=unit, include_descendants=include_descendants, granted_by=actor
    )
    forget_assignments(user)
    record(
        "accounts.role.grant",
        actor=actor,
        obj=user,
        org_unit=unit,
        after={"role": role, "unit": unit.pk, "include_descendants": include_descendants},
    )
    return assignment


@transaction.atomic
def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    updated = RoleAssignment.objects.filter(pk=assignment.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    if not updated:
        raise Conflict(code="already_revoked")
    forget_assignments(assignment.user)
    record(
        "accounts.role.revoke",
        actor=actor,
        obj=assignment.user,
        org_unit=assignment.unit_id,
        before={"role": assignment.role, "unit": assignment.unit_id},
    )


@transaction.atomic
def set_member_profile(
    *, actor, user: User, body: OrgUnit, sector=None, committee=None, delegation=None, term="", workplace=""
) -> MemberProfile:
    profile, created = MemberProfile.objects.get_or_create(user=user, body=body)
    before = None if created else {"sector": profile.sector_id, "committee": profile.committee_id}
    profile.sector, profile.committee, profile.delegation = sector, committee, delegation
    profile.term, profile.workplace = term, workplace
    profile.save(update_fields=["sector", "committee", "delegation", "term", "workplace"])
    record(
        "accounts.profile.set",
        actor=actor,
        obj=user,
        org_unit=body,
        before=before,
        after={"sector": getattr(sector, "pk", None), "committee": getattr(committee, "pk", None)},
    )
    return profile
