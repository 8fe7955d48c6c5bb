"""The monitoring API at /api/v1/monitoring (bearer token or session): the host unit's and the office's findings,
one finding with its steps (the same step table as the web page), and logging an item. Errors `{"code","message"}`."""

import datetime as dt

from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.validation import safe_query

from . import actions, selectors, services
from .present import present

router = Router(tags=["monitoring"], auth=token_auth)


class FindingStepIn(Schema):
    note: str = ""


class OutletItemIn(Schema):
    title: str
    url: str = ""
    published_at: dt.datetime
    is_original: bool = True
    text: str = ""


def _out(request, finding) -> dict:
    view = present(request.user, finding)
    view["steps"] = [a.name for a in actions.available_actions(request.user, finding)]
    return view


def _page(request, chunk) -> dict:
    return {"count": chunk.paginator.count, "page": chunk.number, "items": [present(request.user, f) for f in chunk]}


@router.get("/findings/mine")
def mine(request, page: int = 1, status: str = "active"):
    return _page(request, selectors.my_findings(request.user, page=page, status=safe_query(status, max_length=20)))


@router.get("/findings/office")
def office(request, page: int = 1, status: str = "", source: str = "", kind: str = "", veto: str = ""):
    filters = {
        "status": safe_query(status, max_length=20),
        "source": safe_query(source, max_length=20),
        "kind": safe_query(kind, max_length=40),
        "veto": safe_query(veto, max_length=1),
    }
    return _page(request, selectors.office_findings(request.user, page=page, **filters))


@router.get("/findings/{finding_id}")
def detail(request, finding_id: int):
    return _out(request, selectors.access_finding(request.user, finding_id))


@router.post("/findings/{finding_id}/steps/{name}")
def step(request, finding_id: int, name: str, data: FindingStepIn):
    finding = selectors.access_finding(request.user, finding_id)
    finding = actions.perform(actor=request.user, finding=finding, name=name, data=data.dict())
    return _out(request, finding)


@router.post("/outlets/{outlet_id}/items", response={201: dict})
def add_item(request, outlet_id: int, data: OutletItemIn):
    watch = selectors.access_watch(request.user, outlet_id)
    item = services.enter_item(
        actor=request.user, outlet=watch.outlet, title=data.title, url=data.url, published_at=data.published_at,
        is_original=data.is_original, text=data.text,
    )  # fmt: skip
    return 201, {"id": item.pk, "title": item.title, "published_at": item.published_at}
