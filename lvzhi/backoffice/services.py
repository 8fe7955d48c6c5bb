"""Back-office writes that compose the accounts services (each atomic and audited).

Authorisation (who may act on whom) is checked by the views with `backoffice.permissions` before calling these.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import User
from lvzhi.accounts.passwords import generate_initial_password  # noqa: F401  (re-exported for the views)
from lvzhi.accounts.roles import OPERATOR_ROLES
from lvzhi.content import services as content_services
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.validation import clean_id_card, clean_text
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodyType, OrgUnit, UnitKind
from lvzhi.orgs.selectors import missing_leader_duties


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
    if role:
        check_unit_leaders(unit, role)
    user = account_services.create_user(
        actor=actor,
        phone=phone,
        real_name=real_name,
        unit=unit,
        initial_password=initial_password,
        id_card=clean_id_card(id_card),  # GB 11643: check digit and birth date
        email=clean_text(email, field="email", max_length=254, label=_("The e-mail address"), required=False),
        title=clean_text(title, field="title", max_length=100, label=_("The post"), required=False),
    )
    if role:
        account_services.grant_role(
            actor=actor, user=user, role=role, unit=unit, include_descendants=include_descendants
        )
    return user


def check_unit_leaders(unit: OrgUnit, role: str) -> None:
    """S2-5: a unit gets back-office operator accounts only once its principal person in charge and its leader in
    charge are named (so every operator account answers to named leaders)."""
    if role in OPERATOR_ROLES and missing_leader_duties(unit):
        raise Conflict(
            _(
                "First name the unit's principal person in charge and its leader in charge (unit page); then it can "
                "be given operator accounts."
            ),
            code="unit_leaders_missing",
        )


@transaction.atomic
def grant_role(*, actor, user: User, role: str, unit: OrgUnit, include_descendants: bool = False):
    """The back office's grant: the accounts service, after the S2-5 check of the unit's named leaders."""
    check_unit_leaders(unit, role)
    return account_services.grant_role(
        actor=actor, user=user, role=role, unit=unit, include_descendants=include_descendants
    )


@transaction.atomic
def create_unit(*, actor, **fields) -> OrgUnit:
    """Create an org unit (`lvzhi.orgs.services.create_unit`) and give it its part in the members' app at once, so
    that no page has to write on a GET later: a new people's congress or CPPCC body gets its default columns; a new
    office or committee of a body becomes an owning department of the default columns that name it."""

    unit = org_services.create_unit(actor=actor, **fields)
    if unit.kind == UnitKind.BODY:
        if unit.body_type in (BodyType.CPPCC, BodyType.CONGRESS):
            content_services.ensure_default_columns(actor=actor, body=unit)
    else:
        content_services.adopt_unit(actor=actor, unit=unit)
    return unit
