"""Checking one row of a file: every value cleaned with the validation kit, every name looked up in the body, and
duplicates found within the file and against the accounts already stored. Pure reads: nothing is written here.

A `Context` is made once per pass over a file (the body's sectors, committees, delegations and stations are read
once); `check_batch` reads the stored accounts of a batch of rows in three queries.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, User
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.validation import clean_id_card, clean_mobile, clean_text
from lvzhi.deputies import selectors as deputy_selectors
from lvzhi.orgs.models import BodyType, OrgUnit, UnitKind

from .columns import MEMBER_COLUMNS, PARTIES, UNIT_COLUMNS, UNIT_KINDS, Column


@dataclass
class Problem:
    column: str
    code: str
    message: str


@dataclass
class Row:
    number: int
    values: dict
    clean: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    user: User | None = None  # the stored account with this phone, if any
    created: User | None = None  # the account made for the row in bulk

    def fail(self, column: str, code: str, message: str) -> None:
        self.problems.append(Problem(column, code, message))


class Context:
    """What the rows of one file are checked against (the body's named units, the rows seen so far)."""

    def __init__(self, body: OrgUnit):
        self.body = body
        units = OrgUnit.objects.filter(body=body, is_active=True).only("pk", "name", "kind", "short_name")
        self.by_kind: dict[str, dict[str, OrgUnit]] = {}
        self.units_by_name: dict[str, OrgUnit] = {}
        for unit in units:
            for name in {unit.name, unit.short_name} - {""}:
                self.by_kind.setdefault(unit.kind, {})[name] = unit
                self.units_by_name.setdefault(name, unit)
        self.stations = {s.name: s for s in deputy_selectors.public_stations(body)}
        self.seen_phone: dict[str, int] = {}
        self.seen_id: dict[str, int] = {}
        self.seen_code: dict[str, int] = {}
        self.seen_name: dict[str, int] = {}
        self.code_names: dict[str, str] = {}
        self.leaders_named: dict[int, bool] = {}  # staff lists: unit id -> its responsible leaders are named (S2-5)
        self.staff_roles_held: dict[int, set] = {}  # staff lists: user id -> {(role, unit id)} of the batch
        self.staff_created: dict[str, object] = {}  # staff lists: phone -> the account made for an earlier row

    @property
    def is_congress(self) -> bool:
        return self.body.body_type == BodyType.CONGRESS

    def unit(self, kinds: tuple[str, ...], name: str) -> OrgUnit | None:
        for kind in kinds:
            unit = self.by_kind.get(kind, {}).get(name)
            if unit is not None:
                return unit
        return None


_CLEANERS = {
    "text": lambda value, c: clean_text(
        value, field=c.key, max_length=c.max_length, label=str(c.label), required=c.required
    ),
    "multiline": lambda value, c: clean_text(
        value, field=c.key, max_length=c.max_length, label=str(c.label), required=c.required, multiline=True
    ),
    "mobile": lambda value, c: clean_mobile(value, field=c.key, required=c.required),
    "id_card": lambda value, c: clean_id_card(value, field=c.key, required=c.required),
}


def clean_columns(row: Row, columns: tuple[Column, ...], skip: tuple[str, ...] = ()) -> None:
    """Every column with a `clean` kind through the validation kit; a refused value is a problem and ""."""
    for column in columns:
        if not column.clean or column.key in skip:
            continue
        try:
            row.clean[column.key] = _CLEANERS[column.clean](row.values.get(column.key), column)
        except ValidationFailed as exc:
            row.fail(column.key, exc.code, str(exc.message))
            row.clean[column.key] = ""


def _named_unit(row: Row, ctx: Context, column: str, kinds: tuple[str, ...], label: str):
    name = row.values.get(column, "")
    if not name:
        return None
    unit = ctx.unit(kinds, name)
    if unit is None:
        row.fail(
            column,
            f"unknown_{column}",
            _("%(label)s “%(name)s” is not one of this body's; create it first or correct the name.")
            % {"label": label, "name": name},
        )
    return unit


def check_member(row: Row, ctx: Context) -> None:
    v = row.values
    c = row.clean
    # A masked number (an export for a role that does not see them) means "keep the stored one".
    masked = "*" in v.get("id_card", "")
    clean_columns(row, MEMBER_COLUMNS, skip=("id_card",) if masked else ())
    c.setdefault("id_card", "")
    c["sector"] = _named_unit(row, ctx, "sector", (UnitKind.SECTOR,), _("The sector"))
    c["committee"] = _named_unit(row, ctx, "committee", (UnitKind.COMMITTEE,), _("The committee"))
    c["delegation"] = _named_unit(row, ctx, "delegation", (UnitKind.DELEGATION, UnitKind.GROUP), _("The delegation"))
    party = v.get("party", "")
    if party and party not in PARTIES:
        row.fail("party", "unknown_party", _("The party “%(name)s” is not in the template's list.") % {"name": party})
    c["party"] = party if party in PARTIES else ""
    station = v.get("station", "")
    c["station"] = ctx.stations.get(station) if station else None
    if station and c["station"] is None:
        row.fail(
            "station",
            "unknown_station",
            _("The contact station “%(name)s” is not one of this body's.") % {"name": station},
        )
    if station and not ctx.is_congress:
        row.fail("station", "station_not_congress", _("Only deputies of a people's congress have a contact station."))
    duplicates(row, ctx)


def duplicates(row: Row, ctx: Context) -> None:
    phone, id_card = row.clean.get("phone"), row.clean.get("id_card")
    if phone:
        first = ctx.seen_phone.setdefault(phone, row.number)
        if first != row.number:
            row.fail("phone", "duplicate_phone", _("The same mobile number as row %(row)d.") % {"row": first})
    if id_card:
        first = ctx.seen_id.setdefault(id_card, row.number)
        if first != row.number:
            row.fail("id_card", "duplicate_id_card", _("The same ID-card number as row %(row)d.") % {"row": first})


def check_against_accounts(rows: list[Row], ctx: Context) -> None:
    """Stored accounts with the rows' phone numbers: another person's number, another ID-card number, a member
    or deputy of another body (a person in two bodies). Three queries per batch."""
    phones = [r.clean["phone"] for r in rows if r.clean.get("phone")]
    users = {u.phone: u for u in User.objects.filter(phone__in=phones)}
    elsewhere = set(
        MemberProfile.objects.filter(user__in=users.values(), is_active=True)
        .filter(~Q(body=ctx.body))
        .values_list("user_id", flat=True)
    )
    for row in rows:
        user = users.get(row.clean.get("phone"))
        if user is None:
            continue
        row.user = user
        if user.real_name != row.clean.get("real_name"):
            row.fail("phone", "phone_other_person", _("This mobile number belongs to an account of another name."))
        elif row.clean.get("id_card") and user.id_card and user.id_card != row.clean["id_card"]:
            row.fail(
                "id_card", "id_card_mismatch", _("The account with this mobile number has another ID-card number.")
            )
        elif user.pk in elsewhere:
            row.fail("phone", "in_two_bodies", _("This person is a member or deputy of another body already."))
        elif not user.is_active:
            row.fail("phone", "account_closed", _("The account with this mobile number is closed."))


def check_unit(row: Row, ctx: Context) -> None:
    v, c = row.values, row.clean
    clean_columns(row, UNIT_COLUMNS)
    kind = UNIT_KINDS.get(v.get("kind", ""))
    if kind is None:
        row.fail(
            "kind", "unknown_kind", _("The kind “%(name)s” is not in the template's list.") % {"name": v.get("kind")}
        )
    c["kind"] = kind
    for key, seen, code, message in (
        ("code", ctx.seen_code, "duplicate_code", _("The same code as row %(row)d.")),
        ("name", ctx.seen_name, "duplicate_name", _("The same name as row %(row)d.")),
    ):
        if c.get(key):
            first = seen.setdefault(c[key], row.number)
            if first != row.number:
                row.fail(key, code, message % {"row": first})
    if c.get("code") and c.get("name"):
        ctx.code_names.setdefault(c["code"], c["name"])
    parent = v.get("parent", "")
    c["parent"] = parent
    known = parent in ctx.seen_code or parent in ctx.seen_name or parent in ctx.units_by_name
    if parent and (not known or parent in (c.get("code"), c.get("name"))):
        row.fail(
            "parent",
            "unknown_parent",
            _("The parent “%(name)s” is neither an earlier row nor a unit of this body.") % {"name": parent},
        )
