"""Quarterly self-inspection by each unit of its outlets (S1-5.3): opened when the quarter ends, generated from
the quarter's findings, edited, submitted within 5 working days, reviewed by the competent office. Also the host
unit's side of a finding: reported fixed, confirmed or sent back by the office."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.core.validation import clean_text
from lvzhi.newmedia import selectors as newmedia_selectors
from lvzhi.workdays.calendar import due_date, working_days_between
from lvzhi.workflow import services as workflow
from lvzhi.workflow.selectors import deadline_of

from .. import permissions as perm
from .. import rules, sources
from ..models import Rectification, SelfInspection
from ..workflows import FIX_FLOW, REPORT, REVISE, SELF_FLOW
from .common import quarter_bounds

S = SelfInspection.Status


def quarter_findings(unit_ids, outlet_ids, year: int, quarter: int) -> list[dict]:
    """The quarter's findings about the outlets: facts of the registered sources and this module's own."""
    start, end = quarter_bounds(year, quarter)
    found = [f.as_dict() for f in sources.facts(outlet_ids, start, end)]
    fixes = Rectification.objects.filter(
        outlet_id__in=list(outlet_ids), found_on__gte=start, found_on__lte=end
    ).select_related("item__indicator")
    for fix in fixes.order_by("found_on", "pk")[:500]:
        found.append(
            {
                "outlet_id": fix.outlet_id,
                "indicator": fix.item.indicator.code,
                "veto": fix.item.veto_hit,
                "found_on": fix.found_on.isoformat(),
                "due_on": fix.due_on.isoformat() if fix.due_on else None,
                "fixed_on": fix.fixed_on.isoformat() if fix.fixed_on else None,
                "status": fix.status,
                "summary": fix.item.note,
                "link": f"/inspections/fixes/{fix.pk}/",
                "source": "inspections",
            }
        )
    return found


def draft_text(outlets, findings: list[dict], year: int, quarter: int) -> str:
    """The generated draft of the report, one section per outlet: what was found and what became of it."""
    lines = [_("Self-inspection of %(year)s, quarter %(quarter)s") % {"year": year, "quarter": quarter}, ""]
    by_outlet = {}
    for f in findings:
        by_outlet.setdefault(f["outlet_id"], []).append(f)
    for outlet in outlets:
        mine = by_outlet.get(outlet.pk, [])
        lines.append(f"{outlet.name}（{outlet.get_platform_display()}）")
        if not mine:
            lines.append("  " + _("No problems found this quarter."))
        for f in mine:
            state = _("fixed on %(day)s") % {"day": f["fixed_on"]} if f.get("fixed_on") else _("not fixed yet")
            veto = _("(veto item) ") if f.get("veto") else ""
            lines.append(f"  - {f['found_on']} {veto}{f['indicator']} {f['summary']} — {state}")
        lines.append("")
    return "\n".join(lines)


@transaction.atomic
def open_quarter(*, actor=None, office, year: int, quarter: int) -> list[SelfInspection]:
    """One report per host unit with active outlets under `office`, for the quarter; idempotent."""
    outlets = list(newmedia_selectors.active_outlets(office=office))
    by_unit = {}
    for outlet in outlets:
        by_unit.setdefault(outlet.host_unit_id, (outlet.host_unit, []))[1].append(outlet)
    made = []
    for unit, mine in by_unit.values():
        if SelfInspection.objects.filter(unit=unit, year=year, quarter=quarter).exists():
            continue
        ids = [o.pk for o in mine]
        findings = quarter_findings([unit.pk], ids, year, quarter)
        try:
            with transaction.atomic():
                report = SelfInspection.objects.create(
                    unit=unit,
                    office=office,
                    year=year,
                    quarter=quarter,
                    outlet_ids=ids,
                    findings=findings,
                    report=draft_text(mine, findings, year, quarter),
                )
        except IntegrityError:
            continue  # another process opened it meanwhile
        workflow.start(report, actor=actor, workflow=SELF_FLOW, audit_after={"year": year, "quarter": quarter})
        report.due_on = due_date(report.next_due_at)  # the quarterly report's last day, kept after it is met
        report.save(update_fields=["due_on"])
        made.append(report)
    return made


def _editable(actor, report) -> SelfInspection:
    report = SelfInspection.objects.select_for_update().get(pk=report.pk)
    if not perm.may_edit_report(actor, report):
        raise NotFound()
    if report.status not in (S.DUE, S.RETURNED):
        raise Conflict(_("The report is submitted; it can no longer be edited."), code="report_submitted")
    return report


@transaction.atomic
def save_report(*, actor, report, text) -> SelfInspection:
    report = _editable(actor, report)
    report.report = clean_text(text, field="report", max_length=rules.REPORT_MAX, multiline=True)
    report.save(update_fields=["report", "updated_at"])
    record("inspections.self.edit", actor=actor, obj=report, org_unit=report.unit, after={"length": len(report.report)})
    return report


@transaction.atomic
def regenerate(*, actor, report) -> SelfInspection:
    """Draw the findings again (the monitor may have found more) and replace the draft."""
    report = _editable(actor, report)
    outlets = list(newmedia_selectors.active_outlets(unit_ids=[report.unit_id]))
    report.outlet_ids = [o.pk for o in outlets]
    report.findings = quarter_findings([report.unit_id], report.outlet_ids, report.year, report.quarter)
    report.report = draft_text(outlets, report.findings, report.year, report.quarter)
    report.save(update_fields=["outlet_ids", "findings", "report", "updated_at"])
    record("inspections.self.regenerate", actor=actor, obj=report, org_unit=report.unit)
    return report


def late_days(deadline, at) -> int:
    """Working days after the deadline's last day up to `at`'s day (at least 1 when late at all); 0 on time."""
    if deadline is None or at <= deadline.due_at:
        return 0
    return max(1, working_days_between(deadline.due_at - dt.timedelta(microseconds=1), at))


def submit_report(*, actor, report, text=None) -> SelfInspection:
    """Submit (or submit again after a return). The first submission is judged against the quarterly deadline
    (`on_time`, `late_days`, kept); a revision's lateness against its own deadline is in the audit row."""
    with transaction.atomic():
        if text is not None and str(text).strip():
            report = save_report(actor=actor, report=report, text=text)
        revision = report.status == S.RETURNED
        now = timezone.now()
        late = late_days(deadline_of(report, REVISE if revision else REPORT), now)
        changes = {"submitted_at": now}
        if report.on_time is None:
            changes.update(on_time=late == 0, late_days=late)
        return workflow.transition(
            report,
            "submit",
            actor=actor,
            workflow=SELF_FLOW,
            changes=changes,
            audit_after={"on_time": late == 0, "late_days": late, "revision": revision},
        )


