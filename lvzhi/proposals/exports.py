"""The annual handling report of a body (办理情况年度报告) as an .xlsx workbook: a summary per handling unit and the
list of items. Streamed (openpyxl write-only), text cells never become formulas. Exporting is audited."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.audit.services import record
from lvzhi.core import xlsx

from . import statistics
from .models import Classification, Proposal, Rating

CHUNK = 1000


_text = xlsx.text  # always text, control characters escaped, never a formula


def _percent(value):
    return "" if value is None else f"{value}%"


def annual_report(*, actor, body, year: int) -> bytes:
    stats = statistics.unit_statistics(body=body, year=year)
    book = Workbook(write_only=True)

    summary = book.create_sheet(_("Summary by unit"))
    summary.append([_text(summary, _("%(body)s: handling report %(year)s") % {"body": body.name, "year": year})])
    headers = [
        _("Unit"),
        _("Assigned"),
        _("As lead unit"),
        _("As co-handling unit"),
        _("Replied"),
        _("Replied on time"),
        _("On-time rate"),
        _("Overdue now"),
        _("Extended"),
        *[f"{_('Class')} {c}" for c in Classification.values],
        str(Rating.SATISFIED.label),
        str(Rating.BASIC.label),
        str(Rating.UNSATISFIED.label),
        str(Rating.NONE.label),
        _("Satisfaction"),
    ]
    summary.append([_text(summary, h) for h in headers])
    for row in [*stats["rows"], {**stats["totals"], "unit__name": _("Total")}]:
        summary.append(
            [
                _text(summary, row["unit__name"]),
                row["assigned"],
                row["lead"],
                row["co"],
                row["replied"],
                row["on_time"],
                _text(summary, _percent(row["on_time_rate"])),
                row["overdue"],
                row["extended"],
                *[row[f"class_{c}"] for c in Classification.values],
                row["rating_satisfied"],
                row["rating_basic"],
                row["rating_unsatisfied"],
                row["rating_none"],
                _text(summary, _percent(row["satisfaction"])),
            ]
        )

    items = book.create_sheet(_("Items"))
    headers = [
        _("Number"),
        _("Kind"),
        _("Title"),
        _("Proposer"),
        _("Category"),
        _("Status"),
        _("Lead unit"),
        _("Co-handling units"),
        _("Class"),
        _("Replied on time"),
        _("Evaluation"),
        _("Key supervision"),
        _("Public"),
    ]
    items.append([_text(items, h) for h in headers])
    statuses = dict(Proposal.Status.choices)
    ratings = dict(Rating.choices)
    count = 0
    rows = statistics.annual_report_rows(body=body, year=year).iterator(chunk_size=CHUNK)
    chunk = []

    def flush(batch):
        co_names = statistics.co_unit_names(p.pk for p in batch)
        for p in batch:
            on_time = "" if p.lead_on_time is None else (_("Yes") if p.lead_on_time else _("No"))
            items.append(
                [
                    _text(items, p.reference),
                    _text(items, p.get_kind_display()),
                    _text(items, p.title),
                    _text(items, p.proposer.real_name),
                    _text(items, p.category),
                    _text(items, statuses.get(p.status, p.status)),
                    _text(items, p.lead_unit_name or ""),
                    _text(items, "、".join(co_names.get(p.pk, []))),
                    _text(items, p.lead_classification or ""),
                    _text(items, on_time),
                    _text(items, ratings.get(p.rating, "")),
                    _text(items, _("Yes") if p.key_supervision else ""),
                    _text(items, _("Yes") if p.is_public else ""),
                ]
            )

    for p in rows:
        chunk.append(p)
        count += 1
        if len(chunk) >= CHUNK:
            flush(chunk)
            chunk = []
    if chunk:
        flush(chunk)
    record(
        "proposals.report.export",
        actor=actor,
        obj=body,
        org_unit=body,
        after={"year": year, "items": count, "units": len(stats["rows"])},
    )
    return xlsx.save(book)
