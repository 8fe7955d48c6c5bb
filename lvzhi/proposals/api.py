"""The API of bills, suggestions and proposals at /api/v1/proposals (bearer token or session), and the public
disclosure feed at /api/v1/proposals/public (no login) for the portal. Thin: parse, call one service or
selector, answer. Errors are {"code", "message"}."""

import datetime as dt

from django.core.paginator import Paginator
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from lvzhi.accounts.api_auth import token_auth
from lvzhi.accounts.models import User
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.params import QueryId
from lvzhi.orgs.models import OrgUnit

from . import actions, disclosure, present, selectors, services, statistics
from . import permissions as perm
from .actions import ITEM, REPLY, REQUEST, UNIT
from .models import Assignment, Proposal
from .similar import similar_items

router = Router(tags=["proposals"], auth=token_auth)

PAGE_MAX = 100


# ---- schemas -----------------------------------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(20, ge=1, le=PAGE_MAX)


class ItemOut(Schema):
    id: int
    reference: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    title: str
    body_id: int
    body_name: str
    proposer_name: str
    year: int
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None = None
    key_supervision: bool
    is_public: bool


def item_out(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "reference": p.reference,
        "kind": p.kind,
        "kind_label": str(p.get_kind_display()),
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "title": p.title,
        "body_id": p.body_id,
        "body_name": p.body.name,
        "proposer_name": p.proposer.real_name,
        "year": p.year,
        "submitted_at": p.submitted_at,
        "due_at": getattr(p, "deadline_due_at", None),
        "key_supervision": p.key_supervision,
        "is_public": p.is_public,
    }


class ItemPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ItemOut]


def paginate(qs, query: PageQuery, convert) -> dict:
    paginator = Paginator(qs, query.page_size)
    page = paginator.get_page(query.page)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "items": [convert(o) for o in page],
    }


class DraftIn(Schema):
    body_id: int
    kind: str
    title: str = Field(..., max_length=20_000)  # a size bound only: the service names the real limit
    content: str = Field(..., max_length=100_000)
    category: str = ""
    keywords: list[str] = Field(default_factory=list, max_length=50)
    disclosure_consent: bool = False
    delegation_id: int | None = None


class DraftUpdate(Schema):
    kind: str | None = None
    title: str = Field(..., max_length=20_000)  # a size bound only: the service names the real limit
    content: str = Field(..., max_length=100_000)
    category: str = ""
    keywords: list[str] = Field(default_factory=list, max_length=50)
    disclosure_consent: bool = False
    delegation_id: int | None = None


class CosignerIn(Schema):
    user_id: int | None = None
    who: str = Field("", max_length=50, description="a mobile number or the real name of a deputy/member")


class CosignIn(Schema):
    confirm: bool


class NoteIn(Schema):
    note: str = Field("", max_length=5000)


class ReasonIn(Schema):
    reason: str = Field("", max_length=5000)


class MergeIn(Schema):
    into_id: int
    note: str = Field("", max_length=5000)


class AssignIn(Schema):
    lead_unit_id: int
    co_unit_ids: list[int] = Field(default_factory=list, max_length=50)


class SupervisionIn(Schema):
    on: bool
    note: str = Field("", max_length=5000)
    leader_id: int | None = None


class PublishIn(Schema):
    public: bool
    with_replies: bool = True


class EvaluateIn(Schema):
    rating: str
    comment: str = Field("", max_length=5000)


class ContactIn(Schema):
    method: str
    date: dt.date
    note: str = Field(..., max_length=5000)


class OpinionIn(Schema):
    opinion: str = Field(..., max_length=100_000)


class ReplyIn(Schema):
    content: str = Field(..., max_length=100_000)
    classification: str


class ExtensionIn(Schema):
    until: dt.date
    reason: str = Field(..., max_length=5000)


class TransferIn(Schema):
    reason: str = Field(..., max_length=5000)
    suggested_unit_id: int | None = None


class DecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=5000)
    new_unit_id: int | None = None


class Done(Schema):
    id: int
    status: str


def _unit(unit_id) -> OrgUnit | None:
    if unit_id is None:
        return None
    unit = OrgUnit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationFailed(code="unknown_unit")
    return unit


