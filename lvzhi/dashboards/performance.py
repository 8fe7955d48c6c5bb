"""The duty-performance dashboard of one body and year: the distribution of points, participation by committee and
sector, the members without any record this year and the trend over five years. Read from the duty module's own
roll-ups — `TotalCount` (members per total, kept in the transaction of every record change) and `MemberYear` (one row
per member and year) — and the member profiles, through `duty.selectors` and `accounts.selectors`; never from the
records table."""

from django.utils.translation import gettext as _

from lvzhi.accounts import selectors as accounts
from lvzhi.core.paging import slice_page as page_of
from lvzhi.duty import selectors as duty
from lvzhi.orgs.models import OrgUnit

from .charts import Chart, rate

BUCKETS = 10
PAGE = 20


def _distribution(body, year) -> Chart:
    counts = duty.points_distribution(body, year)
    cats, values = [], []
    if counts:
        low, high = min(0, counts[0][0]), counts[-1][0]
        width = max(1, (high - low) // BUCKETS + 1)
        buckets = [0] * ((high - low) // width + 1)
        for total, members in counts:
            buckets[(total - low) // width] += members
        cats = [f"{low + i * width}–{low + (i + 1) * width - 1}" for i in range(len(buckets))]
        values = buckets
    members = sum(m for _t, m in counts)
    points = sum(t * m for t, m in counts)
    return Chart(
        "points",
        _("Distribution of points"),
        "bar",
        cats,
        [(_("Members"), values)],
        summary=_("%(n)s members have points this year, %(avg)s on average.")
        % {"n": members, "avg": round(points / members, 1) if members else 0},
        category_label=_("Points"),
    )


def _participation(body, year, field: str, chart_name: str, title: str, label: str, units) -> Chart:
    """Members with at least one record this year against the members, per committee (or sector)."""
    ids = [u.pk for u in units]
    members = accounts.members_per_unit(body, field, ids)
    active = duty.members_with_records_per_unit(body, year, field, ids)
    rows = [(u.name, members.get(u.pk, 0), active.get(u.pk, 0)) for u in units if members.get(u.pk)]
    rates = [rate(r[2], r[1]) for r in rows]
    low = min(zip(rows, rates, strict=True), key=lambda x: x[1] or 0) if rows else None
    return Chart(
        chart_name,
        title,
        "bar",
        [r[0] for r in rows],
        [
            (_("Members"), [r[1] for r in rows]),
            (_("With a record"), [r[2] for r in rows]),
            (_("Participation (%)"), rates),
        ],
        summary=(_("Lowest participation: %(unit)s, %(rate)s%%.") % {"unit": low[0][0], "rate": low[1]})
        if low
        else _("No members."),
        category_label=label,
    )


def _trend(body, year) -> Chart:
    rows = duty.participation_by_year(body, year - 4, year)
    years = list(range(year - 4, year + 1))
    return Chart(
        "trend",
        _("Members with records and average points, five years"),
        "line",
        [str(y) for y in years],
        [
            (_("Members with a record"), [rows[y]["n"] if y in rows else 0 for y in years]),
            (_("Average points"), [round(rows[y]["avg"] or 0, 1) if y in rows else 0 for y in years]),
        ],
        summary=_("Members with a record in %(year)s: %(n)s.") % {"year": year, "n": rows.get(year, {}).get("n", 0)},
        category_label=_("Year"),
    )


def without_record(body, year, *, committees=None, page: int = 1):
    """One page of the body's members without any record this year (committees: only those committees')."""
    qs = duty.members_without_record(body, year, committees=committees)
    return {"page": page_of(qs, page, PAGE), "count": qs.count()}


def dashboard(body, *, year: int, committees=None, page: int = 1) -> dict:
    """`committees`: a head's committees only (None: the whole body)."""
    units = list(OrgUnit.objects.filter(body=body, kind__in=["committee", "sector"], is_active=True).order_by("path"))
    coms = [u for u in units if u.kind == "committee" and (committees is None or u.pk in committees)]
    sectors = [u for u in units if u.kind == "sector"] if committees is None else []
    charts = [
        _participation(body, year, "committee", "by-committee", _("Participation by committee"), _("Committee"), coms)
    ]
    if committees is None:
        charts.insert(0, _distribution(body, year))
        charts.append(
            _participation(body, year, "sector", "by-sector", _("Participation by sector"), _("Sector"), sectors)
        )
        charts.append(_trend(body, year))
    return {
        "body": body,
        "year": year,
        "charts": charts,
        "without": without_record(body, year, committees=committees, page=page),
    }
