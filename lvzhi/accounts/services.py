"""Every write on accounts. Each service validates, saves, audits in the same transaction."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record, record_many
from lvzhi.core import hooks
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.core.masking import mask_id_card, mask_phone
from lvzhi.core.validation import clean_id_card, clean_text
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit

from .models import MemberProfile, PasswordHistory, RoleAssignment, User
from .models.user import phone_validator
from .passwords import generate_initial_password
from .permissions import forget_assignments, manages_account, may_freeze
from .roles import ADMIN_ROLES, Role
from .tokens import revoke_all_tokens


@transaction.atomic
def create_user(
    *,
    actor,
    phone: str,
    real_name: str,
    unit: OrgUnit,
    initial_password: str | None,
    id_card: str = "",
    email: str = "",
    title: str = "",
) -> User:
    """Staff create accounts (no self-registration). The user must change the initial password (S0-22).

    `initial_password=None` (bulk onboarding) leaves the account without a usable password until one is issued
    (`issue_initial_password`) or the person sets one through the SMS reset."""
    phone = (phone or "").strip()
    real_name = clean_text(real_name, field="real_name", max_length=50, label=_("The real name"))
    title = clean_text(title, field="title", max_length=100, label=_("The post"), required=False)
    try:
        phone_validator(phone)
    except ValidationError:
        raise ValidationFailed(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
    if not real_name:
        raise ValidationFailed(_("The real name is required."), code="real_name_required")
    if User.objects.filter(phone=phone).exists():
        raise Conflict(_("An account with this mobile number already exists."), code="phone_taken")
    user = User(phone=phone, real_name=real_name, unit=unit, id_card=id_card.strip().upper(), email=email, title=title)
    user.set_password(initial_password)  # None: an unusable password
    user.must_change_password = True
    user.save()
    if initial_password is not None:
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
def create_members(*, actor, body: OrgUnit, role: str, people: list[dict]) -> list[User]:
    """Bulk onboarding: new accounts of a body's members or deputies, each with its role at the body and its profile,
    in a few statements for the whole list. Every account is audited (`accounts.user.create`,
    `accounts.role.grant`, `accounts.profile.set`, as the one-by-one services do). The caller has checked the
    values (phone, name, ID-card number) and that no account has these numbers; a number taken meanwhile fails the
    whole call (IntegrityError), and the caller falls back to one by one. No usable password until one is issued.

    `people`: dicts with phone, real_name, id_card, and the profile's sector, committee, delegation (units or None),
    term, workplace, party."""
    if role not in (Role.MEMBER, Role.DEPUTY):
        raise ValidationFailed(code="unknown_role")
    users = []
    for person in people:
        user = User(phone=person["phone"], real_name=person["real_name"], unit=body, id_card=person.get("id_card", ""))
        user.set_unusable_password()
        user.must_change_password = True
        users.append(user)
    User.objects.bulk_create(users)
    if any(u.pk is None for u in users):  # a backend without RETURNING: read the ids back
        ids = dict(User.objects.filter(phone__in=[u.phone for u in users]).values_list("phone", "pk"))
        for user in users:
            user.pk = ids[user.phone]
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=role, unit=body, granted_by=actor if getattr(actor, "pk", None) else None)
         for u in users]
    )  # fmt: skip
    profile_keys = ("sector", "committee", "delegation", "term", "workplace", "party")
    MemberProfile.objects.bulk_create(
        [MemberProfile(user=u, body=body, **{k: p.get(k) or ("" if k in ("term", "workplace", "party") else None)
                                              for k in profile_keys}) for u, p in zip(users, people, strict=True)]
    )  # fmt: skip
    events = []
    for user, person in zip(users, people, strict=True):
        events += [
            {"event": "accounts.user.create", "obj": user, "org_unit": body,
             "after": {"phone": user.masked_phone, "real_name": user.real_name, "unit": body.pk}},
            {"event": "accounts.role.grant", "obj": user, "org_unit": body,
             "after": {"role": role, "unit": body.pk, "include_descendants": False}},
            {"event": "accounts.profile.set", "obj": user, "org_unit": body,
             "after": {"sector": getattr(person.get("sector"), "pk", None),
                       "committee": getattr(person.get("committee"), "pk", None)}},
        ]  # fmt: skip
    record_many(events, actor=actor)
    for user in users:
        hooks.fire("accounts.role_granted", actor=actor, user=user, role=role, unit=body)
    return users


def _clean_real_name(value) -> str:
    real_name = (value or "").strip()
    if not real_name:
        raise ValidationFailed(_("The real name is required."), code="real_name_required")
    if len(real_name) > 50:
        raise ValidationFailed(_("The real name may have at most 50 characters."), code="real_name_too_long")
    return real_name


def _clean_phone(value) -> str:
    phone = (value or "").strip()
    try:
        phone_validator(phone)
    except ValidationError:
        raise ValidationFailed(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
    return phone


def _shown(field: str, value):
    """A value as the audit row keeps it: identifiers masked."""
    if field == "phone":
        return mask_phone(value)
    if field == "id_card":
        return mask_id_card(value)
    return value


@transaction.atomic
def update_user(
    *,
    actor,
    user: User,
    real_name: str,
    phone: str,
    unit: OrgUnit,
    email: str = "",
    title: str = "",
    id_card: str | None = None,
) -> User:
    """Edit a user's basic data; `id_card=None` keeps the stored number (GB 11643 check when given).

    The caller authorises (the back office: `backoffice.permissions`). Audited with masked identifiers.
    """
    new = {
        "real_name": _clean_real_name(real_name),
        "phone": _clean_phone(phone),
        "unit_id": unit.pk,
        "email": (email or "").strip(),
        "title": (title or "").strip(),
    }
    if id_card is not None:
        new["id_card"] = clean_id_card(id_card)
    if not unit.is_active:
        raise ValidationFailed(_("The unit is deactivated."), code="unit_inactive")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if new["phone"] != locked.phone and User.objects.filter(phone=new["phone"]).exclude(pk=user.pk).exists():
        raise Conflict(_("An account with this mobile number already exists."), code="phone_taken")
    changed = [field for field, value in new.items() if getattr(locked, field) != value]
    if not changed:
        return user
    before = {f: _shown(f, getattr(locked, f)) for f in changed}
    for field in changed:
        setattr(user, field, new[field])
    if "unit_id" in changed:
        user.unit = unit
    user.save(update_fields=[f.removesuffix("_id") for f in changed])
    record(
        "accounts.user.update",
        actor=actor,
        obj=user,
        org_unit=unit,
        before=before,
        after={f: _shown(f, new[f]) for f in changed},
    )
    return user


@transaction.atomic
def change_password(*, user: User, new_password: str, actor=None, keep_token=None) -> None:
    """Set a new password under the policy (length, classes, not the phone, not one of the last five).

    Every API token of the user is revoked except `keep_token` (the one the change was made with); every other
    session stops at its next request because the session's password hash no longer matches.
    """
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
    revoke_all_tokens(actor=actor or user, user=user, reason="password_change", keep=keep_token)


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
    hooks.fire("accounts.role_granted", actor=actor, user=user, role=role, unit=unit)
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
    *,
    actor,
    user: User,
    body: OrgUnit,
    sector=None,
    committee=None,
    delegation=None,
    term="",
    workplace="",
    party: str | None = None,
) -> MemberProfile:
    """`party=None` keeps the stored party."""
    profile, created = MemberProfile.objects.get_or_create(user=user, body=body)
    before = None if created else {"sector": profile.sector_id, "committee": profile.committee_id}
    profile.sector, profile.committee, profile.delegation = sector, committee, delegation
    profile.term, profile.workplace = term, workplace
    if party is not None:
        profile.party = party
    profile.save(update_fields=["sector", "committee", "delegation", "term", "workplace", "party"])
    record(
        "accounts.profile.set",
        actor=actor,
        obj=user,
        org_unit=body,
        before=before,
        after={"sector": getattr(sector, "pk", None), "committee": getattr(committee, "pk", None)},
    )
    return profile


@transaction.atomic
def end_member_profile(*, actor, profile: MemberProfile, reason: str) -> MemberProfile:
    """A member leaves one body (seed 003 art. 4): the profile ends and the member or deputy role there is
    revoked; the account and the history stay (closing the account is `deactivate_user`)."""
    _reason(reason)
    profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
    if not profile.is_active:
        raise Conflict(_("The profile has already ended."), code="profile_ended")
    profile.is_active = False
    profile.save(update_fields=["is_active"])
    now = timezone.now()
    roles = RoleAssignment.objects.filter(
        user_id=profile.user_id, unit_id=profile.body_id, role__in=[Role.MEMBER, Role.DEPUTY], revoked_at__isnull=True
    )
    revoked = list(roles.values_list("role", flat=True))
    roles.update(revoked_at=now, revoked_by=actor if getattr(actor, "pk", None) else None)
    forget_assignments(profile.user)
    record(
        "accounts.profile.end",
        actor=actor,
        obj=profile.user,
        org_unit=profile.body,
        before={"is_active": True},
        after={"is_active": False, "revoked": revoked},
    )
    return profile


@transaction.atomic
def reactivate_member_profile(*, actor, profile: MemberProfile) -> MemberProfile:
    """A member who left comes back to the body (a new term): the profile is active again."""
    profile.is_active = True
    profile.save(update_fields=["is_active"])
    record(
        "accounts.profile.reactivate", actor=actor, obj=profile.user, org_unit=profile.body, after={"is_active": True}
    )
    return profile


# --- account security: freezing, leavers, initial passwords (S0-24, S0-27, S2-38) ----------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), code="reason_required")
    if len(reason) > 200:
        raise ValidationFailed(_("The reason may have at most 200 characters."), code="reason_too_long")
    return reason


def _body_leaders(user: User) -> list[User]:
    if user.unit is None or user.unit.body_id is None:
        return []
    return list(
        User.objects.filter(
            role_assignments__role=Role.LEADER,
            role_assignments__unit_id=user.unit.body_id,
            role_assignments__revoked_at__isnull=True,
            is_active=True,
        ).distinct()
    )


@transaction.atomic
def freeze_user(*, actor: User, user: User, reason: str) -> User:
    """Freeze an account (S0-24): it cannot log in, its sessions end at the next request and its API tokens are
    revoked. The owner is told (inbox and SMS) and the leaders of the user's body are informed."""
    if not may_freeze(actor, user):
        raise PermissionDenied(code="forbidden")
    reason = _reason(reason)
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    if user.is_frozen:
        raise Conflict(_("The account is already frozen."), code="already_frozen")
    user.is_frozen = True
    user.frozen_reason = reason
    user.frozen_at = timezone.now()
    user.save(update_fields=["is_frozen", "frozen_reason", "frozen_at"])
    revoke_all_tokens(actor=actor, user=user, reason="freeze")
    record(
        "accounts.user.freeze",
        actor=actor,
        obj=user,
        org_unit=user.unit_id,
        before={"is_frozen": False},
        after={"is_frozen": True, "reason": reason},
    )
    notify(
        [user],
        title=_("Your Lvzhi account has been frozen"),
        body=_("Reason: %(reason)s. Please contact the information office.") % {"reason": reason},
        event="accounts.user.freeze",
        obj=user,
        sms=True,
    )
    notify(
        _body_leaders(user),
        title=_("Account frozen: %(name)s") % {"name": user.real_name},
        body=_("The information office froze the account of %(name)s (%(unit)s). Reason: %(reason)s.")
        % {"name": user.real_name, "unit": user.unit.name if user.unit else "", "reason": reason},
        event="accounts.user.freeze",
        obj=user,
    )
    return user


