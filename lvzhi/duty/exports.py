"""Excel workbooks (openpyxl, write-only): the yearly analysis and the annual results (S3-12, S3-13)."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from lvzhi.accounts.models import MemberProfile
from lvzhi.core import xlsx

from .models import Kind, MemberYear

XLSX = xlsx.XLSX_CONTENT_TYPE


def analysis_workbook(analysis, *, title: str) -> bytes:
    """The analysis: summary, distribution (with a bar chart), members below the threshold, points by kind."""
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")
    summary.append(xlsx.row(summary, [title]))
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
        summary.append(xlsx.row(summary, [label, value]))
    dist = book.create_sheet(_("Distribution"))
    xlsx.header(dist, [_("Points"), _("Members")])
    for label, n in analysis.distribution:
        dist.append(xlsx.row(dist, [label, n]))
    if analysis.distribution:
        chart = BarChart()
        chart.title = str(_("Distribution of points"))
        chart.add_data(
            Reference(dist, min_col=2, min_row=1, max_row=len(analysis.distribution) + 1), titles_from_data=True
        )
        chart.set_categories(Reference(dist, min_col=1, min_row=2, max_row=len(analysis.distribution) + 1))
        dist.add_chart(chart, "D2")
    below = book.create_sheet(_("Below the threshold"))
    xlsx.header(below, [_("Member"), _("Committee"), _("Points")])
    for row in analysis.below:
        below.append(xlsx.row(below, [row.member.real_name, row.committee.name if row.committee else "", row.total]))
    kinds = book.create_sheet(_("By kind"))
    xlsx.header(kinds, [_("Kind"), _("Records"), _("Points")])
    for row in analysis.by_kind:
        kinds.append(xlsx.row(kinds, [Kind(row["kind"]).label, row["records"], row["points"] or 0]))
    return xlsx.save(book)


def results_workbook(*, body, year: int) -> tuple[bytes, int]:
    """The annual results of every member of the body (rank, name, committee, sector, points, records)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Annual duty results"))
    xlsx.header(sheet, [_("Rank"), _("Member"), _("Committee"), _("Sector"), _("Workplace"), _("Points"), _("Records")])
    rank, previous, n = 0, None, 0
    rows = (
        MemberYear.objects.filter(body=body, year=year)
        .select_related("member", "committee", "sector")
        .order_by("-total", "member_id")
    )
    workplaces = dict(MemberProfile.objects.filter(body=body).values_list("user_id", "workplace"))
    for i, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        if row.total != previous:
            rank, previous = i, row.total
        sheet.append(
            xlsx.row(
                sheet,
                [
                    rank,
                    row.member.real_name,
                    row.committee.name if row.committee else "",
                    row.sector.name if row.sector else "",
                    workplaces.get(row.member_id, ""),
                    row.total,
                    row.records,
                ],
            )
        )
        n += 1
    return xlsx.save(book), n
