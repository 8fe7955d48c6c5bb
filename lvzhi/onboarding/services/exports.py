"""Export of a body's lists in the import templates' format (round trip: the exported file imports unchanged).
ID-card numbers are masked for everyone but the information office (a masked number re-imports as "keep")."""

from openpyxl import Workbook

from lvzhi.accounts.models import MemberProfile, RoleAssignment
from lvzhi.audit.services import record
from lvzhi.core import xlsx
from lvzhi.core.errors import NotFound
from lvzhi.core.masking import mask_id_card
from lvzhi.deputies.models import Station
from lvzhi.orgs.models import OrgUnit

from .. import permissions as perm
from ..columns import STAFF_ROLES, UNIT_KINDS, columns_of, sheet_title

EXPORT_CHUNK = 2000
_KIND_WORDS = {kind: word for word, kind in UNIT_KINDS.items()}
_ROLE_WORDS = {role: word for word, role in STAFF_ROLES.items()}
_EXPORTS = ("members", "units", "staff")


def _member_rows(body: OrgUnit, full: bool):
    stations = {}
    for user_id, name in Station.deputies.through.objects.filter(
        station__body=body, station__is_active=True
    ).values_list("user_id", "station__name"):
        stations.setdefault(user_id, name)
    profiles = (
        MemberProfile.objects.filter(body=body, is_active=True)
        .select_related("user", "sector", "committee", "delegation")
        .order_by("user__real_name", "pk")
    )
    for p in profiles.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            p.user.real_name,
            p.user.phone,
            p.user.id_card if full else mask_id_card(p.user.id_card),
            getattr(p.sector, "name", ""),
            p.party,
            getattr(p.committee, "name", ""),
            getattr(p.delegation, "name", ""),
            p.term,
            p.workplace,
            stations.get(p.user_id, ""),
        ]


def _staff_rows(body: OrgUnit, full: bool):
    """One row per role a staff list can give, held at a unit of the body (an exported list re-imports unchanged)."""
    grants = (
        RoleAssignment.objects.filter(unit__body=body, role__in=list(_ROLE_WORDS), revoked_at__isnull=True)
        .select_related("user", "unit")
        .order_by("unit__path", "user__real_name", "pk")
    )
    for a in grants.iterator(chunk_size=EXPORT_CHUNK):
        user = a.user
        id_card = user.id_card if full else mask_id_card(user.id_card)
        yield [user.real_name, user.phone, id_card, a.unit.name, _ROLE_WORDS[a.role], user.title]


def _unit_rows(body: OrgUnit):
    units = OrgUnit.objects.filter(body=body, kind__in=list(_KIND_WORDS), is_active=True).order_by("path")
    for unit in units.select_related("parent").iterator(chunk_size=EXPORT_CHUNK):
        parent = "" if unit.parent_id == body.pk else f"U{unit.parent_id}"
        yield [f"U{unit.pk}", unit.name, _KIND_WORDS[unit.kind], parent, unit.short_name]


def export_workbook(*, actor, body: OrgUnit, kind: str) -> bytes:
    if kind not in _EXPORTS or not perm.may_import(actor, body, kind):
        raise NotFound()  # past proposals are read in the proposals' own exports, not here
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(kind))
    xlsx.header(sheet, [c.header for c in columns_of(kind)])
    full = perm.may_see_identity_numbers(actor, body)
    if kind == "units":
        rows = _unit_rows(body)
    elif kind == "staff":
        rows = _staff_rows(body, full)
    else:
        rows = _member_rows(body, full)
    count = 0
    for values in rows:
        sheet.append([xlsx.text(sheet, v) for v in values])
        count += 1
    record(
        "onboarding.export",
        actor=actor,
        obj=body,
        org_unit=body,
        after={"kind": kind, "rows": count, "identity_numbers": full},
    )
    return xlsx.save(book)
