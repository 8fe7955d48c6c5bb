"""Verification (S0-16.2): questions to the office and to the member, and their answers."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, PermissionDenied
from lvzhi.workflow import services as wf

from .. import rules
from ..models import Report, ThreadMessage
from ..permissions import is_author, is_office_staff
from ..workflows import REPORT_FLOW
from .common import S, _lock, _tell_member, _tell_unit, _text


def _thread(report: Report, kind: str, actor: User, text: str) -> ThreadMessage:
    return ThreadMessage.objects.create(report=report, round=report.round, kind=kind, author=actor, text=text)


def _question(value) -> str:
    return _text(value, limit=rules.REASON_MAX, required=True, code="question", label=_("The question"))


def _answer_text(value) -> str:
    return _text(value, limit=rules.TEXT_MAX, required=True, code="answer", label=_("The answer"))


@transaction.atomic
def ask_verification(*, actor: User, report: Report, question: str) -> Report:
    """The hotline asks the committee office to verify a point; the hotline's clock stops meanwhile."""
    report = _lock(report)
    question = _question(question)
    report = wf.transition(report, "ask_verification", actor=actor, workflow=REPORT_FLOW, comment=question)
    _thread(report, ThreadMessage.Kind.HOTLINE_QUESTION, actor, question)
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The hotline asks to verify: %(title)s") % {"title": report.title},
        question,
        event="opinions.report.ask_verification",
    )
    return report


def open_member_question(report: Report) -> ThreadMessage | None:
    """The office's latest question to the member of this round if the member has not answered it yet."""
    last = (
        ThreadMessage.objects.filter(
            report=report,
            round=report.round,
            kind__in=(ThreadMessage.Kind.OFFICE_QUESTION, ThreadMessage.Kind.MEMBER_ANSWER),
        )
        .order_by("-created_at", "-id")
        .first()
    )
    return last if last is not None and last.kind == ThreadMessage.Kind.OFFICE_QUESTION else None


QUESTION_STATES = (S.VERIFYING, S.HANDLING)


@transaction.atomic
def ask_member(*, actor: User, report: Report, question: str) -> ThreadMessage:
    """The committee office checks a point with the member (during a verification or its own handling)."""
    report = _lock(report)
    if not is_office_staff(actor, report):
        raise PermissionDenied()
    question = _question(question)
    if report.status not in QUESTION_STATES:
        raise Conflict(_("There is nothing to verify with the member now."), code="not_verifying")
    message = _thread(report, ThreadMessage.Kind.OFFICE_QUESTION, actor, question)
    record(
        "opinions.thread.ask_member",
        actor=actor,
        obj=report,
        org_unit=report.committee,
        after={"message": message.pk},
    )
    _tell_member(
        report,
        _("Please answer a question about your report: %(title)s") % {"title": report.title},
        question,
        event="opinions.thread.ask_member",
        sms=True,
    )
    return message


@transaction.atomic
def answer_member_question(*, actor: User, report: Report, answer: str) -> ThreadMessage:
    report = _lock(report)
    if not is_author(actor, report):
        raise PermissionDenied()
    answer = _answer_text(answer)
    if report.status not in QUESTION_STATES or open_member_question(report) is None:
        raise Conflict(_("There is no open question to answer."), code="no_open_question")
    message = _thread(report, ThreadMessage.Kind.MEMBER_ANSWER, actor, answer)
    record(
        "opinions.thread.member_answer",
        actor=actor,
        obj=report,
        org_unit=report.committee,
        after={"message": message.pk},
    )
    _tell_unit(
        report.committee,
        [Role.STAFF],
        report,
        _("The member answered your question: %(title)s") % {"title": report.title},
        answer,
        event="opinions.thread.member_answer",
    )
    return message


@transaction.atomic
def confirm_verification(*, actor: User, report: Report, answer: str) -> Report:
    """The committee office sends the verified answer to the hotline; the hotline's clock runs again."""
    report = _lock(report)
    answer = _answer_text(answer)
    report = wf.transition(report, "verified", actor=actor, workflow=REPORT_FLOW, comment=answer)
    _thread(report, ThreadMessage.Kind.OFFICE_ANSWER, actor, answer)
    _tell_unit(
        report.hotline,
        [Role.HOTLINE],
        report,
        _("Verified by the committee office: %(title)s") % {"title": report.title},
        answer,
        event="opinions.report.verified",
    )
    return report