def _done(obj) -> dict:
    return {"id": obj.pk, "status": obj.status}


def _perform(request, on: str, obj, name: str, /, **data):
    """Run a step of the step table (`actions.py`) and return what its service returned."""
    result, _message = actions.perform(actor=request.auth, obj=obj, on=on, name=name, data=data)
    return result


def _item_step(request, proposal_id: int, name: str, /, **data):
    return _perform(request, ITEM, selectors.access_proposal(request.auth, proposal_id), name, **data)


# ---- proposers ---------------------------------------------------------------------------------------------


class MineQuery(PageQuery):
    scope: str = "all"


@router.get("/mine", response=ItemPage, summary="The user's own and co-signed items, newest first")
def mine(request, query: Query[MineQuery]):
    return paginate(selectors.my_items(request.auth, scope=query.scope), query, item_out)


@router.get("/due", summary="What is due from the user: invitations to co-sign, drafts, replies to evaluate")
def due(request):
    data = selectors.due_from(request.auth)
    return {
        "invitations": [
            {"proposal_id": c.proposal_id, "title": c.proposal.title, "proposer": c.proposal.proposer.real_name}
            for c in data["invitations"]
        ],
        "drafts": [{"proposal_id": p.pk, "title": p.title} for p in data["drafts"]],
        "to_evaluate": [
            {"proposal_id": p.pk, "title": p.title, "due_at": p.deadline_due_at} for p in data["to_evaluate"]
        ],
    }


@router.post("", response={201: Done}, summary="Start a draft")
def create(request, data: DraftIn):
    body = _unit(data.body_id)
    proposal = services.create_draft(
        actor=request.auth,
        body=body,
        kind=data.kind,
        title=data.title,
        content=data.content,
        category=data.category,
        keywords=data.keywords,
        disclosure_consent=data.disclosure_consent,
        by_delegation=_unit(data.delegation_id),
    )
    return Status(201, _done(proposal))


@router.get("/{int:proposal_id}", summary="One item with its co-signers, units, deadlines, replies and history")
def detail(request, proposal_id: int):
    proposal = selectors.access_proposal(request.auth, proposal_id)
    return present.detail_json(request.auth, proposal)


@router.put("/{int:proposal_id}", response=Done, summary="Change a draft")
def update(request, proposal_id: int, data: DraftUpdate):
    proposal = selectors.access_proposal(request.auth, proposal_id)
    done = services.update_draft(
        actor=request.auth,
        proposal=proposal,
        kind=data.kind,
        title=data.title,
        content=data.content,
        category=data.category,
        keywords=data.keywords,
        disclosure_consent=data.disclosure_consent,
        by_delegation=_unit(data.delegation_id),
    )
    return _done(done)


@router.post("/{int:proposal_id}/cosigners", response={201: Done}, summary="Invite a co-signer")
def invite(request, proposal_id: int, data: CosignerIn):
    cosigner = _item_step(request, proposal_id, "invite", user_id=data.user_id, who=data.who)
    return Status(201, {"id": cosigner.pk, "status": cosigner.status})


@router.delete("/{int:proposal_id}/cosigners/{int:user_id}", response={204: None}, summary="Remove a co-signer")
def uninvite(request, proposal_id: int, user_id: int):
    _item_step(request, proposal_id, "uninvite", user_id=user_id)
    return Status(204, None)


@router.post("/{int:proposal_id}/cosign", response=Done, summary="Confirm or decline co-signing")
def cosign(request, proposal_id: int, data: CosignIn):
    cosigner = _item_step(request, proposal_id, "cosign", confirm=data.confirm)
    return {"id": cosigner.pk, "status": cosigner.status}


@router.post("/{int:proposal_id}/submit", response=Done, summary="Submit a draft")
def submit(request, proposal_id: int):
    return _done(_item_step(request, proposal_id, "submit"))


@router.post("/{int:proposal_id}/withdraw", response=Done, summary="Withdraw a draft or an item under review")
def withdraw(request, proposal_id: int, data: ReasonIn):
    return _done(_item_step(request, proposal_id, "withdraw", reason=data.reason))


