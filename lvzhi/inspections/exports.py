"""The operations archive of an outlet and a year (S2-32): everything recorded — filings, self-inspections,
checks, findings, security duties — as an Excel workbook, and a zip of it with the audit log's extract."""

import datetime as dt
import io
import json
import zipfile

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.core import xlsx
from lvzhi.core.timeutil import start_of_day
from lvzhi.newmedia import selectors as newmedia_selectors

from . import sources
from .models import Assessment, CheckItem, Rectification, SecurityDuty, SelfInspection

AUDIT_MAX = 5000


def _records(outlet, year):
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    filings = [f for f in newmedia_selectors.filings_of(outlet) if f.created_at.year == year]
    reports = [
        r
        for r in SelfInspection.objects.filter(unit=outlet.host_unit, year=year).order_by("quarter")
        if outlet.pk in (r.outlet_ids or [])
    ]
    items = list(
        CheckItem.objects.filter(outlet_check__outlet=outlet, outlet_check__round__year=year)
        .select_related("outlet_check__round", "indicator")
        .order_by("outlet_check__round__checked_on", "indicator__position")
    )
    fixes = list(Rectification.objects.filter(outlet=outlet, found_on__year=year).select_related("item__indicator"))
    duties = list(SecurityDuty.objects.filter(outlet=outlet, done_on__year=year).select_related("responsible"))
    facts = sources.facts([outlet.pk], start, end)
    assessment = Assessment.objects.filter(outlet=outlet, year=year).first()
    return filings, reports, items, fixes, duties, facts, assessment


def _put(sheet, values) -> None:
    sheet.append(xlsx.row(sheet, values))


def workbook(outlet, year: int) -> bytes:
    filings, reports, items, fixes, duties, facts, assessment = _records(outlet, year)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Outlet"))
    xlsx.header(sheet, [_("Name"), _("Platform"), _("Host unit"), _("Year"), _("Score"), _("Passed")])
    _put(
        sheet,
        [
            outlet.name,
            str(outlet.get_platform_display()),
            outlet.host_unit.name,
            year,
            str(assessment.score) if assessment else "",
            (_("yes") if assessment.passed else _("no")) if assessment else "",
        ],
    )
    sheet = book.create_sheet(_("Filings"))
    xlsx.header(sheet, [_("Kind"), _("Status"), _("Decided"), _("Filed with the office"), _("On time")])
    for f in filings:
        _put(sheet, [str(f.get_kind_display()), str(f.get_status_display()), f.decision_date, f.filed_at, f.on_time])
    sheet = book.create_sheet(_("Self-inspections"))
    xlsx.header(sheet, [_("Quarter"), _("Status"), _("Submitted on"), _("On time"), _("Report text")])
    for r in reports:
        _put(sheet, [r.quarter, str(r.get_status_display()), r.submitted_at, r.on_time, r.report])
    sheet = book.create_sheet(_("Inspection checks"))
    xlsx.header(sheet, [_("Inspection round"), _("Day"), _("Indicator"), _("Deduction"), _("Veto"), _("Finding")])
    for i in items:
        rnd = i.outlet_check.round
        _put(sheet, [rnd.title, rnd.checked_on, i.indicator.code, i.deduction, i.veto_hit, i.note])
    sheet = book.create_sheet(_("Findings and facts"))
    xlsx.header(
        sheet, [_("Source"), _("Indicator"), _("Found on"), _("Fix by"), _("Fixed on"), _("Status"), _("Summary")]
    )
    for f in fixes:
        _put(sheet, ["inspections", f.item.indicator.code, f.found_on, f.due_on, f.fixed_on, f.status, f.item.note])
    for f in facts:
        _put(sheet, [f.source, f.indicator, f.found_on, f.due_on, f.fixed_on, f.status, f.summary])
    sheet = book.create_sheet(_("Security duties"))
    xlsx.header(sheet, [_("Kind"), _("Date"), _("Person responsible"), _("Note")])
    for d in duties:
        _put(sheet, [str(d.get_kind_display()), d.done_on, d.responsible.real_name, d.note])
    return xlsx.save(book)


def audit_extract(outlet, year: int, records) -> list[dict]:
    """The audit rows of the outlet and of the records in the archive, in the year (ids, events, states only)."""
    filings, reports, items, fixes, duties, _facts, assessment = records
    refs = [("newmedia.outlet", outlet.pk)]
    refs += [("newmedia.filing", f.pk) for f in filings]
    refs += [("inspections.selfinspection", r.pk) for r in reports]
    refs += [("inspections.outletcheck", i.outlet_check_id) for i in items]
    refs += [("inspections.rectification", f.pk) for f in fixes]
    refs += [("inspections.securityduty", d.pk) for d in duties]
    by_type = {}
    for kind, pk in refs:
        by_type.setdefault(kind, set()).add(str(pk))
    start, end = start_of_day(dt.date(year, 1, 1)), start_of_day(dt.date(year + 1, 1, 1))
    rows = []
    for kind, ids in by_type.items():
        qs = AuditEvent.objects.filter(object_type=kind, object_id__in=list(ids), at__gte=start, at__lt=end)
        for e in qs.order_by("id")[:AUDIT_MAX]:
            rows.append(
                {
                    "id": e.pk,
                    "at": e.at.isoformat(),
                    "event": e.event,
                    "actor": e.actor_label or (str(e.actor_id) if e.actor_id else ""),
                    "object": f"{e.object_type}#{e.object_id}",
                    "before": e.before,
                    "after": e.after,
                    "hash": e.hash,
                }
            )
    return sorted(rows, key=lambda r: r["id"])


def archive_zip(outlet, year: int) -> bytes:
    records = _records(outlet, year)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"outlet-{outlet.pk}-{year}.xlsx", workbook(outlet, year))
        extract = audit_extract(outlet, year, records)
        z.writestr(f"audit-{outlet.pk}-{year}.json", json.dumps(extract, ensure_ascii=False, indent=1))
        z.writestr(
            "README.txt",
            _("Operations archive of %(name)s for %(year)s: the records (Excel) and the audit log extract (JSON, "
              "verifiable against the chain with `lvzhi audit verify`).") % {"name": outlet.name, "year": year},
        )  # fmt: skip
    return out.getvalue()
