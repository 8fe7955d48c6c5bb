"""The duty API at /api/v1/duty (bearer token or session): a member's own year, check-in, objections; the step
table (`actions`) for records, objections and events; the ranking for offices. Errors are `{"code", "message"}`."""

from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound

from . import actions, present, rules, selectors, services
from . import permissions as perm

router = Router(tags=["duty"], auth=token_auth)


class DutyStepIn(Schema):
    text: str = ""
    outcome: str = ""
    quantity: int | None = None


class CheckInIn(Schema):
    token: str


class ObjectionIn(Schema):
    target: str
    text: str
    record: int | None = None
    to: str = "organiser"
    year: int | None = None


def _member_body(request):
    profiles = selectors.my_bodies(request.user)
    if not profiles:
        raise NotFound()
    return profiles[0].body


@router.get("/me")
def me(request, year: int | None = None):
    body = _member_body(request)
    data = selectors.my_year(request.user, body, selectors.year_param(year))
    return present.my_year_dict(data)


@router.get("/records/{record_id}")
def record(request, record_id: int):
    rec = selectors.access_record(request.user, record_id)
    return present.record_detail(request.user, rec, actions.available_actions(request.user, rec, "record"))


def _step(request, obj, table, name, payload: DutyStepIn):
    actions.perform(actor=request.user, obj=obj, table=table, name=name, data=payload.dict())
    return {"ok": True}


@router.post("/records/{record_id}/steps/{name}")
def record_step(request, record_id: int, name: str, payload: DutyStepIn):
    rec = selectors.access_record(request.user, record_id)
    _step(request, rec, "record", name, payload)
    rec = selectors.access_record(request.user, record_id)
    return present.record_detail(request.user, rec, actions.available_actions(request.user, rec, "record"))


@router.post("/events/{event_id}/steps/{name}")
def event_step(request, event_id: int, name: str, payload: DutyStepIn):
    return _step(request, selectors.access_event(request.user, event_id), "event", name, payload)


@router.post("/checkin/{event_id}")
def checkin(request, event_id: int, payload: CheckInIn):
    att = services.check_in(actor=request.user, event_id=event_id, token=payload.token)
    return {"event": event_id, "status": att.status}


@router.post("/objections")
def raise_objection(request, payload: ObjectionIn):
    body = _member_body(request)
    record = None
    if payload.record:
        record = selectors.access_record(request.user, payload.record)
        if record.member_id != request.user.pk:
            raise NotFound()
    obj = services.raise_objection(
        actor=request.user,
        body=body,
        year=selectors.year_param(payload.year),
        target=payload.target,
        text_value=payload.text,
        record=record,
        to=payload.to,
    )
    return present.objection_dict(selectors.access_objection(request.user, obj.pk))


@router.get("/objections/{objection_id}")
def objection(request, objection_id: int):
    return present.objection_dict(selectors.access_objection(request.user, objection_id))


@router.post("/objections/{objection_id}/steps/{name}")
def objection_step(request, objection_id: int, name: str, payload: DutyStepIn):
    _step(request, selectors.access_objection(request.user, objection_id), "objection", name, payload)
    return present.objection_dict(selectors.access_objection(request.user, objection_id))


@router.get("/ranking")
def ranking(request, year: int | None = None, page: int = 1, committee: int | None = None):
    body = selectors.body_of_user(request.user)
    if body is None or not perm.may_manage(request.user, body):
        raise NotFound()
    y = selectors.year_param(year)
    p, rows = selectors.ranking_page(request.user, body, y, page, committee_id=committee, size=rules.PAGE_SIZE)
    return {
        "year": y,
        "page": p.number,
        "pages": p.paginator.num_pages,
        "rows": [
            {
                "rank": r.rank,
                "member": r.member_id,
                "name": r.member.real_name,
                "total": r.total,
                "records": r.records,
                "committee": r.committee.name if r.committee_id else None,
            }
            for r in rows
        ],
    }
