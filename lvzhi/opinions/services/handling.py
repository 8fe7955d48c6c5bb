"""Handling (S0-16.3): progress updates, the hotline's result and the answer to the member."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, PermissionDenied
from lvzhi.core.validation import clean_text
from lvzhi.workflow import services as wf

from .. import rules
from ..models import HandlingUpdate, Report
from ..permissions import is_hotline_staff, is_office_staff, may_post_update
from ..workflows import REPORT_FLOW
from .common import S, _lock, _now, _tell_member, _tell_unit, _wd


@transaction.atomic
def post_update(*, actor: User, report: Report, text: str) -> HandlingUpdate:
    """A handling update shown to the member under the report (the status bar of S0-16.3)."""
    report = _lock(report)
    text = clean_text(
        text, field="update", max_length=rules.TEXT_MAX, required=True, label=_("The update"), multiline=True
    )
    if not may_post_update(actor, report):
        handling = report.status in (S.AT_HOTLINE, S.VERIFYING, S.HANDLING)
        if not handling and (is_hotline_staff(actor, report) or is_office_staff(actor, report)):
            raise Conflict(_("Updates can be posted only while the report is being handled."), code="not_handling")
        raise PermissionDenied()
    unit = report.hotline if report.status in (S.AT_HOTLINE, S.VERIFYING) else report.committee
    update = HandlingUpdate.objects.create(report=report, round=report.round, unit=unit, author=actor, text=text)
    record("opinions.update.post", actor=actor, obj=report, org_unit=unit, after={"update": update.pk})
    _tell_member(
        report,
        _("Handling update on your report: %(title)s") % {"title": report.title},
        text,
        event="opinions.update.post",
    )
    return update


@transaction.atomic
def report_hotline_result(*, actor: User, report: Report, result: str) -> Report:
    """The hotline reports the final result to the committee office."""
    report = _lock(report)
    result = clean_text(
        result, field="result", max_length=rules.TEXT_MAX, required=True, label=_("The result"), multiline=True
    )
    now = _now()
    report = wf.transition(
        report,
        "hotline_result",
        actor=actor,
        workflow=REPORT_FLOW,
        comment=result,
        changes={"result": result, "result_at": now, "wd_handle": _wd(report.handling_started_at, now)},
    )
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The hotline reported the result: %(title)s") % {"title": report.title},
        _("Please pass it on to the member."),
        event="opinions.report.hotline_result",
    )
    return report


@transaction.atomic
def answer_member(*, actor: User, report: Report, answer: str) -> Report:
    """The committee office passes the final result to the member and asks for a rating (S0-16.3); for a report
    the committee handled itself this is the committee's result."""
    report = _lock(report)
    answer = clean_text(
        answer, field="answer", max_length=rules.TEXT_MAX, required=True, label=_("The answer"), multiline=True
    )
    now = _now()
    changes = {"answer": answer, "answered_at": now, "wd_total": _wd(report.submitted_at, now), "satisfaction": ""}
    if report.status == S.HANDLING:
        changes.update(result=answer, result_at=now, wd_handle=_wd(report.handling_started_at, now), wd_feedback=0)
    else:
        changes["wd_feedback"] = _wd(report.result_at, now)
    report = wf.transition(report, "answer", actor=actor, workflow=REPORT_FLOW, comment=answer, changes=changes)
    _tell_member(
        report,
        _("Your public-opinion report has been handled: %(title)s") % {"title": report.title},
        _("Please read the result and tell us whether you are satisfied."),
        event="opinions.report.answer",
        sms=True,
    )
    return report
