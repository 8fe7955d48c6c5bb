"""Checking one row of a staff list (工作人员及角色): the person (name, mobile number, ID-card number), the unit of
the body they work in and the role they get there. Pure reads, like `rows.py`.

三员分立 and S0-2 hold here as in the back office: the information office imports staff and gives them only the
roles it may grant; the administrator roles (system, security, audit), the information office itself and the
members' and deputies' roles are refused with the reason (`columns.REFUSED_ROLES`). An account that holds an
administrator role gets no other role (`accounts.services.grant_role` refuses it too; the check says so before
anything is written). S2-5: an operator role only at a unit whose responsible leaders are named.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import ADMIN_ROLES, OPERATOR_ROLES
from lvzhi.orgs.selectors import missing_leader_duties

from .columns import REFUSED_ROLES, STAFF_COLUMNS, STAFF_ROLES
from .rows import Context, Row, clean_columns


def _unit(row: Row, ctx: Context):
    name = row.values.get("unit", "")
    if not name:
        return None  # the required-column message comes from the role/unit check below
    unit = ctx.units_by_name.get(name)
    if unit is None:
        row.fail(
            "unit",
            "unknown_unit",
            _("The unit “%(name)s” is not one of this body's; create it first or correct the name.") % {"name": name},
        )
    return unit


def _role(row: Row) -> str:
    word = row.values.get("role", "")
    if word in STAFF_ROLES:
        return STAFF_ROLES[word]
    if word in REFUSED_ROLES:
        row.fail(
            "role",
            "role_not_grantable",
            _(
                "The role “%(name)s” cannot be given by a staff list: administrators are appointed by the security "
                "administrator, members and deputies come through their own list."
            )
            % {"name": word},
        )
    elif word:
        row.fail("role", "unknown_role", _("The role “%(name)s” is not in the template's list.") % {"name": word})
    return ""


def _leaders_named(ctx: Context, unit) -> bool:
    if unit.pk not in ctx.leaders_named:
        ctx.leaders_named[unit.pk] = not missing_leader_duties(unit)
    return ctx.leaders_named[unit.pk]


def check_staff(row: Row, ctx: Context) -> None:
    # A masked number (an export for a role that does not see them) means "keep the stored one".
    clean_columns(row, STAFF_COLUMNS, skip=("id_card",) if "*" in row.values.get("id_card", "") else ())
    row.clean.setdefault("id_card", "")
    c = row.clean
    for key, label in (("unit", _("The unit")), ("role", _("The role"))):
        if not row.values.get(key):
            row.fail(key, f"{key}_required", _("%(field)s is required.") % {"field": label})
    c["unit"] = _unit(row, ctx)
    c["role"] = _role(row)
    _duplicates(row, ctx)


def _duplicates(row: Row, ctx: Context) -> None:
    """A person may have several rows (one per role), always with the same name and ID-card number; the same role
    at the same unit twice is a duplicate."""
    c = row.clean
    phone = c.get("phone")
    if not phone:
        return
    first = ctx.seen_phone.setdefault(phone, row.number)
    person = (c.get("real_name"), c.get("id_card"))
    if ctx.seen_name.setdefault(phone, person) != person:
        row.fail("phone", "duplicate_phone", _("The same mobile number as row %(row)d.") % {"row": first})
    if c.get("id_card"):
        other = ctx.seen_id.setdefault(c["id_card"], phone)
        if other != phone:
            row.fail("id_card", "duplicate_id_card", _("The same ID-card number as another person's row."))
    if c.get("unit") is not None and c.get("role"):
        grant = f"{phone}|{c['role']}|{c['unit'].pk}"
        first_grant = ctx.seen_code.setdefault(grant, row.number)
        if first_grant != row.number:
            row.fail(
                "role", "duplicate_role", _("The same role at the same unit as row %(row)d.") % {"row": first_grant}
            )


def _new_grant_needs_leaders(row: Row, ctx: Context, held) -> None:
    """S2-5, for a role not held yet: an operator role only at a unit whose responsible leaders are named."""
    unit, role = row.clean.get("unit"), row.clean.get("role")
    if unit is None or role not in OPERATOR_ROLES or (role, unit.pk) in held:
        return
    if not _leaders_named(ctx, unit) and not any(p.code == "unit_leaders_missing" for p in row.problems):
        row.fail(
            "unit",
            "unit_leaders_missing",
            _("Name the unit's principal person in charge and its leader in charge first (unit page)."),
        )


def check_staff_accounts(rows: list[Row], ctx: Context) -> None:
    """Stored accounts with the rows' numbers, and the roles they hold (two queries per batch): another person's
    number or ID-card number, a closed account, an account of another body, an administrator."""
    phones = [r.clean["phone"] for r in rows if r.clean.get("phone")]
    users = {u.phone: u for u in User.objects.filter(phone__in=phones).select_related("unit")}
    held: dict[int, set] = {}
    for user_id, role, unit_id in RoleAssignment.objects.filter(
        Q(user__in=users.values()), revoked_at__isnull=True
    ).values_list("user_id", "role", "unit_id"):
        held.setdefault(user_id, set()).add((role, unit_id))
    ctx.staff_roles_held = held
    for row in rows:
        user = users.get(row.clean.get("phone"))
        _new_grant_needs_leaders(row, ctx, held.get(getattr(user, "pk", None), ()))
        if user is None:
            continue
        row.user = user
        roles = {role for role, _unit in held.get(user.pk, ())}
        if user.real_name != row.clean.get("real_name"):
            row.fail("phone", "phone_other_person", _("This mobile number belongs to an account of another name."))
        elif row.clean.get("id_card") and user.id_card and user.id_card != row.clean["id_card"]:
            row.fail(
                "id_card", "id_card_mismatch", _("The account with this mobile number has another ID-card number.")
            )
        elif not user.is_active:
            row.fail("phone", "account_closed", _("The account with this mobile number is closed."))
        elif user.unit is not None and user.unit.body_id != ctx.body.pk:
            row.fail("phone", "account_other_body", _("The account with this mobile number works in another body."))
        elif roles & ADMIN_ROLES:
            row.fail("phone", "admin_roles_separated", _("An administrator may hold no other role."))
