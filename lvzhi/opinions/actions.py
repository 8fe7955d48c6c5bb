"""The steps a user can take on a report, one table for the web page and the API.

Each action says who may take it now (`available`), which inputs it needs and which service it calls. The web
page renders a small form per available action; the API exposes `POST /api/v1/opinions/{id}/steps/{name}`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound

from . import selectors, services
from .models import Report, TopicRequest
from .permissions import (
    is_author,
    is_leader,
    is_office_head,
    is_office_member,
    is_office_staff,
    may_end_instruction,
    may_instruct,
    may_post_update,
)
from .workflows import REPORT_FLOW

S = Report.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    run: Callable  # (actor, report, data) -> object
    available: Callable  # (user, report) -> bool
    text: object = None  # label of the text input, or None for none
    text_required: bool = False
    long_text: bool = True
    category: bool = False
    committee: bool = False
    level: bool = False
    topic_title: bool = False
    style: str = ""  # "", "secondary", "danger"
    confirm: object = None


def _step(name):
    """Available when the declared transition is: the state is a source and the user may take it."""
    step = REPORT_FLOW.get(name)

    def available(user, report):
        return report.status in step.sources and step.may(user, report)

    return available


def _pending_topic(report) -> TopicRequest:
    topic = report.topic_requests.filter(status=TopicRequest.Status.PENDING).first()
    if topic is None:
        raise NotFound()
    return topic


def _has_pending_topic(report) -> bool:
    cached = getattr(report, "_pending_topic", None)
    if cached is None:
        cached = report._pending_topic = report.topic_requests.filter(status=TopicRequest.Status.PENDING).exists()
    return cached


def _may_request_topic(user, report):
    return (
        is_office_staff(user, report)
        and report.status not in services.NOT_YET_ACCEPTED
        and not report.topic_requests.exclude(status=TopicRequest.Status.REJECTED).exists()
    )


def _may_decide_topic(user, report):
    return is_office_head(user, report) and _has_pending_topic(report)


def _may_mark_proposal(user, report):
    return is_office_member(user, report) and report.status not in services.NOT_YET_ACCEPTED and not report.proposal_id


def _may_mark_notable(user, report):
    return is_office_member(user, report) and report.status not in services.NOT_YET_ACCEPTED


def _may_ask_member(user, report):
    return is_office_staff(user, report) and report.status in services.QUESTION_STATES


def _may_answer_question(user, report):
    return (
        is_author(user, report)
        and report.status in services.QUESTION_STATES
        and selectors.open_member_question(report) is not None
    )


def _recorded_instruction(report, data):
    """The recorded instruction of the report named by the step's input `instruction`."""
    try:
        pk = int(data.get("instruction") or 0)
    except (TypeError, ValueError):
        pk = 0
    item = report.instructions.filter(pk=pk, status="recorded").first()
    if item is None:
        raise NotFound()
    return item


def _may_end_an_instruction(user, report):
    if not (is_leader(user, report) or is_office_member(user, report)):
        return False  # no query for the author, co-reporters and the hotline
    return any(may_end_instruction(user, i) for i in selectors.recorded_instructions(report))


def _may_close(user, report):
    return _step("close")(user, report) and selectors.rating_period_over(report)