@router.post("/{int:proposal_id}/evaluate", response=Done, summary="Evaluate the reply")
def evaluate(request, proposal_id: int, data: EvaluateIn):
    evaluation = _item_step(request, proposal_id, "evaluate", rating=data.rating, comment=data.comment)
    return {"id": evaluation.proposal_id, "status": evaluation.proposal.status}


# ---- the office --------------------------------------------------------------------------------------------


@router.post("/{int:proposal_id}/accept", response=Done, summary="Accept (立案)")
def accept(request, proposal_id: int, data: NoteIn):
    return _done(_item_step(request, proposal_id, "accept", note=data.note))


@router.post("/{int:proposal_id}/not-accept", response=Done, summary="Do not accept, with a reason")
def not_accept(request, proposal_id: int, data: ReasonIn):
    return _done(_item_step(request, proposal_id, "not_accept", reason=data.reason))


@router.post("/{int:proposal_id}/merge", response=Done, summary="Merge into a similar item")
def merge(request, proposal_id: int, data: MergeIn):
    return _done(_item_step(request, proposal_id, "merge", into=data.into_id, note=data.note))


@router.post("/{int:proposal_id}/convert", response=Done, summary="Handle a bill as a suggestion / an opinion letter")
def convert(request, proposal_id: int, data: ReasonIn):
    return _done(_item_step(request, proposal_id, "convert", reason=data.reason))


@router.post("/{int:proposal_id}/assign", response=Done, summary="Assign to a lead unit and co-handling units")
def assign(request, proposal_id: int, data: AssignIn):
    proposal = selectors.access_proposal(request.auth, proposal_id)
    lead_unit, co_units = _unit(data.lead_unit_id), [_unit(pk) for pk in data.co_unit_ids]
    return _done(_perform(request, ITEM, proposal, "assign", lead_unit=lead_unit, co_units=co_units))


@router.post("/{int:proposal_id}/supervision", response=Done, summary="Mark for key supervision (重点督办)")
def supervision(request, proposal_id: int, data: SupervisionIn):
    proposal = selectors.access_proposal(request.auth, proposal_id)
    leader = None
    if data.leader_id is not None:
        leader = User.objects.filter(pk=data.leader_id).first()
        if leader is None:
            raise ValidationFailed(code="not_a_leader")
    return _done(_perform(request, ITEM, proposal, "supervise", on=data.on, note=data.note, leader=leader))


@router.post("/{int:proposal_id}/publish", response=Done, summary="Disclose publicly or take down")
def publish(request, proposal_id: int, data: PublishIn):
    return _done(_item_step(request, proposal_id, "publish", public=data.public, with_replies=data.with_replies))


@router.post("/{int:proposal_id}/rehandle", response=Done, summary="Office decision: handle once more")
def rehandle(request, proposal_id: int, data: ReasonIn):
    return _done(_item_step(request, proposal_id, "rehandle_again", reason=data.reason))


@router.get(
    "/{int:proposal_id}/similar",
    response=list[ItemOut],
    summary="Similar items to merge with (title and text sharing at least the threshold of their words, best first)",
)
def similar(request, proposal_id: int):
    proposal = selectors.access_proposal(request.auth, proposal_id)
    if not perm.is_office(request.auth, proposal):
        raise NotFound()
    return [item_out(m.item) for m in similar_items(proposal)]


class FlowQuery(PageQuery):
    state: str = "all"
    kind: str = ""
    year: int | None = Field(None, ge=1990, le=2200)
    q: str = Field("", max_length=50)
    key: bool = False
    body_id: QueryId | None = None


@router.get("/office/flow", response=ItemPage, summary="The office's whole flow, filtered")
def office_flow(request, query: Query[FlowQuery]):
    qs = selectors.office_flow(
        request.auth,
        state=query.state,
        kind=query.kind,
        year=query.year,
        q=query.q,
        key=query.key,
        body_id=query.body_id,
    )
    return paginate(qs, query, item_out)


@router.get("/office/requests", summary="Extension and transfer requests waiting for the office")
def office_requests(request, query: Query[PageQuery]):
    return paginate(selectors.office_requests(request.auth), query, present.request_json)


class StatsQuery(Schema):
    body_id: QueryId | None = None
    year: int | None = Field(None, ge=1990, le=2200)