@transaction.atomic
def unfreeze_user(*, actor: User, user: User, reason: str) -> User:
    """Lift a freeze after the matter is handled; the owner is told (inbox and SMS)."""
    if not may_freeze(actor, user):
        raise PermissionDenied(code="forbidden")
    reason = _reason(reason)
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    if not user.is_frozen:
        raise Conflict(_("The account is not frozen."), code="not_frozen")
    before = {"is_frozen": True, "reason": user.frozen_reason}
    user.is_frozen = False
    user.frozen_reason = ""
    user.frozen_at = None
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["is_frozen", "frozen_reason", "frozen_at", "failed_login_count", "locked_until"])
    record(
        "accounts.user.unfreeze",
        actor=actor,
        obj=user,
        org_unit=user.unit_id,
        before=before,
        after={"is_frozen": False, "reason": reason},
    )
    notify(
        [user],
        title=_("Your Lvzhi account has been unfrozen"),
        body=_("You can log in again. Note: %(reason)s") % {"reason": reason},
        event="accounts.user.unfreeze",
        obj=user,
        sms=True,
    )
    return user


@transaction.atomic
def deactivate_user(*, actor: User, user: User, reason: str) -> User:
    """A leaver (S0-27, S2-38): the account is closed at once, every role revoked, the password made unusable,
    the API tokens revoked and the member profiles ended. The history stays."""
    if not manages_account(actor, user):
        raise PermissionDenied(code="forbidden")
    reason = _reason(reason)
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    if not user.is_active:
        raise Conflict(_("The account is already closed."), code="already_inactive")
    now = timezone.now()
    roles = list(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", "unit_id"))
    RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)
    MemberProfile.objects.filter(user=user, is_active=True).update(is_active=False)
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    forget_assignments(user)
    revoke_all_tokens(actor=actor, user=user, reason="deactivate")
    record(
        "accounts.user.deactivate",
        actor=actor,
        obj=user,
        org_unit=user.unit_id,
        before={"is_active": True, "roles": roles},
        after={"is_active": False, "reason": reason},
    )
    return user


