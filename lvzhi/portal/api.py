"""The portal API at /api/v1/portal: the public reads of a site's drafts (no login) and a topic's status by its
lookup code; the office's steps on a topic (token or session, the same step table as the web page). Errors are
`{"code", "message"}`."""

from django.http import HttpRequest
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.content.selectors import page_of

from . import rules, selectors
from .actions import STEPS
from .present import draft_detail, draft_summary, topic_public

router = Router(tags=["portal"])


class TopicStepIn(Schema):
    answer: str = ""
    reason: str = ""
    publish: bool = False


def _site(request: HttpRequest, code: str):
    return selectors.current_site(request, code)


@router.get("/sites/{code}/drafts", auth=None)
def drafts(request, code: str, page: int = 1):
    site = _site(request, code)
    chunk = page_of(selectors.public_drafts(site.body), page, rules.PAGE_SIZE)
    return {"page": chunk.page, "has_next": chunk.has_next, "items": [draft_summary(d) for d in chunk.items]}


@router.get("/sites/{code}/drafts/{draft_id}", auth=None)
def draft(request, code: str, draft_id: int):
    return draft_detail(selectors.public_draft(_site(request, code), draft_id))


@router.get("/sites/{code}/topics/{lookup_code}", auth=None)
def topic(request, code: str, lookup_code: str):
    return topic_public(selectors.topic_by_code(_site(request, code).body, lookup_code))


@router.post("/topics/{topic_id}/steps/{name}", auth=token_auth)
def topic_step(request, topic_id: int, name: str, data: TopicStepIn):
    item = selectors.access_topic(request.user, topic_id)
    item = STEPS.perform(actor=request.user, obj=item, name=name, data=data.dict())
    return {"id": item.pk, "status": item.status}
