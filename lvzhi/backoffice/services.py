"""Back-office writes that compose the accounts services (each atomic and audited).

Authorisation (who may act on whom) is checked by the views with `backoffice.permissions` before calling these.
"""

import re
import secrets
import string

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import User
from lvzhi.accounts.models.user import phone_validator
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.masking import mask_id_card, mask_phone
from lvzhi.orgs.models import OrgUnit

ID_CARD = re.compile(r"^\d{17}[\dX]$")
_SYMBOLS = "@#%*+=?!"


def generate_initial_password(length: int = 12) -> str:
    """A random password that satisfies the policy (all four classes); shown once to the clerk."""
    alphabet = string.ascii_letters + string.digits + _SYMBOLS
    while True:
        chars = [
            secrets.choice(string.ascii_lowercase),
            secrets.choice(string.ascii_uppercase),
            secrets.choice(string.digits),
            secrets.choice(_SYMBOLS),
        ] + [secrets.choice(alphabet) for _ in range(length - 4)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        if not re.search(r"(.)\1\1", password):
            return password


def clean_id_card(value: str) -> str:
    value = (value or "").strip().upper()
    if value and not ID_CARD.match(value):
        raise ValidationFailed(_("Enter an 18-character resident ID-card number."), code="invalid_id_card")
    return value


@transaction.atomic
def create_account(
    *,
    actor,
    phone: str,
    real_name: str,
    unit: OrgUnit,
    initial_password: str,
    id_card: str = "",
    email: str = "",
    title: str = "",
    role: str = "",
    include_descendants: bool = False,
) -> User:
    """Create an account (it must change the initial password at first login) and optionally grant one role at
    its unit — both or nothing."""
    if not unit.is_active:
        raise ValidationFailed(_("The unit is deactivated."), code="unit_inactive")
    user = account_services.create_user(
        actor=actor,
        phone=phone,
        real_name=real_name,
        unit=unit,
        initial_password=initial_password,
        id_card=clean_id_card(id_card),
        email=(email or "").strip(),
        title=(title or "").strip(),
    )
    if role:
        account_services.grant_role(
            actor=actor, user=user, role=role, unit=unit, include_descendants=include_descendants
        )
    return user


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
    """Edit a user's basic data; `id_card=None` keeps the stored number. Audited with masked identifiers."""
    real_name = (real_name or "").strip()
    phone = (phone or "").strip()
    if not real_name:
        raise ValidationFailed(_("The real name is required."), code="real_name_required")
    if len(real_name) > 50:
        raise ValidationFailed(_("The real name may have at most 50 characters."), code="real_name_too_long")
    try:
        phone_validator(phone)
    except ValidationError:
        raise ValidationFailed(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
    if not unit.is_active:
        raise ValidationFailed(_("The unit is deactivated."), code="unit_inactive")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if phone != locked.phone and User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise Conflict(_("An account with this mobile number already exists."), code="phone_taken")
    new = {
        "real_name": real_name,
        "phone": phone,
        "unit_id": unit.pk,
        "email": (email or "").strip(),
        "title": (title or "").strip(),
    }
    if id_card is not None:
        new["id_card"] = clean_id_card(id_card)
    changed = [field for field, value in new.items() if getattr(locked, field) != value]
    if not changed:
        return user

    def shown(field, value):
        if field == "phone":
            return mask_phone(value)
        if field == "id_card":
            return mask_id_card(value)
        return value

    before = {f: shown(f, getattr(locked, f)) for f in changed}
    for field in changed:
        setattr(user, field, new[field])
    if "unit_id" in changed:
        user.unit = unit
    user.save(update_fields=[f.removesuffix("_id") if f == "unit_id" else f for f in changed])
    record(
        "accounts.user.update",
        actor=actor,
        obj=user,
        org_unit=unit,
        before=before,
        after={f: shown(f, new[f]) for f in changed},
    )
    return user


@transaction.atomic
def create_unit(*, actor, **fields) -> OrgUnit:
    """Create an org unit (`lvzhi.orgs.services.create_unit`) and give it its part in the members' app at once, so
    that no page has to write on a GET later: a new people's congress or CPPCC body gets its default columns; a new
    office or committee of a body becomes an owning department of the default columns that name it."""
    from lvzhi.content import services as content_services
    from lvzhi.orgs import services as org_services
    from lvzhi.orgs.models import BodyType, UnitKind

    unit = org_services.create_unit(actor=actor, **fields)
    if unit.kind == UnitKind.BODY:
        if unit.body_type in (BodyType.CPPCC, BodyType.CONGRESS):
            content_services.ensure_default_columns(actor=actor, body=unit)
    else:
        content_services.adopt_unit(actor=actor, unit=unit)
    return unit
