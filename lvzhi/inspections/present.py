"""What each user sees of an inspection case, decided once for the web page and the API."""

from django.utils import timezone

from lvzhi.workdays.calendar import due_date
from lvzhi.workflow.selectors import history_of

from .models import SelfInspection
from .workflows import FIX_FLOW, SELF_FLOW

S = SelfInspection.Status


def _day(value):
    return value.isoformat() if value else None


def _steps(steps) -> list[dict]:
    return [{"name": s.name, "label": str(s.label), "text_required": s.text_required} for s in steps]


def self_dates(report, now=None) -> dict:
    """The days of a self-inspection in words a reader can follow: the quarterly report's last day, the running
    deadline's (the revision's while returned, the office's review while submitted), overdue, and how late the
    first submission was."""
    now = now or timezone.now()
    running = due_date(report.next_due_at) if report.next_due_at else None
    waiting = report.status in (S.DUE, S.RETURNED)
    return {
        "due_on": report.due_on,
        "revise_due_on": running if report.status == S.RETURNED else None,
        "review_due_on": running if report.status == S.SUBMITTED else None,
        "overdue": bool(waiting and report.next_due_at and report.next_due_at <= now),
        "submitted_on": timezone.localtime(report.submitted_at).date() if report.submitted_at else None,
        "late_days": report.late_days if report.on_time is False else 0 if report.on_time else None,
    }


def self_dict(report, steps=()) -> dict:
    dates = self_dates(report)
    return {
        "id": report.pk,
        "unit": report.unit.name,
        "unit_id": report.unit_id,
        "year": report.year,
        "quarter": report.quarter,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "due_on": _day(dates["due_on"]),  # the quarterly report's last day
        "revise_due_on": _day(dates["revise_due_on"]),
        "review_due_on": _day(dates["review_due_on"]),
        "overdue": dates["overdue"],
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "on_time": report.on_time,
        "late_days": dates["late_days"],
        "report": report.report,
        "findings": report.findings,
        "steps": _steps(steps),
    }


def history(obj, flow) -> list[dict]:
    events = flow.labelled_history(history_of(obj))
    return [
        {"at": e.at.isoformat(), "step": str(e.label), "state": str(e.to_label), "comment": e.comment} for e in events
    ]


def self_history(report):
    return history(report, SELF_FLOW)


def fix_history(fix):
    return history(fix, FIX_FLOW)


def check_dict(check) -> dict:
    return {
        "id": check.pk,
        "outlet_id": check.outlet_id,
        "outlet": check.outlet.name,
        "platform": check.outlet.platform,
        "unit": check.unit.name,
        "items_checked": check.items_checked,
        "deductions": str(check.deductions),
        "veto": check.veto,
        "score": str(check.score) if check.score is not None else None,
        "passed": check.passed,
    }


def round_dict(round_, checks=None, steps=()) -> dict:
    data = {
        "id": round_.pk,
        "title": round_.title,
        "kind": round_.kind,
        "kind_label": str(round_.get_kind_display()),
        "year": round_.year,
        "period": round_.period,
        "checked_on": _day(round_.checked_on),
        "version": round_.version.version,
        "status": round_.status,
        "published_at": round_.published_at.isoformat() if round_.published_at else None,
        "steps": _steps(steps),
    }
    if checks is not None:
        data["checks"] = [check_dict(c) for c in checks]
    return data


def fix_dict(fix, steps=()) -> dict:
    return {
        "id": fix.pk,
        "outlet_id": fix.outlet_id,
        "outlet": fix.outlet.name,
        "unit": fix.unit.name,
        "indicator": fix.item.indicator.code,
        "indicator_name": fix.item.indicator.name,
        "veto": fix.item.veto_hit,
        "deduction": str(fix.item.deduction),
        "finding": fix.item.note,
        "status": fix.status,
        "status_label": str(fix.get_status_display()),
        "found_on": _day(fix.found_on),
        "due_on": _day(fix.due_on),
        "fixed_on": _day(fix.fixed_on),
        "fix_note": fix.fix_note,
        "steps": _steps(steps),
    }


def assessment_dict(a) -> dict:
    return {
        "id": a.pk,
        "outlet_id": a.outlet_id,
        "outlet": a.outlet.name,
        "unit": a.unit.name,
        "year": a.year,
        "version": a.version.version,
        "score": str(a.score),
        "veto": a.veto,
        "zeroed": a.zeroed,
        "passed": a.passed,
        "published": a.published_at is not None,
    }
