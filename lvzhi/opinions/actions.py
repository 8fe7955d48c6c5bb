"""The steps a user can take on a report, one table for the web page and the API, on the shared
`lvzhi.workflow.steps` kit.

Each step says who may take it now (`available`), which inputs it needs and which service it calls. The web
page renders a small form per available step (its `fields`: category, committee, level, topic_title); the API
exposes `POST /api/v1/opinions/{id}/steps/{name}`.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound
from lvzhi.workflow.steps import Step, StepTable, from_flow

from . import selectors, services
from .models import TopicRequest
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


def _may_instruct(user, report):
    """A leader who already has an instruction recorded on the report is not offered a second one (the service
    would refuse it); the handling office may still record another leader's."""
    if not may_instruct(user, report):
        return False
    if is_office_member(user, report):
        return True
    return all(i.leader_id != user.pk for i in selectors.recorded_instructions(report))


def _may_end_an_instruction(user, report):
    if not (is_leader(user, report) or is_office_member(user, report)):
        return False  # no query for the author, co-reporters and the hotline
    return any(may_end_instruction(user, i) for i in selectors.recorded_instructions(report))


STEPS = StepTable(
    from_flow(
        REPORT_FLOW,
        "accept",
        lambda a, r, d: services.accept_report(actor=a, report=r, category=d.get("category"), note=d.get("text")),
        label=_("Accept"),
        text=_("Note"),
        long_text=False,
        fields=("category",),
    ),
    from_flow(
        REPORT_FLOW,
        "forward",
        lambda a, r, d: services.forward_to_hotline(actor=a, report=r, category=d.get("category"), note=d.get("text")),
        label=_("Forward to the members' hotline"),
        text=_("Note to the hotline"),
        long_text=False,
        fields=("category",),
    ),
    from_flow(
        REPORT_FLOW,
        "handle",
        lambda a, r, d: services.handle_in_committee(actor=a, report=r, category=d.get("category"), note=d.get("text")),
        label=_("Handle in the committee"),
        text=_("Note"),
        long_text=False,
        fields=("category",),
        style="secondary",
    ),
    from_flow(
        REPORT_FLOW,
        "transfer",
        lambda a, r, d: services.transfer_report(
            actor=a, report=r, to_committee=d.get("committee"), reason=d.get("text")
        ),
        label=_("Transfer to the competent committee"),
        text=_("Reason for the transfer"),
        text_required=True,
        fields=("committee",),
        style="secondary",
    ),
    from_flow(
        REPORT_FLOW,
        "return",
        lambda a, r, d: services.return_report(actor=a, report=r, reason=d.get("text")),
        label=_("Return to the member"),
        text=_("Reason for returning"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        REPORT_FLOW,
        "accept_transfer",
        lambda a, r, d: services.accept_transfer(actor=a, report=r, note=d.get("text")),
        label=_("Accept the transfer"),
        text=_("Note"),
        long_text=False,
    ),
    from_flow(
        REPORT_FLOW,
        "request_return",
        lambda a, r, d: services.request_transfer_return(actor=a, report=r, reason=d.get("text")),
        label=_("Ask the head to send it back"),
        text=_("Why it is not this committee's field"),
        text_required=True,
        style="secondary",
    ),
    from_flow(
        REPORT_FLOW,
        "return_transfer",
        lambda a, r, d: services.return_transfer(actor=a, report=r, reason=d.get("text")),
        label=_("Send it back to the transferring committee"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        REPORT_FLOW,
        "keep_transfer",
        lambda a, r, d: services.keep_transfer(actor=a, report=r, reason=d.get("text")),
        label=_("Keep it in this committee"),
        text=_("Note"),
        long_text=False,
    ),
    from_flow(
        REPORT_FLOW,
        "ask_verification",
        lambda a, r, d: services.ask_verification(actor=a, report=r, question=d.get("text")),
        label=_("Ask the committee office to verify"),
        text=_("What needs verifying"),
        text_required=True,
        style="secondary",
    ),
    Step(
        "ask_member",
        _("Ask the member"),
        run=lambda a, r, d: services.ask_member(actor=a, report=r, question=d.get("text")),
        available=_may_ask_member,
        text=_("Question to the member"),
        text_required=True,
        style="secondary",
    ),
    Step(
        "answer_question",
        _("Send my answer"),
        run=lambda a, r, d: services.answer_member_question(actor=a, report=r, answer=d.get("text")),
        available=_may_answer_question,
        text=_("My answer"),
        text_required=True,
    ),
    from_flow(
        REPORT_FLOW,
        "verified",
        lambda a, r, d: services.confirm_verification(actor=a, report=r, answer=d.get("text")),
        label=_("Send the verified answer to the hotline"),
        text=_("Verified answer"),
        text_required=True,
    ),
    Step(
        "update",
        _("Post a handling update"),
        run=lambda a, r, d: services.post_update(actor=a, report=r, text=d.get("text")),
        available=may_post_update,
        text=_("Handling update (the member sees it)"),
        text_required=True,
        style="secondary",
    ),
    from_flow(
        REPORT_FLOW,
        "hotline_result",
        lambda a, r, d: services.report_hotline_result(actor=a, report=r, result=d.get("text")),
        label=_("Report the final result"),
        text=_("Final result"),
        text_required=True,
    ),
    from_flow(
        REPORT_FLOW,
        "answer",
        lambda a, r, d: services.answer_member(actor=a, report=r, answer=d.get("text")),
        label=_("Pass the result on to the member"),
        text=_("Answer to the member"),
        text_required=True,
    ),
    from_flow(
        REPORT_FLOW,
        "rate",
        lambda a, r, d: services.rate_report(actor=a, report=r, level=d.get("level"), comment=d.get("text")),
        label=_("Rate the handling"),
        text=_("Comment (required if unsatisfied)"),
        fields=("level",),
    ),
    from_flow(
        REPORT_FLOW,
        "close",
        lambda a, r, d: services.close_unrated(actor=a, report=r, note=d.get("text")),
        label=_("Close without a rating"),
        when=lambda user, report: selectors.rating_period_over(report),
        text=_("Note"),
        text_required=True,
        long_text=False,
        style="secondary",
    ),
    from_flow(
        REPORT_FLOW,
        "withdraw",
        lambda a, r, d: services.withdraw_report(actor=a, report=r, reason=d.get("text")),
        label=_("Withdraw the report"),
        text=_("Reason (optional)"),
        long_text=False,
        style="danger",
        confirm=_("Withdraw this report?"),
    ),
    Step(
        "notable",
        _("Mark for the monthly digest"),
        run=lambda a, r, d: services.set_notable(actor=a, report=r, notable=not r.is_notable),
        available=_may_mark_notable,
        style="secondary",
    ),
    Step(
        "topic",
        _("Propose as a deliberation topic"),
        run=lambda a, r, d: services.request_topic(actor=a, report=r, title=d.get("title"), summary=d.get("text")),
        available=_may_request_topic,
        text=_("Why it should be deliberated"),
        text_required=True,
        fields=("topic_title",),
        style="secondary",
    ),
    Step(
        "approve_topic",
        _("Approve the deliberation topic"),
        run=lambda a, r, d: services.decide_topic(actor=a, topic=_pending_topic(r), approve=True, note=d.get("text")),
        available=_may_decide_topic,
        text=_("Note"),
        long_text=False,
    ),
    Step(
        "reject_topic",
        _("Decline the deliberation topic"),
        run=lambda a, r, d: services.decide_topic(actor=a, topic=_pending_topic(r), approve=False, note=d.get("text")),
        available=_may_decide_topic,
        text=_("Note"),
        long_text=False,
        style="danger",
    ),
    Step(
        "proposal",
        _("Draft a formal proposal from it"),
        run=lambda a, r, d: services.mark_for_proposal(actor=a, report=r, note=d.get("text")),
        available=_may_mark_proposal,
        text=_("Note"),
        long_text=False,
        style="secondary",
    ),
    Step(
        "instruct",
        _("Record a leader's instruction"),
        run=lambda a, r, d: services.instruct_report(
            actor=a, report=r, leader=d.get("leader"), level=d.get("level"), day=d.get("day"), text=d.get("text")
        ),
        available=_may_instruct,
        text=_("Instruction"),
        text_required=True,
        style="secondary",
    ),
    Step(
        "correct_instruction",
        _("Correct an instruction"),
        run=lambda a, r, d: services.correct_instruction(
            actor=a,
            instruction=_recorded_instruction(r, d),
            leader=d.get("leader"),
            level=d.get("level"),
            day=d.get("day"),
            text=d.get("text"),
        ),
        available=_may_end_an_instruction,
        text=_("Corrected instruction"),
        text_required=True,
        style="secondary",
    ),
    Step(
        "withdraw_instruction",
        _("Withdraw an instruction"),
        run=lambda a, r, d: services.withdraw_instruction(
            actor=a, instruction=_recorded_instruction(r, d), reason=d.get("text")
        ),
        available=_may_end_an_instruction,
        text=_("Reason"),
        long_text=False,
        style="danger",
        confirm=_("Withdraw this instruction?"),
    ),
)


def available_actions(user, report):
    return STEPS.available(user, report)


def get_action(name: str):
    return STEPS.get(name)


def perform(*, actor, report, name: str, data: dict):
    """Run step `name` with the inputs `data` ({text, category, committee, level, title}). The services check
    permission and state themselves; this only dispatches."""
    return STEPS.perform(actor=actor, obj=report, name=name, data=data)