@router.get("/office/stats", summary="Per-unit statistics of one body and year")
def office_stats(request, query: Query[StatsQuery]):
    body = selectors.stats_body(request.auth, query.body_id)
    year = query.year or timezone.localdate().year
    return present.stats_json(statistics.unit_statistics(body=body, year=year))


@router.get("/supervision", response=ItemPage, summary="Key-supervision items of the bodies the user leads")
def supervision_queue(request, query: Query[PageQuery]):
    return paginate(selectors.supervision_queue(request.auth), query, item_out)


# ---- handling units ----------------------------------------------------------------------------------------


class QueueQuery(PageQuery):
    state: str = "open"
    unit_id: QueryId | None = None


@router.get("/units/queue", summary="The user's units' assignments, overdue and due soon first")
def unit_queue(request, query: Query[QueueQuery]):
    qs = selectors.unit_queue(request.auth, state=query.state, unit_id=query.unit_id)
    return paginate(qs, query, present.assignment_json)


def _assignment(request, assignment_id) -> Assignment:
    return selectors.access_assignment(request.auth, assignment_id)


@router.post("/assignments/{int:assignment_id}/contact", response={201: Done}, summary="Record the contact")
def contact(request, assignment_id: int, data: ContactIn):
    assignment = _assignment(request, assignment_id)
    contact = _perform(request, UNIT, assignment, "contact", method=data.method, contacted_on=data.date, note=data.note)
    return Status(201, {"id": contact.pk, "status": contact.assignment.status})


@router.post("/assignments/{int:assignment_id}/opinion", response=Done, summary="Send the co-handling opinion")
def opinion(request, assignment_id: int, data: OpinionIn):
    return _done(_perform(request, UNIT, _assignment(request, assignment_id), "opinion", opinion=data.opinion))


@router.post("/assignments/{int:assignment_id}/reply", response=Done, summary="Draft the reply letter")
def reply(request, assignment_id: int, data: ReplyIn):
    assignment = _assignment(request, assignment_id)
    saved = _perform(request, UNIT, assignment, "reply", content=data.content, classification=data.classification)
    return _done(saved)


@router.post("/replies/{int:reply_id}/sign-off", response=Done, summary="Sign the reply letter off (head)")
def sign_off(request, reply_id: int):
    return _done(_perform(request, REPLY, selectors.access_reply(request.auth, reply_id), "sign_off"))


@router.post("/replies/{int:reply_id}/send", response=Done, summary="Send the signed-off reply to the proposer")
def send(request, reply_id: int):
    return _done(_perform(request, REPLY, selectors.access_reply(request.auth, reply_id), "send"))


@router.post("/assignments/{int:assignment_id}/extension", response={201: Done}, summary="Ask for an extension")
def extension(request, assignment_id: int, data: ExtensionIn):
    assignment = _assignment(request, assignment_id)
    made = _perform(request, UNIT, assignment, "extension", until=data.until, reason=data.reason)
    return Status(201, _done(made))


@router.post("/assignments/{int:assignment_id}/transfer", response={201: Done}, summary="Ask for a transfer")
def transfer(request, assignment_id: int, data: TransferIn):
    assignment = _assignment(request, assignment_id)
    suggested = _unit(data.suggested_unit_id)
    made = _perform(request, UNIT, assignment, "transfer", reason=data.reason, suggested_unit=suggested)
    return Status(201, _done(made))


@router.post("/requests/{int:request_id}/decide", response=Done, summary="Approve or reject a unit's request")
def decide(request, request_id: int, data: DecideIn):
    unit_request = selectors.access_request(request.auth, request_id)
    new_unit = _unit(data.new_unit_id)
    return _done(
        _perform(request, REQUEST, unit_request, "decide", approve=data.approve, note=data.note, new_unit=new_unit)
    )


# ---- the public feed (no login) ----------------------------------------------------------------------------


class PublicQuery(PageQuery):
    body_id: QueryId | None = None
    year: int | None = Field(None, ge=1990, le=2200)
    kind: str = ""


@router.get("/public", auth=None, summary="Items and replies disclosed by the offices (for the portal)")
def public(request, query: Query[PublicQuery]):
    qs = disclosure.public_feed(body_id=query.body_id, year=query.year, kind=query.kind)
    return paginate(qs, query, disclosure.public_item)
