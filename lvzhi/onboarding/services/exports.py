"""Export of a body's lists in the import templates' format (round trip: the exported file imports unchanged).
ID-card numbers are masked for everyone but the information office (a masked number re-imports as "keep").

Past proposals: the items imported as history (closed, `HISTORY_SOURCE`); items handled on the platform are not
re-importable (their numbers are refused), so they are read in the proposals' own exports. A proposer is written
"姓名(手机号)" — the mobile, like the member list's, which matches on re-import; one without a mobile is written
with the ID-card number, masked for all but the information office (such a row then has to be completed)."""

import datetime as dt

from django.db.models import Prefetch
from openpyxl import Workbook

from lvzhi.accounts.models import MemberProfile, RoleAssignment
from lvzhi.audit.services import record
from lvzhi.core import xlsx
from lvzhi.core.errors import NotFound
from lvzhi.core.masking import mask_id_card
from lvzhi.core.timeutil import local_date
from lvzhi.deputies.models import Station
from lvzhi.orgs.models import OrgUnit
from lvzhi.proposals.models import Assignment, CoSigner, Proposal
from lvzhi.proposals.services.history import HISTORY_SOURCE

from .. import permissions as perm
from ..columns import KIND_WORDS, RATING_WORDS, STAFF_ROLES, UNIT_KINDS, columns_of, sheet_title

EXPORT_CHUNK = 2000
_KIND_WORDS = {kind: word for word, kind in UNIT_KINDS.items()}
_ROLE_WORDS = {role: word for word, role in STAFF_ROLES.items()}
_PROPOSAL_KIND_WORDS = {kind: word for word, kind in KIND_WORDS.items()}
_RATING_WORDS = {rating: word for word, rating in RATING_WORDS.items()}
_EXPORTS = ("members", "units", "staff", "proposals")


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


def _person(user, full: bool) -> str:
    key = user.phone or (user.id_card if full else mask_id_card(user.id_card))
    return f"{user.real_name}({key})"


def _day(at) -> str:
    return local_date(at).isoformat() if at else ""


def _proposal_row(p: Proposal, full: bool) -> list:
    lead = next((a.unit.name for a in p.assignments.all() if a.role == Assignment.Role.LEAD), "")
    co = "、".join(a.unit.name for a in p.assignments.all() if a.role == Assignment.Role.CO)
    reply = next(iter(p.replies.all()), None)
    people = [p.proposer] + [c.user for c in p.cosigners.all()]
    # An item imported without a date of submission was dated 1 January 09:00 UTC: written empty, it re-imports so.
    default_submitted = dt.datetime(p.year, 1, 1, 9, tzinfo=dt.UTC)
    return [
        str(p.year),
        str(p.number),
        _PROPOSAL_KIND_WORDS.get(p.kind, ""),
        p.title,
        p.content,
        "、".join(_person(u, full) for u in people),
        p.category,
        lead,
        co,
        "" if p.submitted_at == default_submitted else _day(p.submitted_at),
        _day(p.replied_at) if reply else "",
        getattr(reply, "content", ""),
        getattr(reply, "classification", ""),
        _RATING_WORDS.get(p.rating, "") if reply else "",
        "是" if p.is_public else "否",
    ]


def _proposal_rows(body: OrgUnit, full: bool):
    """A fixed number of queries per chunk of items, however many items and parts (bounded by a test)."""
    items = (
        Proposal.objects.filter(body=body, source_note=HISTORY_SOURCE, status=Proposal.Status.CLOSED)
        .select_related("proposer")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("unit").order_by("pk")),
            Prefetch("cosigners", queryset=CoSigner.objects.select_related("user").order_by("pk")),
            "replies",
        )
        .order_by("year", "kind", "number")
    )
    for p in items.iterator(chunk_size=EXPORT_CHUNK):
        yield _proposal_row(p, full)


def export_workbook(*, actor, body: OrgUnit, kind: str) -> bytes:
    if kind not in _EXPORTS or not perm.may_import(actor, body, kind):
        raise NotFound()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title(kind))
    xlsx.header(sheet, [c.header for c in columns_of(kind)])
    full = perm.may_see_identity_numbers(actor, body)
    if kind == "units":
        rows = _unit_rows(body)
    elif kind == "staff":
        rows = _staff_rows(body, full)
    elif kind == "proposals":
        rows = _proposal_rows(body, full)
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
