"""The steps a user can take on a bill, suggestion or proposal — one table for the web page and the API.

Each step is declared once: what it acts on (the item, one unit's assignment, the unit's current reply letter, an
extension or transfer request), who may take it from which states, the web form it needs, the service it calls and
what the user is told. Where a step is a transition of the workflow (`workflows.py`), who and from which states are
read from that transition (`from_flow` of the shared `lvzhi.workflow.steps` kit); the other steps name a predicate
of `permissions`. One `StepTable` per kind of object a step acts on (`TABLES`); its predicates take the page's
`Context` as a third argument. The page renders its own buttons, so the steps carry no labels.

`available(user, proposal, data)` answers which steps the page and `GET /api/v1/proposals/{id}` offer;
`perform(...)` runs one of them for a web form or an API endpoint. The services check permission and state
themselves: a step that is not offered and is posted anyway is refused by its service, as before.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound
from lvzhi.workflow.steps import Step, StepTable, from_flow

from . import forms, selectors, services
from . import permissions as perm
from .models import Assignment, CoSigner, Proposal, Rating, Reply, UnitRequest
from .workflows import PROPOSAL_FLOW, flow_for

S = Proposal.Status
A = Assignment.Status

ITEM, UNIT, REPLY, REQUEST = "item", "unit", "reply", "request"


@dataclass(frozen=True)
class Context:
    """What the steps of one page need besides the object: read once per page by `context()`."""

    pending: frozenset = frozenset()  # ids of assignments with a pending extension or transfer request
    current_reply: Reply | None = None  # the reply letter of the current round
    office: bool = False  # the user works at the item's proposals office


def _predicate(check: Callable) -> Callable:
    return lambda user, obj, context: check(user, obj)


def _no_pending_request(user, assignment, context) -> bool:
    return perm.may_handle(user, assignment) and assignment.pk not in context.pending


def _reply_is(status):
    def available(user, assignment, context) -> bool:
        reply = context.current_reply
        return (
            assignment.role == Assignment.Role.LEAD
            and perm.may_handle(user, assignment)
            and reply is not None
            and reply.status == status
            and (status != Reply.Status.DRAFT or perm.is_unit_head(user, assignment.unit))
        )

    return available


def _may_reopen(user, proposal, context) -> bool:
    return proposal.rating in (Rating.UNSATISFIED, Rating.NONE)


def _may_decide(user, request, context) -> bool:
    return context.office and request.status == UnitRequest.Status.PENDING


def _invite(actor, proposal, data):
    if not perm.is_proposer(actor, proposal):
        raise NotFound()  # nobody else may look people up through the invitation
    user = selectors.find_cosigner(proposal.body, user_id=data.get("user_id"), text=data.get("who", ""))
    return services.invite_cosigner(actor=actor, proposal=proposal, user=user)


ITEM_STEPS = StepTable(
    Step(
        "edit",
        None,
        run=None,
        available=_predicate(perm.may_edit),
        form=forms.DraftForm,
    ),
    Step(
        "invite",
        None,
        run=_invite,
        available=_predicate(perm.may_edit),
        form=forms.InviteForm,
        done=lambda r: _("The invitation was sent."),
    ),
    Step(
        "uninvite",
        None,
        run=lambda a, p, d: services.remove_cosigner(actor=a, proposal=p, user_id=d["user_id"]),
        available=_predicate(perm.may_edit),
        done=lambda r: _("The co-signer was removed."),
    ),
    Step(
        "submit",
        None,
        run=lambda a, p, d: services.submit(actor=a, proposal=p),
        # Offered to the proposer of a draft; the service says so if they can no longer propose at the body.
        available=_predicate(lambda user, p: p.status == S.DRAFT and perm.is_proposer(user, p)),
        done=lambda r: _("Submitted to the office."),
    ),
    Step(
        "cosign",
        None,
        run=lambda a, p, d: services.respond_cosign(actor=a, proposal=p, confirm=d["confirm"]),
        available=_predicate(perm.may_cosign),
        done=lambda r: (
            _("You co-sign this item.") if r.status == CoSigner.Status.CONFIRMED else _("You declined to co-sign.")
        ),
    ),
    from_flow(
        PROPOSAL_FLOW,
        "withdraw",
        lambda a, p, d: services.withdraw(actor=a, proposal=p, reason=d.get("reason", "")),
        form=forms.OptionalReasonForm,
        done=lambda r: _("The item was withdrawn."),
    ),
    from_flow(
        PROPOSAL_FLOW,
        "close",
        lambda a, p, d: services.evaluate(actor=a, proposal=p, rating=d["rating"], comment=d.get("comment", "")),
        as_name="evaluate",
        form=forms.EvaluateForm,
        done=lambda r: _("Thank you; your evaluation was recorded."),
    ),
    from_flow(
        PROPOSAL_FLOW,
        "accept",
        lambda a, p, d: services.accept(actor=a, proposal=p, note=d.get("note", "")),
        form=forms.NoteForm,
        done=lambda r: _("Accepted as %(ref)s.") % {"ref": r.reference},
    ),
    from_flow(
        PROPOSAL_FLOW,
        "not_accept",
        lambda a, p, d: services.not_accept(actor=a, proposal=p, reason=d.get("reason", "")),
        form=forms.ReasonForm,
        done=lambda r: _("The item was not accepted; the proposer was told why."),
    ),
    from_flow(
        PROPOSAL_FLOW,
        "merge",
        lambda a, p, d: services.merge(
            actor=a, proposal=p, into=Proposal.objects.filter(pk=d["into"]).first(), note=d.get("note", "")
        ),
        form=forms.MergeForm,
        done=lambda r: _("The items were merged; both proposers were told."),
    ),
    from_flow(
        PROPOSAL_FLOW,
        "convert",
        lambda a, p, d: services.convert(actor=a, proposal=p, reason=d.get("reason", "")),
        form=forms.ReasonForm,
        done=lambda r: _("The item was converted; the proposer was told."),
    ),
    from_flow(
        PROPOSAL_FLOW,
        "assign",
        lambda a, p, d: services.assign(actor=a, proposal=p, lead_unit=d["lead_unit"], co_units=list(d["co_units"])),
        form=forms.AssignForm,
        done=lambda r: _("The item was assigned; the units were told."),
    ),
    Step(
        "supervise",
        None,
        run=lambda a, p, d: services.set_key_supervision(
            actor=a, proposal=p, on=d["on"], note=d.get("note", ""), leader=d.get("leader")
        ),
        available=_predicate(perm.may_supervise),
        form=forms.SuperviseForm,
        done=lambda r: _("Key supervision updated."),
    ),
    Step(
        "publish",
        None,
        run=lambda a, p, d: services.publish(
            actor=a, proposal=p, public=d["public"], with_replies=d.get("with_replies", True)
        ),
        available=_predicate(perm.may_supervise),
        form=forms.PublishForm,
        done=lambda r: _("Public disclosure updated."),
    ),
    from_flow(
        PROPOSAL_FLOW,
        "reopen",
        lambda a, p, d: services.allow_rehandling(actor=a, proposal=p, reason=d.get("reason", "")),
        as_name="rehandle_again",
        when=_may_reopen,
        form=forms.ReasonForm,
        done=lambda r: _("The item goes back to the lead unit for handling."),
    ),
)
UNIT_STEPS = StepTable(
    from_flow(
        flow_for,
        "contact",
        lambda a, x, d: services.record_contact(
            actor=a, assignment=x, method=d["method"], contacted_on=d["contacted_on"], note=d["note"]
        ),
        form=forms.ContactForm,
        done=lambda r: _("The contact was recorded."),
    ),
    from_flow(
        flow_for,
        "send_opinion",
        lambda a, x, d: services.send_opinion(actor=a, assignment=x, opinion=d["opinion"]),
        as_name="opinion",
        form=forms.OpinionForm,
        done=lambda r: _("Your opinion was sent to the lead unit."),
    ),
    from_flow(
        flow_for,
        "reply",
        lambda a, x, d: services.save_reply(
            actor=a, assignment=x, content=d["content"], classification=d["classification"]
        ),
        form=forms.ReplyForm,
        done=lambda r: _("The reply letter was saved; the head of the unit signs it off."),
    ),
    Step(
        "extension",
        None,
        run=lambda a, x, d: services.request_extension(actor=a, assignment=x, until=d["until"], reason=d["reason"]),
        available=_no_pending_request,
        form=forms.ExtensionForm,
        done=lambda r: _("The extension was requested from the office."),
    ),
    Step(
        "transfer",
        None,
        run=lambda a, x, d: services.request_transfer(
            actor=a, assignment=x, reason=d["reason"], suggested_unit=d.get("suggested_unit")
        ),
        available=_no_pending_request,
        form=forms.TransferForm,
        done=lambda r: _("The transfer was requested from the office."),
    ),
)
REPLY_STEPS = StepTable(
    Step(
        "sign_off",
        None,
        run=lambda a, r, d: services.sign_off_reply(actor=a, reply=r),
        available=_reply_is(Reply.Status.DRAFT),
        done=lambda r: _("The reply letter was signed off."),
    ),
    Step(
        "send",
        None,
        run=lambda a, r, d: services.send_reply(actor=a, reply=r),
        available=_reply_is(Reply.Status.SIGNED),
        done=lambda r: _("The reply was sent to the proposer."),
    ),
)
REQUEST_STEPS = StepTable(
    Step(
        "decide",
        None,
        run=lambda a, r, d: services.decide_request(
            actor=a, request=r, approve=d["approve"], note=d.get("note", ""), new_unit=d.get("new_unit")
        ),
        available=_may_decide,
        form=forms.DecideForm,
        done=lambda r: _("The request was decided; the unit was told."),
    ),
)
TABLES = {ITEM: ITEM_STEPS, UNIT: UNIT_STEPS, REPLY: REPLY_STEPS, REQUEST: REQUEST_STEPS}


def get_step(on: str, name: str) -> Step:
    step = TABLES[on].get(name)
    if step.run is None:  # "edit" has its own page
        raise NotFound()
    return step


def perform(*, actor, obj, on: str, name: str, data: dict | None = None):
    """Run step `name` on `obj` with the inputs `data` (a form's cleaned data, typed: passed on as they are);
    returns (what the service returned, the message)."""
    step = get_step(on, name)
    result = step.run(actor, obj, data or {})
    return result, str(step.done(result)) if step.done else ""


def context(user, proposal: Proposal, data: dict) -> Context:
    """`data` is `selectors.detail_data(proposal)`."""
    replies = {r.round: r for r in data["replies"]}
    return Context(
        pending=frozenset(r.assignment_id for r in data["requests"] if r.status == UnitRequest.Status.PENDING),
        current_reply=replies.get(proposal.rehandle_count + 1),
        office=perm.is_office(user, proposal),
    )


def available(user, proposal: Proposal, data: dict) -> dict:
    """{"item": step names on the item, "units": {assignment id: step names}, "requests": ids of the requests the
    user may decide, "office": whether the user is the office}."""
    ctx = context(user, proposal, data)
    item = {s.name for s in ITEM_STEPS.available(user, proposal, ctx)}
    units = {
        a.pk: {s.name for s in (*UNIT_STEPS.available(user, a, ctx), *REPLY_STEPS.available(user, a, ctx))}
        for a in data["assignments"]
    }
    requests = {r.pk for r in data["requests"] if REQUEST_STEPS.available(user, r, ctx)}
    return {"item": item, "units": units, "requests": requests, "office": ctx.office}
