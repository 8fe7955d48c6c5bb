"""The feedback API at /api/v1/feedback (bearer token or session) for the members' app: give feedback, read one's
own, and the information office's steps (the same step table as the web page). Errors are `{"code", "message"}`."""

from django.core.paginator import Paginator
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth

from . import actions, rules, selectors, services
from .present import present

router = Router(tags=["feedback"], auth=token_auth)


class FeedbackIn(Schema):
    kind: str
    text: str
    page: str = ""


class FeedbackStepIn(Schema):
    answer: str = ""
    note: str = ""
    reason: str = ""


def _out(request, feedback) -> dict:
    view = present(request.user, feedback)
    view["steps"] = [a.name for a in actions.available_actions(request.user, feedback)]
    return view


@router.post("", response={201: dict})
def give(request, data: FeedbackIn):
    feedback = services.give_feedback(actor=request.user, kind=data.kind, text=data.text, page=data.page)
    return 201, _out(request, feedback)


@router.get("/mine")
def mine(request, page: int = 1):
    chunk = Paginator(selectors.mine(request.user), rules.PAGE_SIZE).get_page(page)
    return {"count": chunk.paginator.count, "page": chunk.number, "items": [present(request.user, f) for f in chunk]}


@router.get("/{feedback_id}")
def detail(request, feedback_id: int):
    return _out(request, selectors.access(request.user, feedback_id))


@router.post("/{feedback_id}/steps/{name}")
def step(request, feedback_id: int, name: str, data: FeedbackStepIn):
    feedback = selectors.access(request.user, feedback_id)
    feedback = actions.perform(actor=request.user, feedback=feedback, name=name, data=data.dict())
    return _out(request, feedback)
