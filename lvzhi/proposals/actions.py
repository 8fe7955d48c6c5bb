"""The steps a user can take on a bill, suggestion or proposal — one table for the web page and the API.

Each step is declared once: what it acts on (the item, one unit's assignment, the unit's current reply letter, an
extension or transfer request), who may take it from which states, the web form it needs, the service it calls and
what the user is told. Where a step is a transition of the workflow (`workflows.py`), who and from which states are
read from that transition (`_transition`); the other steps name a predicate of `permissions`.

`available(user, proposal, data)` answers which steps the page and `GET /api/v1/proposals/{id}` offer;
`perform(...)` runs one of them for a web form or an API endpoint. The services check permission and state
themselves: a step that is not offered and is posted anyway is refused by its service, as before.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound

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


@dataclass(frozen=True)
class Step:
    name: str
    on: str  # ITEM, UNIT, REPLY or REQUEST: the object `run` receives
    run: Callable  # (actor, obj, data) -> what the service returns
    available: Callable  # (user, obj, context) -> bool; for REPLY steps obj is the assignment
    form: type | None = None  # the web form of the step's inputs (None: a button)
    done: Callable = field(default=lambda result: "")  # (result) -> the message the web page shows


def _transition(name: str, *, flow=None, also: Callable | None = None) -> Callable:
    """Available when the workflow's transition `name` is: the object is in one of its source states and the
    user is allowed by its predicate (and `also`, where the step asks for more)."""

    def available(user, obj, context) -> bool:
        workflow = flow(obj) if flow else PROPOSAL_FLOW
        step = next((t for t in workflow.transitions if t.name == name), None)
        if step is None or obj.status not in step.sources or not step.may(user, obj):
            return False
        return also is None or also(user, obj, context)

    return available


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


STEPS = [
    # ---- the proposer
    Step("edit", ITEM, None, _predicate(perm.may_edit), forms.DraftForm),
    Step("invite", ITEM, _invite, _predicate(perm.may_edit), forms.InviteForm, lambda r: _("The invitation was sent.")),
    Step(
        "uninvite",
        ITEM,
        lambda a, p, d: services.remove_cosigner(actor=a, proposal=p, user_id=d["user_id"]),
        _predicate(perm.may_edit),
        done=lambda r: _("The co-signer was removed."),
    ),
    Step(
        "submit",
        ITEM,
        lambda a, p, d: services.submit(actor=a, proposal=p),
        # Offered to the proposer of a draft; the service says so if they can no longer propose at the body.
        _predicate(lambda user, p: p.status == S.DRAFT and perm.is_proposer(user, p)),
        done=lambda r: _("Submitted to the office."),
    ),
    Step(
        "cosign",
        ITEM,
        lambda a, p, d: services.respond_cosign(actor=a, proposal=p, confirm=d["confirm"]),
        _predicate(perm.may_cosign),
        done=lambda r: (
            _("You co-sign this item.") if r.status == CoSigner.Status.CONFIRMED else _("You declined to co-sign.")
        ),
    ),
    Step(
        "withdraw",
        ITEM,
        lambda a, p, d: services.withdraw(actor=a, proposal=p, reason=d.get("reason", "")),
        _transition("withdraw"),
        forms.OptionalReasonForm,
        lambda r: _("The item was withdrawn."),
    ),
    Step(
        "evaluate",
        ITEM,
        lambda a, p, d: services.evaluate(actor=a, proposal=p, rating=d["rating"], comment=d.get("comment", "")),
        _transition("close"),
        forms.EvaluateForm,
        lambda r: _("Thank you; your evaluation was recorded."),
    ),
    # ---- the office
    Step(
        "accept",
        ITEM,
        lambda a, p, d: services.accept(actor=a, proposal=p, note=d.get("note", "")),
        _transition("accept"),
        forms.NoteForm,
        lambda r: _("Accepted as %(ref)s.") % {"ref": r.reference},
    ),
    Step(
        "not_accept",
        ITEM,
        lambda a, p, d: services.not_accept(actor=a, proposal=p, reason=d.get("reason", "")),
        _transition("not_accept"),
        forms.ReasonForm,
        lambda r: _("The item was not accepted; the proposer was told why."),
    ),
    Step(
        "merge",
        ITEM,
        lambda a, p, d: services.merge(
            actor=a, proposal=p, into=Proposal.objects.filter(pk=d["into"]).first(), note=d.get("note", "")
        ),
        _transition("merge"),
        forms.MergeForm,
        lambda r: _("The items were merged; both proposers were told."),
    ),
    Step(
        "convert",
        ITEM,
        lambda a, p, d: services.convert(actor=a, proposal=p, reason=d.get("reason", "")),
        _transition("convert"),
        forms.ReasonForm,
        lambda r: _("The item was converted; the proposer was told."),
    ),
    Step(
        "assign",
        ITEM,
        lambda a, p, d: services.assign(actor=a, proposal=p, lead_unit=d["lead_unit"], co_units=list(d["co_units"])),
        _transition("assign"),
        forms.AssignForm,
        lambda r: _("The item was assigned; the units were told."),
    ),
    Step(
        "supervise",
        ITEM,
        lambda a, p, d: services.set_key_supervision(
            actor=a, proposal=p, on=d["on"], note=d.get("note", ""), leader=d.get("leader")
        ),
        _predicate(perm.may_supervise),
        forms.SuperviseForm,
        lambda r: _("Key supervision updated."),
    ),
    Step(
        "publish",
        ITEM,
        lambda a, p, d: services.publish(
            actor=a, proposal=p, public=d["public"], with_replies=d.get("with_replies", True)
        ),
        _predicate(perm.may_supervise),
        forms.PublishForm,
        lambda r: _("Public disclosure updated."),
    ),
    Step(
        "rehandle_again",
        ITEM,
        lambda a, p, d: services.allow_rehandling(actor=a, proposal=p, reason=d.get("reason", "")),
        _transition("reopen", also=_may_reopen),
        forms.ReasonForm,
        lambda r: _("The item goes back to the lead unit for handling."),
    ),
    # ---- a handling unit
    Step(
        "contact",
        UNIT,
        lambda a, x, d: services.record_contact(
            actor=a, assignment=x, method=d["method"], contacted_on=d["contacted_on"], note=d["note"]
        ),
        _transition("contact", flow=flow_for),
        forms.ContactForm,
        lambda r: _("The contact was recorded."),
    ),
    Step(
        "opinion",
        UNIT,
        lambda a, x, d: services.send_opinion(actor=a, assignment=x, opinion=d["opinion"]),
        _transition("send_opinion", flow=flow_for),
        forms.OpinionForm,
        lambda r: _("Your opinion was sent to the lead unit."),
    ),
    Step(
        "reply",
        UNIT,
        lambda a, x, d: services.save_reply(
            actor=a, assignment=x, content=d["content"], classification=d["classification"]
        ),
        _transition("reply", flow=flow_for),
        forms.ReplyForm,
        lambda r: _("The reply letter was saved; the head of the unit signs it off."),
    ),
    Step(
        "extension",
        UNIT,
        lambda a, x, d: services.request_extension(actor=a, assignment=x, until=d["until"], reason=d["reason"]),
        _no_pending_request,
        forms.ExtensionForm,
        lambda r: _("The extension was requested from the office."),
    ),
    Step(
        "transfer",
        UNIT,
        lambda a, x, d: services.request_transfer(
            actor=a, assignment=x, reason=d["reason"], suggested_unit=d.get("suggested_unit")
        ),
        _no_pending_request,
        forms.TransferForm,
        lambda r: _("The transfer was requested from the office."),
    ),
    Step(
        "sign_off",
        REPLY,
        lambda a, r, d: services.sign_off_reply(actor=a, reply=r),
        _reply_is(Reply.Status.DRAFT),
        done=lambda r: _("The reply letter was signed off."),
    ),
    Step(
        "send",
        REPLY,
        lambda a, r, d: services.send_reply(actor=a, reply=r),
        _reply_is(Reply.Status.SIGNED),
        done=lambda r: _("The reply was sent to the proposer."),
    ),
    # ---- the office on a unit's request
    Step(
        "decide",
        REQUEST,
        lambda a, r, d: services.decide_request(
            actor=a, request=r, approve=d["approve"], note=d.get("note", ""), new_unit=d.get("new_unit")
        ),
        _may_decide,
        forms.DecideForm,
        lambda r: _("The request was decided; the unit was told."),
    ),
]
BY_NAME = {(s.on, s.name): s for s in STEPS}


def get_step(on: str, name: str) -> Step:
    step = BY_NAME.get((on, name))
    if step is None or step.run is None:
        raise NotFound()
    return step


def perform(*, actor, obj, on: str, name: str, data: dict | None = None):
    """Run step `name` on `obj` with the inputs `data`; returns (what the service returned, the message)."""
    step = get_step(on, name)
    result = step.run(actor, obj, data or {})
    return result, str(step.done(result))


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
    item = {s.name for s in STEPS if s.on == ITEM and s.available(user, proposal, ctx)}
    units = {
        a.pk: {s.name for s in STEPS if s.on in (UNIT, REPLY) and s.available(user, a, ctx)}
        for a in data["assignments"]
    }
    decide = BY_NAME[(REQUEST, "decide")]
    requests = {r.pk for r in data["requests"] if decide.available(user, r, ctx)}
    return {"item": item, "units": units, "requests": requests, "office": ctx.office}
