"""The committee office takes a report in: accept, return, pass on to the hotline or handle it."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import ValidationFailed
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import deadline_of

from ..models import HOTLINE_CATEGORIES, Report
from ..workflows import REPORT_FLOW, ROUTE
from .common import _category, _lock, _note, _now, _reason, _tell_member, _tell_unit, _wd
from .routing import hotline_of


@transaction.atomic
def accept_report(*, actor: User, report: Report, category: str = "", note: str = "") -> Report:
    """Accept and classify (the office may correct the member's category)."""
    report = _lock(report)
    category = _category(category or report.category)
    note = _note(note)
    before = report.category
    report = wf.transition(
        report,
        "accept",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        data={"category": category},
        changes={"category": category},
        audit_before={"category": before},
        audit_after={"category": category},
    )
    _tell_member(
        report,
        _("Your public-opinion report was accepted: %(title)s") % {"title": report.title},
        _("Accepted by %(office)s.") % {"office": report.committee.name},
        event="opinions.report.accept",
    )
    return report


@transaction.atomic
def return_report(*, actor: User, report: Report, reason: str) -> Report:
    report = _lock(report)
    reason = _reason(reason)
    report = wf.transition(report, "return", actor=actor, workflow=REPORT_FLOW, comment=reason)
    _tell_member(
        report,
        _("Your public-opinion report was returned: %(title)s") % {"title": report.title},
        _("Reason: %(reason)s. You may revise it and submit it again.") % {"reason": reason},
        event="opinions.report.return",
        sms=True,
    )
    return report


def _route_changes(report: Report, now) -> dict:
    return {"routed_at": now, "wd_route": _wd(report.last_submitted_at, now)}


@transaction.atomic
def forward_to_hotline(*, actor: User, report: Report, category: str = "", note: str = "") -> Report:
    """S0-16.1: pass a report of the hotline kinds to the members' hotline, whose staff are told at once."""
    report = _lock(report)
    category = _category(category or report.category)
    note = _note(note)
    if category not in HOTLINE_CATEGORIES:
        raise ValidationFailed(
            _("Only reports of the hotline kinds go to the members' hotline; handle or transfer this one."),
            code="not_hotline_kind",
        )
    hotline = hotline_of(report.body)
    if hotline is None:
        raise ValidationFailed(_("Your body has no members' hotline."), code="no_hotline")
    now = _now()
    route = deadline_of(report, ROUTE)
    on_time = None if route is None or route.met_at is not None else now < route.due_at
    report = wf.transition(
        report,
        "forward",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        data={"hotline": hotline.pk, "category": category, "on_time": on_time},
        changes={
            "hotline": hotline,
            "category": category,
            "forwarded_at": now,
            "forwarded_on_time": on_time,
            "handling_started_at": now,
            **_route_changes(report, now),
        },
        audit_after={"hotline": hotline.pk, "category": category, "on_time": on_time},
    )
    _tell_unit(
        hotline,
        [Role.HOTLINE],
        report,
        _("Public-opinion report forwarded to the hotline: %(title)s") % {"title": report.title},
        _("Forwarded by %(office)s.") % {"office": report.committee.name},
        event="opinions.report.forward",
    )
    _tell_member(
        report,
        _("Your public-opinion report went to the members' hotline: %(title)s") % {"title": report.title},
        event="opinions.report.forward",
    )
    return report


@transaction.atomic
def handle_in_committee(*, actor: User, report: Report, category: str = "", note: str = "") -> Report:
    """The committee handles the report itself (outside the hotline's scope, within its own field)."""
    report = _lock(report)
    category = _category(category or report.category)
    note = _note(note)
    now = _now()
    report = wf.transition(
        report,
        "handle",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=note,
        data={"category": category},
        changes={"category": category, "handling_started_at": now, **_route_changes(report, now)},
        audit_after={"category": category},
    )
    _tell_member(
        report,
        _("Your public-opinion report is being handled by %(office)s") % {"office": report.committee.name},
        report.title,
        event="opinions.report.handle",
    )
    return report
