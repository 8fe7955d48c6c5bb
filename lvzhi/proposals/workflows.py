"""The state machines of bills, suggestions and proposals, declared with `lvzhi.workflow`.

- `PROPOSAL_FLOW` ("proposals.proposal"): the item, from draft to closed; deadlines `review` (the office) and
  `evaluate` (the proposer; recorded as "no evaluation" by `lvzhi tick` when it passes).
- `LEAD_FLOW` ("proposals.lead") and `CO_FLOW` ("proposals.cohandling"): one handling unit's part, each with its
  own deadlines (`contact` and `reply` for the lead unit, `opinion` for a co-handling unit). Their lengths are the
  rules of the item's body (a government department answers a congress with the congress's time limits).
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.workflow.declaration import DENY_FORBIDDEN, DeadlineRule, Transition, Workflow

from . import permissions as perm
from . import rules  # noqa: F401  (the settings the deadline rules read are declared there)
from .models import Assignment, Proposal

S = Proposal.Status
A = Assignment.Status

REVIEW, EVALUATE = "review", "evaluate"
CONTACT, REPLY, OPINION = "contact", "reply", "opinion"
UNIT_DEADLINES = (CONTACT, REPLY, OPINION)


def _office(p):
    return p.office


def _unit(a):
    return a.unit


def _item_body(a):
    return a.proposal.body


def _is_lead_staff(user, proposal) -> bool:
    return any(a.role == Assignment.Role.LEAD for a in perm.unit_assignments(user, proposal))


PROPOSAL_FLOW = Workflow(
    "proposals.proposal",
    model=Proposal,
    states=S,
    initial=S.DRAFT,
    org_unit=lambda p: p.body,
    link=lambda p: f"/proposals/{p.pk}/",
    title=lambda p: p.title,
    label=_("Bill, suggestion or proposal"),
    transitions=[
        Transition(
            "submit",
            sources=[S.DRAFT],
            target=S.SUBMITTED,
            allowed=perm.may_submit,
            starts=[
                DeadlineRule(
                    REVIEW,
                    setting="proposals.review_working_days",
                    responsible=_office,
                    notify_roles=(Role.STAFF,),
                    escalate_roles=(Role.HEAD,),
                    label=_("Review"),
                )
            ],
            label=_("Submit"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "withdraw",
            sources=[S.DRAFT, S.SUBMITTED],
            target=S.WITHDRAWN,
            allowed=perm.may_withdraw,
            ends=[REVIEW],
            label=_("Withdraw"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "convert_to_suggestion",
            sources=[S.SUBMITTED],
            target=S.SUBMITTED,
            allowed=perm.may_review,
            label=_("Handle as a suggestion"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "accept",
            sources=[S.SUBMITTED],
            target=S.ACCEPTED,
            allowed=perm.may_review,
            ends=[REVIEW],
            label=_("Accept"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "not_accept",
            sources=[S.SUBMITTED],
            target=S.NOT_ACCEPTED,
            allowed=perm.may_review,
            ends=[REVIEW],
            label=_("Do not accept"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "merge",
            sources=[S.SUBMITTED],
            target=S.MERGED,
            allowed=perm.may_review,
            ends=[REVIEW],
            label=_("Merge"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "convert",
            sources=[S.SUBMITTED],
            target=S.CONVERTED,
            allowed=perm.may_review,
            ends=[REVIEW],
            label=_("Turn into an opinion letter"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "assign",
            sources=[S.ACCEPTED],
            target=S.HANDLING,
            allowed=perm.may_review,
            label=_("Assign"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "reply",
            sources=[S.HANDLING, S.REHANDLING],
            target=S.REPLIED,
            allowed=_is_lead_staff,
            starts=[
                DeadlineRule(
                    EVALUATE,
                    setting="proposals.evaluation_working_days",
                    responsible=_office,
                    notify_roles=(),
                    escalate_roles=(),
                    label=_("Evaluation by the proposer"),
                )
            ],
            label=_("Reply"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "close",
            sources=[S.REPLIED],
            target=S.CLOSED,
            allowed=perm.may_evaluate,
            ends=[EVALUATE],
            label=_("Evaluate"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "rehandle",
            sources=[S.REPLIED],
            target=S.REHANDLING,
            allowed=perm.may_evaluate,
            ends=[EVALUATE],
            label=_("Evaluate as unsatisfied"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "lapse",
            sources=[S.REPLIED],
            target=S.CLOSED,
            allowed=perm.is_system,
            ends=[EVALUATE],
            label=_("No evaluation in time"),
        ),
        Transition(
            "reopen",
            sources=[S.CLOSED],
            target=S.REHANDLING,
            allowed=perm.may_review,
            label=_("Decide on another re-handling"),
            denied=DENY_FORBIDDEN,
        ),
    ],
)


def _reply_rule():
    return DeadlineRule(
        REPLY,
        setting="proposals.reply_months",
        setting_unit="months",
        setting_from=_item_body,
        responsible=_unit,
        notify_roles=(Role.HANDLING, Role.HEAD),
        escalate_roles=(Role.HEAD,),
        label=_("Reply"),
    )


LEAD_FLOW = Workflow(
    "proposals.lead",
    model=Assignment,
    states=A,
    initial=A.HANDLING,
    org_unit=_unit,
    link=lambda a: f"/proposals/{a.proposal_id}/",
    title=lambda a: a.proposal.title,
    label=_("Handling as the lead unit"),
    starts=[
        DeadlineRule(
            CONTACT,
            setting="proposals.contact_working_days",
            setting_from=_item_body,
            responsible=_unit,
            notify_roles=(Role.HANDLING,),
            escalate_roles=(Role.HEAD,),
            label=_("Contact the proposer"),
        ),
        _reply_rule(),
    ],
    transitions=[
        Transition(
            "contact",
            sources=[A.HANDLING],
            target=A.HANDLING,
            allowed=perm.may_handle,
            ends=[CONTACT],
            label=_("Contact recorded"),
        ),
        Transition(
            "extend",
            sources=[A.HANDLING],
            target=A.HANDLING,
            allowed=perm.may_office_assignment,
            label=_("Extension approved"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "transfer",
            sources=[A.HANDLING],
            target=A.TRANSFERRED,
            allowed=perm.may_office_assignment,
            ends=list(UNIT_DEADLINES),
            label=_("Transferred"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "reply",
            sources=[A.HANDLING],
            target=A.REPLIED,
            allowed=perm.may_handle,
            ends=[CONTACT, REPLY],
            label=_("Reply sent"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "rehandle",
            sources=[A.REPLIED],
            target=A.HANDLING,
            allowed=lambda user, a: perm.is_proposer(user, a.proposal) or perm.is_office(user, a.proposal),
            starts=[
                DeadlineRule(
                    REPLY,
                    setting="proposals.rehandle_months",
                    setting_unit="months",
                    setting_from=_item_body,
                    responsible=_unit,
                    notify_roles=(Role.HANDLING, Role.HEAD),
                    escalate_roles=(Role.HEAD,),
                    label=_("Reply after re-handling"),
                )
            ],
            label=_("Re-handling"),
            denied=DENY_FORBIDDEN,
        ),
    ],
)

CO_FLOW = Workflow(
    "proposals.cohandling",
    model=Assignment,
    states=A,
    initial=A.HANDLING,
    org_unit=_unit,
    link=lambda a: f"/proposals/{a.proposal_id}/",
    title=lambda a: a.proposal.title,
    label=_("Co-handling"),
    starts=[
        DeadlineRule(
            OPINION,
            setting="proposals.co_opinion_months",
            setting_unit="months",
            setting_from=_item_body,
            responsible=_unit,
            notify_roles=(Role.HANDLING,),
            escalate_roles=(Role.HEAD,),
            label=_("Opinion to the lead unit"),
        )
    ],
    transitions=[
        Transition(
            "contact",
            sources=[A.HANDLING],
            target=A.HANDLING,
            allowed=perm.may_handle,
            label=_("Contact recorded"),
        ),
        Transition(
            "extend",
            sources=[A.HANDLING],
            target=A.HANDLING,
            allowed=perm.may_office_assignment,
            label=_("Extension approved"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "transfer",
            sources=[A.HANDLING],
            target=A.TRANSFERRED,
            allowed=perm.may_office_assignment,
            ends=list(UNIT_DEADLINES),
            label=_("Transferred"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "send_opinion",
            sources=[A.HANDLING],
            target=A.OPINION_SENT,
            allowed=perm.may_handle,
            ends=[OPINION],
            label=_("Opinion sent"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "close",
            sources=[A.HANDLING],
            target=A.CLOSED,
            allowed=lambda user, a: _is_lead_staff(user, a.proposal),  # when the lead unit's reply goes out
            ends=[OPINION],
            label=_("Closed with the reply"),
        ),
    ],
)


def flow_for(assignment: Assignment) -> Workflow:
    return LEAD_FLOW if assignment.role == Assignment.Role.LEAD else CO_FLOW
