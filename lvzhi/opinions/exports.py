"""Excel workbooks (.xlsx, openpyxl write-only: constant memory): a filtered staff list, the statistics, a digest."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.core import xlsx

from . import rules
from .digest import category_label, digest_summary, digest_title, level_label, status_label
from .models import Category, MonthlyDigest, Report, Satisfaction

XLSX = xlsx.XLSX_CONTENT_TYPE
_header = xlsx.header
_save = xlsx.save


def queue_workbook(qs) -> tuple[bytes, int]:
    """The filtered list as a sheet (at most EXPORT_ROWS_MAX rows); returns (bytes, rows written)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Public-opinion reports"))
    _header(
        sheet,
        [
            _("Reference"),
            _("Title"),
            _("Category"),
            _("Status"),
            _("Reported by"),
            _("Handling committee"),
            _("Hotline"),
            _("Submitted"),
            _("Forwarded to the hotline"),
            _("Forwarded on time"),
            _("Answered"),
            _("Satisfaction"),
            _("Round"),
        ],
    )
    count = 0
    rows = qs.select_related(None).values_list(
        "pk",
        "created_at",
        "title",
        "category",
        "status",
        "author__real_name",
        "committee__name",
        "hotline__name",
        "submitted_at",
        "forwarded_at",
        "forwarded_on_time",
        "answered_at",
        "satisfaction",
        "round",
    )
    yes, no = _("Yes"), _("No")
    for pk, created, title, category, status, author, committee, hotline, sub, fwd, on_time, ans, sat, rnd in rows[
        : rules.EXPORT_ROWS_MAX
    ].iterator(chunk_size=2000):
        reference = f"SQ{created.year}{pk:06d}"
        sheet.append(
            xlsx.row(
                sheet,
                (
                    reference,
                    title,
                    category_label(category),
                    status_label(status),
                    author,
                    committee or "",
                    hotline or "",
                    sub,
                    fwd,
                    "" if on_time is None else (yes if on_time else no),
                    ans,
                    level_label(sat),
                    rnd,
                ),
            )
        )
        count += 1
    return _save(book), count


def statistics_workbook(rows, period) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Statistics"))
    sheet.append(xlsx.row(sheet, [_("Period"), f"{period.date_from.isoformat()} – {period.date_to.isoformat()}"]))
    _header(
        sheet,
        [
            _("Committee"),
            _("Received"),
            _("Forwarded to the hotline"),
            _("Forwarded on time"),
            _("Answered"),
            _("Closed"),
            _("Working days to pass on"),
            _("Working days to handle"),
            _("Working days to answer the member"),
            _("Working days in all"),
            _("Ratings"),
            Satisfaction.SATISFIED.label,
            Satisfaction.BASICALLY.label,
            Satisfaction.UNSATISFIED.label,
            _("Overdue now"),
        ],
    )
    for r in rows:
        sheet.append(
            xlsx.row(
                sheet,
                [
                    r["unit"].name,
                    r["received"],
                    r["forwarded"],
                    r["forwarded_on_time"],
                    r["handled"],
                    r["closed"],
                    r["avg_route"],
                    r["avg_handle"],
                    r["avg_feedback"],
                    r["avg_total"],
                    r["rated"],
                    r["satisfied"],
                    r["basically"],
                    r["unsatisfied"],
                    r["overdue"],
                ],
            )
        )
    return _save(book)


def digest_workbook(digest: MonthlyDigest) -> bytes:
    data = digest.data
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("Summary"))
    summary.append([xlsx.text(summary, digest_title(data))])
    summary.append([xlsx.text(summary, digest_summary(data))])
    summary.append([])
    for label, value in (
        (_("Received"), data["received"]),
        (_("Forwarded to the hotline"), data["forwarded"]),
        (_("Forwarded on time"), data["forwarded_on_time"]),
        (_("Answered"), data["answered"]),
        (_("Working days in all"), data.get("avg_total_working_days")),
    ):
        summary.append(xlsx.row(summary, [str(label), value]))
    summary.append([])
    for level in Satisfaction.values:
        summary.append(xlsx.row(summary, [level_label(level), data["ratings"].get(level, 0)]))
    categories = book.create_sheet(_("Categories"))
    _header(categories, [_("Category"), _("Reports")])
    for code in Category.values:
        if data["categories"].get(code):
            categories.append(xlsx.row(categories, [category_label(code), data["categories"][code]]))
    if data["categories"].get(""):
        categories.append(xlsx.row(categories, [category_label(""), data["categories"][""]]))
    statuses = book.create_sheet(_("Status"))
    _header(statuses, [_("Status"), _("Reports")])
    for code in Report.Status.values:
        if data["statuses"].get(code):
            statuses.append(xlsx.row(statuses, [status_label(code), data["statuses"][code]]))
    notable = book.create_sheet(_("Notable reports"))
    _header(notable, [_("Reference"), _("Title"), _("Category"), _("Status"), _("Handling"), _("Satisfaction")])
    for item in data["notable"]:
        notable.append(
            xlsx.row(
                notable,
                (
                    item["reference"],
                    item["title"],
                    category_label(item["category"]),
                    status_label(item["status"]),
                    item["handling"],
                    level_label(item["satisfaction"]),
                ),
            )
        )
    return _save(book)