@transaction.atomic
def issue_initial_password(*, actor, user: User) -> str:
    """A new random initial password for an account that never logged in (onboarding); returned once for the
    SMS. The caller authorises (the body's office that imported the account)."""
    user = User.objects.select_for_update(of=("self",)).get(pk=user.pk)
    if not user.is_active or not user.must_change_password:
        raise Conflict(_("The account is closed or already in use."), code="account_in_use")
    password = generate_initial_password()
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    PasswordHistory.objects.create(user=user, password=user.password)
    record("accounts.password.issue_initial", actor=actor, obj=user, org_unit=user.unit_id)
    return password


@transaction.atomic
def reset_initial_password(*, actor: User, user: User, new_password: str) -> User:
    """Staff set a new initial password (policy applies); the user must change it at the next login. Lifts a
    lockout and revokes the user's API tokens."""
    if not manages_account(actor, user):
        raise PermissionDenied(code="forbidden")
    user = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=user.pk)
    if not user.is_active:
        raise Conflict(_("The account is closed."), code="inactive")
    try:
        validate_password(new_password or "", user)
    except ValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), code="weak_password")
    user.set_password(new_password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.failed_login_count = 0
    user.locked_until = None
    user.save(
        update_fields=["password", "must_change_password", "password_changed_at", "failed_login_count", "locked_until"]
    )
    PasswordHistory.objects.create(user=user, password=user.password)
    revoke_all_tokens(actor=actor, user=user, reason="initial_password")
    record("accounts.password.reset_initial", actor=actor, obj=user, org_unit=user.unit_id)
    return user


@transaction.atomic
def mark_demo_password_kept(*, actor, user: User) -> User:
    """DEMO ONLY: the demo password counts as already changed, so demo users are not forced to change it."""
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["must_change_password", "password_changed_at"])
    record(
        "accounts.user.demo_password_kept",
        actor=actor,
        obj=user,
        org_unit=user.unit_id,
        after={"must_change_password": False},
    )
    return user
