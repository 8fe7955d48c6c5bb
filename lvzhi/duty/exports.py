"""Excel workbooks (openpyxl, write-only): the yearly analysis and the annual results (S3-12, S3-13)."""

import datetime as dt
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font

from .models import Kind, MemberYear

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _safe(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _header(sheet, titles):
    row = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = Font(bold=True)
        row.append(cell)
    sheet.append(row)


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def analysis_workbook(analysis, *, title: str) -> bytes:
    """The analysis: summary, distribution (with a bar chart), members below the threshold, points by kind."""
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    summary.append([title])
    for label, value in (
        (_("Year"), analysis.year),
        (_("Members"), analysis.members),
        (_("Average points"), analysis.average),
        (_("Highest"), analysis.maximum),
        (_("Lowest"), analysis.minimum),
        (_("Average last year"), analysis.last_year_average),
        (_("Threshold"), analysis.threshold),
        (_("Members below the threshold"), analysis.below_count),
    ):
        summary.append([str(label), value])
    dist = book.create_sheet(_("Distribution"))
    dist.append([str(_("Points")), str(_("Members"))])
    for label, n in analysis.distribution:
        dist.append([label, n])
    if analysis.distribution:
        chart = BarChart()
        chart.title = str(_("Distribution of points"))
        chart.add_data(
            Reference(dist, min_col=2, min_row=1, max_row=len(analysis.distribution) + 1), titles_from_data=True
        )
        chart.set_categories(Reference(dist, min_col=1, min_row=2, max_row=len(analysis.distribution) + 1))
        dist.add_chart(chart, "D2")
    below = book.create_sheet(_("Below the threshold"))
    below.append([str(_("Member")), str(_("Committee")), str(_("Points"))])
    for row in analysis.below:
        below.append([_safe(row.member.real_name), _safe(row.committee.name if row.committee else ""), row.total])
    kinds = book.create_sheet(_("By kind"))
    kinds.append([str(_("Kind")), str(_("Records")), str(_("Points"))])
    for row in analysis.by_kind:
        kinds.append([str(Kind(row["kind"]).label), row["records"], row["points"] or 0])
    return _save(book)


def results_workbook(*, body, year: int) -> tuple[bytes, int]:
    """The annual results of every member of the body (rank, name, committee, sector, points, records)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Annual duty results"))
    _header(sheet, [_("Rank"), _("Member"), _("Committee"), _("Sector"), _("Workplace"), _("Points"), _("Records")])
    rank, previous, n = 0, None, 0
    rows = (
        MemberYear.objects.filter(body=body, year=year)
        .select_related("member", "committee", "sector")
        .order_by("-total", "member_id")
    )
    from lvzhi.accounts.models import MemberProfile

    workplaces = dict(MemberProfile.objects.filter(body=body).values_list("user_id", "workplace"))
    for i, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        if row.total != previous:
            rank, previous = i, row.total
        sheet.append(
            [
                rank,
                _safe(row.member.real_name),
                _safe(row.committee.name if row.committee else ""),
                _safe(row.sector.name if row.sector else ""),
                _safe(workplaces.get(row.member_id, "")),
                row.total,
                row.records,
            ]
        )
        n += 1
    return _save(book), n