ACTIONS = [
    Action(
        "accept",
        _("Accept"),
        lambda a, r, d: services.accept_report(actor=a, report=r, category=d.get("category"), note=d.get("text")),
        _step("accept"),
        text=_("Note"),
        long_text=False,
        category=True,
    ),
    Action(
        "forward",
        _("Forward to the members' hotline"),
        lambda a, r, d: services.forward_to_hotline(actor=a, report=r, category=d.get("category"), note=d.get("text")),
        _step("forward"),
        text=_("Note to the hotline"),
        long_text=False,
        category=True,
    ),
    Action(
        "handle",
        _("Handle in the committee"),
        lambda a, r, d: services.handle_in_committee(actor=a, report=r, category=d.get("category"), note=d.get("text")),
        _step("handle"),
        text=_("Note"),
        long_text=False,
        category=True,
        style="secondary",
    ),
    Action(
        "transfer",
        _("Transfer to the competent committee"),
        lambda a, r, d: services.transfer_report(
            actor=a, report=r, to_committee=d.get("committee"), reason=d.get("text")
        ),
        _step("transfer"),
        text=_("Reason for the transfer"),
        text_required=True,
        committee=True,
        style="secondary",
    ),
    Action(
        "return",
        _("Return to the member"),
        lambda a, r, d: services.return_report(actor=a, report=r, reason=d.get("text")),
        _step("return"),
        text=_("Reason for returning"),
        text_required=True,
        style="danger",
    ),
    Action(
        "accept_transfer",
        _("Accept the transfer"),
        lambda a, r, d: services.accept_transfer(actor=a, report=r, note=d.get("text")),
        _step("accept_transfer"),
        text=_("Note"),
        long_text=False,
    ),
    Action(
        "request_return",
        _("Ask the head to send it back"),
        lambda a, r, d: services.request_transfer_return(actor=a, report=r, reason=d.get("text")),
        _step("request_return"),
        text=_("Why it is not this committee's field"),
        text_required=True,
        style="secondary",
    ),
    Action(
        "return_transfer",
        _("Send it back to the transferring committee"),
        lambda a, r, d: services.return_transfer(actor=a, report=r, reason=d.get("text")),
        _step("return_transfer"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    Action(
        "keep_transfer",
        _("Keep it in this committee"),
        lambda a, r, d: services.keep_transfer(actor=a, report=r, reason=d.get("text")),
        _step("keep_transfer"),
        text=_("Note"),
        long_text=False,
    ),
    Action(
        "ask_verification",
        _("Ask the committee office to verify"),
        lambda a, r, d: services.ask_verification(actor=a, report=r, question=d.get("text")),
        _step("ask_verification"),
        text=_("What needs verifying"),
        text_required=True,
        style="secondary",
    ),
    Action(
        "ask_member",
        _("Ask the member"),
        lambda a, r, d: services.ask_member(actor=a, report=r, question=d.get("text")),
        _may_ask_member,
        text=_("Question to the member"),
        text_required=True,
        style="secondary",
    ),
    Action(
        "answer_question",
        _("Send my answer"),
        lambda a, r, d: services.answer_member_question(actor=a, report=r, answer=d.get("text")),
        _may_answer_question,
        text=_("My answer"),
        text_required=True,
    ),
    Action(
        "verified",
        _("Send the verified answer to the hotline"),
        lambda a, r, d: services.confirm_verification(actor=a, report=r, answer=d.get("text")),
        _step("verified"),
        text=_("Verified answer"),
        text_required=True,
    ),
    Action(
        "update",
        _("Post a handling update"),
        lambda a, r, d: services.post_update(actor=a, report=r, text=d.get("text")),
        may_post_update,
        text=_("Handling update (the member sees it)"),
        text_required=True,
        style="secondary",
    ),
    Action(
        "hotline_result",
        _("Report the final result"),
        lambda a, r, d: services.report_hotline_result(actor=a, report=r, result=d.get("text")),
        _step("hotline_result"),
        text=_("Final result"),
        text_required=True,
    ),
    Action(
        "answer",
        _("Pass the result on to the member"),
        lambda a, r, d: services.answer_member(actor=a, report=r, answer=d.get("text")),
        _step("answer"),
        text=_("Answer to the member"),
        text_required=True,
    ),
    Action(
        "rate",
        _("Rate the handling"),
        lambda a, r, d: services.rate_report(actor=a, report=r, level=d.get("level"), comment=d.get("text")),
        _step("rate"),
        text=_("Comment (required if unsatisfied)"),
        level=True,
    ),
    Action(
        "close",
        _("Close without a rating"),
        lambda a, r, d: services.close_unrated(actor=a, report=r, note=d.get("text")),
        _may_close,
        text=_("Note"),
        text_required=True,
        long_text=False,
        style="secondary",
    ),
    Action(
        "withdraw",
        _("Withdraw the report"),
        lambda a, r, d: services.withdraw_report(actor=a, report=r, reason=d.get("text")),
        _step("withdraw"),
        text=_("Reason (optional)"),
        long_text=False,
        style="danger",
        confirm=_("Withdraw this report?"),
    ),
    Action(
        "notable",
        _("Mark for the monthly digest"),
        lambda a, r, d: services.set_notable(actor=a, report=r, notable=not r.is_notable),
        _may_mark_notable,
        style="secondary",
    ),
    Action(
        "topic",
        _("Propose as a deliberation topic"),
        lambda a, r, d: services.request_topic(actor=a, report=r, title=d.get("title"), summary=d.get("text")),
        _may_request_topic,
        text=_("Why it should be deliberated"),
        text_required=True,
        topic_title=True,
        style="secondary",
    ),
    Action(
        "approve_topic",
        _("Approve the deliberation topic"),
        lambda a, r, d: services.decide_topic(actor=a, topic=_pending_topic(r), approve=True, note=d.get("text")),
        _may_decide_topic,
        text=_("Note"),
        long_text=False,
    ),
    Action(
        "reject_topic",
        _("Decline the deliberation topic"),
        lambda a, r, d: services.decide_topic(actor=a, topic=_pending_topic(r), approve=False, note=d.get("text")),
        _may_decide_topic,
        text=_("Note"),
        long_text=False,
        style="danger",
    ),
    Action(
        "proposal",
        _("Draft a formal proposal from it"),
        lambda a, r, d: services.mark_for_proposal(actor=a, report=r, note=d.get("text")),
        _may_mark_proposal,
        text=_("Note"),
        long_text=False,
        style="secondary",
    ),
    Action(
        "instruct",
        _("Record a leader's instruction"),
        lambda a, r, d: services.instruct_report(
            actor=a, report=r, leader=d.get("leader"), level=d.get("level"), day=d.get("day"), text=d.get("text")
        ),
        may_instruct,
        text=_("Instruction"),
        text_required=True,
        style="secondary",
    ),
    Action(
        "correct_instruction",
        _("Correct an instruction"),
        lambda a, r, d: services.correct_instruction(
            actor=a,
            instruction=_recorded_instruction(r, d),
            leader=d.get("leader"),
            level=d.get("level"),
            day=d.get("day"),
            text=d.get("text"),
        ),
        _may_end_an_instruction,
        text=_("Corrected instruction"),
        text_required=True,
        style="secondary",
    ),
    Action(
        "withdraw_instruction",
        _("Withdraw an instruction"),
        lambda a, r, d: services.withdraw_instruction(
            actor=a, instruction=_recorded_instruction(r, d), reason=d.get("text")
        ),
        _may_end_an_instruction,
        text=_("Reason"),
        long_text=False,
        style="danger",
        confirm=_("Withdraw this instruction?"),
    ),
]
BY_NAME = {a.name: a for a in ACTIONS}


def available_actions(user, report) -> list[Action]:
    return [a for a in ACTIONS if a.available(user, report)]


def get_action(name: str) -> Action:
    action = BY_NAME.get(name)
    if action is None:
        raise NotFound()
    return action


def perform(*, actor, report, name: str, data: dict):
    """Run action `name` with the inputs `data` ({text, category, committee, level, title}). The services
    check permission and state themselves; this only dispatches."""
    action = get_action(name)
    clean = {k: (v if v is not None else "") for k, v in (data or {}).items()}
    return action.run(actor, report, clean)
