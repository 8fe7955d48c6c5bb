"""The state machines of public-opinion reports (S0-16) and of deliberation-topic requests (S0-17).

Report, from the member's submission to a closed case:

    submitted ──accept──▶ accepted ──forward──▶ at_hotline ◀──verified── verifying
        │  └──return──▶ returned ──resubmit──┘     │   └──ask_verification──▶┘
        │                                            └──hotline_result──▶ hotline_done ──answer──▶ answered
        ├──handle──▶ handling ────────────────────────────────────────────────answer──▶ answered
        └──transfer──▶ transferred ──accept_transfer──▶ accepted   (request_return → return_pending: the head
                                                                    approves `return_transfer` or `keep_transfer`)
    answered ──rate──▶ closed;  answered ──reopen (unsatisfied)──▶ accepted (next round);  ──close──▶ closed

Deadlines (working days from `lvzhi.workdays`, lengths from body settings, see `rules.py`):
`route` — the committee office passes the report on within 2 working days of submission (S0-16.1): reminded
before, escalated to the office head when missed; `hotline` — the hotline's handling, its clock stopped while a
verification question waits (`pauses`/`resumes`); `verify`, `feedback`, `handle` — the committee office's steps.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.permissions import has_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.workflow.declaration import DENY_FORBIDDEN, DeadlineRule, Transition, Workflow

from . import rules
from .models import Instruction, Report, TopicRequest
from .permissions import is_author, is_hotline_staff, is_office_head, is_office_staff, may_end_instruction

S = Report.Status

ROUTE = "route"
HOTLINE = "hotline"
HANDLE = "handle"
VERIFY = "verify"
FEEDBACK = "feedback"
OFFICE_KINDS = (ROUTE, VERIFY, FEEDBACK, HANDLE)
HOTLINE_KINDS = (HOTLINE,)
DEADLINE_LABELS = {
    ROUTE: _("Pass the report on"),
    HOTLINE: _("Hotline handling"),
    HANDLE: _("Committee handling"),
    VERIFY: _("Answer the verification question"),
    FEEDBACK: _("Pass the result on to the member"),
}


def _office(report):
    return report.committee


def _hotline(report):
    return report.hotline


ROUTE_RULE = DeadlineRule(
    ROUTE,
    setting=rules.ROUTE_DAYS,
    responsible=_office,
    notify_roles=(Role.STAFF,),
    escalate_roles=(Role.HEAD,),
    label=DEADLINE_LABELS[ROUTE],
)
HOTLINE_RULE = DeadlineRule(
    HOTLINE,
    setting=rules.HOTLINE_DAYS,
    responsible=_hotline,
    notify_roles=(Role.HOTLINE,),
    escalate_roles=(Role.HEAD,),
    label=DEADLINE_LABELS[HOTLINE],
)
HANDLE_RULE = DeadlineRule(HANDLE, setting=rules.HANDLE_DAYS, responsible=_office, label=DEADLINE_LABELS[HANDLE])
VERIFY_RULE = DeadlineRule(VERIFY, setting=rules.VERIFY_DAYS, responsible=_office, label=DEADLINE_LABELS[VERIFY])
FEEDBACK_RULE = DeadlineRule(
    FEEDBACK, setting=rules.FEEDBACK_DAYS, responsible=_office, label=DEADLINE_LABELS[FEEDBACK]
)


def _t(name, sources, target, allowed, label, **kwargs):
    return Transition(
        name, sources=sources, target=target, allowed=allowed, label=label, denied=DENY_FORBIDDEN, **kwargs
    )


REPORT_FLOW = Workflow(
    "opinions.report",
    model=Report,
    states=S,
    initial=S.SUBMITTED,
    starts=[ROUTE_RULE],
    transitions=[
        _t("resubmit", [S.RETURNED], S.SUBMITTED, is_author, _("Submit again"), starts=[ROUTE_RULE]),
        _t("withdraw", [S.SUBMITTED, S.RETURNED], S.WITHDRAWN, is_author, _("Withdraw"), ends=[ROUTE]),
        _t("accept", [S.SUBMITTED], S.ACCEPTED, is_office_staff, _("Accept")),
        _t("return", [S.SUBMITTED, S.ACCEPTED], S.RETURNED, is_office_staff, _("Return to the member"), ends=[ROUTE]),
        _t(
            "forward",
            [S.SUBMITTED, S.ACCEPTED],
            S.AT_HOTLINE,
            is_office_staff,
            _("Forward to the members' hotline"),
            ends=[ROUTE],
            starts=[HOTLINE_RULE],
        ),
        _t(
            "handle",
            [S.SUBMITTED, S.ACCEPTED],
            S.HANDLING,
            is_office_staff,
            _("Handle in the committee"),
            ends=[ROUTE],
            starts=[HANDLE_RULE],
        ),
        _t(
            "transfer",
            [S.SUBMITTED, S.ACCEPTED, S.HANDLING],
            S.TRANSFERRED,
            is_office_staff,
            _("Transfer to the competent committee"),
            ends=[ROUTE, HANDLE],
            starts=[ROUTE_RULE],
        ),
        _t("accept_transfer", [S.TRANSFERRED], S.ACCEPTED, is_office_staff, _("Accept the transfer")),
        _t(
            "request_return",
            [S.TRANSFERRED],
            S.RETURN_PENDING,
            is_office_staff,
            _("Ask the head to send it back"),
        ),
        _t(
            "return_transfer",
            [S.TRANSFERRED, S.RETURN_PENDING],
            S.ACCEPTED,
            is_office_head,
            _("Send it back to the transferring committee"),
            starts=[ROUTE_RULE],
        ),
        _t("keep_transfer", [S.RETURN_PENDING], S.ACCEPTED, is_office_head, _("Keep it in this committee")),
        _t(
            "ask_verification",
            [S.AT_HOTLINE],
            S.VERIFYING,
            is_hotline_staff,
            _("Ask the committee office to verify"),
            pauses=[HOTLINE],
            starts=[VERIFY_RULE],
        ),
        _t(
            "verified",
            [S.VERIFYING],
            S.AT_HOTLINE,
            is_office_staff,
            _("Send the verified answer to the hotline"),
            ends=[VERIFY],
            resumes=[HOTLINE],
        ),
        _t(
            "hotline_result",
            [S.AT_HOTLINE],
            S.HOTLINE_DONE,
            is_hotline_staff,
            _("Report the final result"),
            ends=[HOTLINE],
            starts=[FEEDBACK_RULE],
        ),
        _t(
            "answer",
            [S.HOTLINE_DONE, S.HANDLING],
            S.ANSWERED,
            is_office_staff,
            _("Pass the result on to the member"),
            ends=[FEEDBACK, HANDLE],
        ),
        _t("rate", [S.ANSWERED], S.CLOSED, is_author, _("Rate the handling")),
        _t("reopen", [S.ANSWERED], S.ACCEPTED, is_author, _("Unsatisfied: handle again"), starts=[ROUTE_RULE]),
        _t("close", [S.ANSWERED], S.CLOSED, is_office_staff, _("Close without a rating")),
    ],
    org_unit=lambda r: r.committee or r.body,
    link=lambda r: f"/opinions/{r.pk}/",
    title=lambda r: r.title,
    label=_("Public-opinion report"),
    due_field="next_due_at",
)

T = TopicRequest.Status


def _topic_head(user, request: TopicRequest) -> bool:
    """The head of the committee that asked (S0-17: 报经专门委员会主要负责同志同意)."""
    return (
        getattr(user, "is_authenticated", False)
        and not is_administrator(user)
        and request.report.author_id != user.pk
        and has_role(user, Role.HEAD, request.committee)
    )


def _topic_taker(user, request: TopicRequest) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and not is_administrator(user)
        and (has_role(user, Role.STAFF, request.committee) or has_role(user, Role.HEAD, request.committee))
    )


TOPIC_FLOW = Workflow(
    "opinions.topic",
    model=TopicRequest,
    states=T,
    initial=T.PENDING,
    transitions=[
        Transition("approve", sources=[T.PENDING], target=T.APPROVED, allowed=_topic_head, denied=DENY_FORBIDDEN),
        Transition("reject", sources=[T.PENDING], target=T.REJECTED, allowed=_topic_head, denied=DENY_FORBIDDEN),
        Transition("take", sources=[T.APPROVED], target=T.TAKEN, allowed=_topic_taker, denied=DENY_FORBIDDEN),
    ],
    org_unit=lambda t: t.committee,
    link=lambda t: f"/opinions/{t.report_id}/",
    title=lambda t: t.title,
    label=_("Deliberation topic request"),
)

IS = Instruction.Status

# A leader's instruction (批示) on a report: recorded (`start`, event "record"), then withdrawn or replaced by a
# correction; the report author's automatic duty record follows each step.
INSTRUCTION_FLOW = Workflow(
    "opinions.instruction",
    model=Instruction,
    states=IS,
    initial=IS.RECORDED,
    transitions=[
        Transition(
            "withdraw",
            sources=[IS.RECORDED],
            target=IS.WITHDRAWN,
            allowed=may_end_instruction,
            label=_("Withdraw the instruction"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "correct",
            sources=[IS.RECORDED],
            target=IS.CORRECTED,
            allowed=may_end_instruction,
            label=_("Correct the instruction"),
            denied=DENY_FORBIDDEN,
        ),
    ],
    org_unit=lambda i: i.report.committee or i.report.body,
    link=lambda i: f"/opinions/{i.report_id}/",
    title=lambda i: str(i),
    label=_("Leader's instruction"),
)
