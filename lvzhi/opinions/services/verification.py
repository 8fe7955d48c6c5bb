"""Verification (S0-16.2): questions to the office and to the member, and their answers."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, PermissionDenied
from lvzhi.core.validation import clean_text
from lvzhi.workflow import services as wf

from .. import rules
from ..models import Report, ThreadMessage
from ..permissions import is_author, is_office_staff
from ..selectors import open_member_question
from ..workflows import REPORT_FLOW
from .common import S, _lock, _tell_member, _tell_unit


def _thread(report: Report, kind: str, actor: User, text: str) -> ThreadMessage:
    return ThreadMessage.objects.create(report=report, round=report.round, kind=kind, author=actor, text=text)


def _question(value) -> str:
    return clean_text(
        value, field="question", max_length=rules.REASON_MAX, required=True, label=_("The question"), multiline=True
    )


def _answer_text(value) -> str:
    return clean_text(
        value, field="answer", max_length=rules.TEXT_MAX, required=True, label=_("The answer"), multiline=True
    )


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