def review_report(*, actor, report, accept: bool, note="") -> SelfInspection:
    """Accept, or return for revision: a returned report runs a new deadline (`inspections.revise_working_days`
    from the return, `workflows.REVISE`), kept in `next_due_at` by the workflow."""
    note = clean_text(note, field="note", max_length=rules.NOTE_MAX, required=not accept, multiline=True)
    return workflow.transition(
        report,
        "accept" if accept else "return",
        actor=actor,
        workflow=SELF_FLOW,
        comment=note,
        changes={"reviewed_by": actor, "reviewed_at": timezone.now()},
    )


def report_fixed(*, actor, fix, note, fixed_on=None) -> Rectification:
    note = clean_text(note, field="note", max_length=rules.NOTE_MAX, multiline=True)
    fixed_on = fixed_on or local_date()
    if fixed_on > local_date() or fixed_on < fix.found_on:
        raise ValidationFailed(_("The day of the fix must lie between the finding and today."), code="fixed_on_invalid")
    return workflow.transition(
        fix,
        "report_fixed",
        actor=actor,
        workflow=FIX_FLOW,
        comment=note,
        changes={"fix_note": note, "fixed_on": fixed_on},
    )


def confirm_fix(*, actor, fix, accept: bool, note="") -> Rectification:
    note = clean_text(note, field="note", max_length=rules.NOTE_MAX, required=not accept, multiline=True)
    if accept:
        return workflow.transition(fix, "confirm", actor=actor, workflow=FIX_FLOW, comment=note)
    with transaction.atomic():
        fix = workflow.transition(
            fix, "send_back", actor=actor, workflow=FIX_FLOW, comment=note, changes={"fixed_on": None}
        )
        fix.due_on = due_date(fix.next_due_at) if fix.next_due_at else None  # the new last day
        fix.save(update_fields=["due_on"])
        return fix
