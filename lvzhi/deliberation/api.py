"""The online-deliberation API at /api/v1/deliberation (bearer token or session): published topics, a topic with
its discussion, posting, support, and the step table (`actions`) for topics, 专报 and follow-ups. Errors are
`{"code", "message"}`."""

from django.core.paginator import Paginator
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_page

from . import actions, present, rules, selectors, services
from . import permissions as perm

router = Router(tags=["deliberation"], auth=token_auth)


class DeliberationStepIn(Schema):
    text: str = ""


class PostIn(Schema):
    text: str
    parent: int | None = None


def _page(qs, page):
    p = Paginator(qs, rules.PAGE_SIZE).get_page(query_page(page))
    return p, {"page": p.number, "pages": p.paginator.num_pages}


@router.get("/topics")
def topics(request, page: int = 1):
    p, meta = _page(selectors.published_topics(request.user), page)
    return {**meta, "topics": [present.topic_dict(t) for t in p]}


@router.get("/topics/{topic_id}")
def topic(request, topic_id: int):
    t = selectors.access_topic(request.user, topic_id)
    return present.topic_detail(request.user, t, actions.available_actions(request.user, t, "topic"))


@router.get("/topics/{topic_id}/posts")
def posts(request, topic_id: int, page: int = 1):
    t = selectors.access_topic(request.user, topic_id)
    staff = perm.may_manage(request.user, t)
    supported = selectors.supported_ids(request.user, t)
    p, meta = _page(selectors.thread(request.user, t), page)
    rows = []
    for post in p:
        rows.append(
            {
                **present.post_dict(request.user, post, staff=staff, supported=supported),
                "replies": [
                    present.post_dict(request.user, r, staff=staff, supported=supported) for r in post.replies.all()
                ],
            }
        )
    return {**meta, "posts": rows}


@router.post("/topics/{topic_id}/posts")
def create_post(request, topic_id: int, payload: PostIn):
    t = selectors.access_topic(request.user, topic_id)
    parent = selectors.access_post(request.user, payload.parent) if payload.parent else None
    post = services.create_post(actor=request.user, topic=t, text_value=payload.text, parent=parent)
    return present.post_dict(request.user, post)


@router.post("/posts/{post_id}/support")
def support(request, post_id: int):
    post = services.support_post(actor=request.user, post=selectors.access_post(request.user, post_id))
    return {"id": post.pk, "support_count": post.support_count}


@router.post("/topics/{topic_id}/steps/{name}")
def topic_step(request, topic_id: int, name: str, payload: DeliberationStepIn):
    t = selectors.access_topic(request.user, topic_id)
    actions.perform(actor=request.user, obj=t, table="topic", name=name, data=payload.dict())
    t = selectors.access_topic(request.user, topic_id)
    return present.topic_detail(request.user, t, actions.available_actions(request.user, t, "topic"))


@router.get("/topics/{topic_id}/report")
def report(request, topic_id: int):
    t = selectors.access_managed_topic(request.user, topic_id)
    current = selectors.report_of(t)
    if current is None:
        return {"report": None, "figures": services.discussion_figures(t)}
    return {"report": present.report_dict(current), "figures": services.discussion_figures(t)}


@router.post("/topics/{topic_id}/report/steps/{name}")
def report_step(request, topic_id: int, name: str, payload: DeliberationStepIn):
    t = selectors.access_managed_topic(request.user, topic_id)
    if name == "draft":
        current = services.draft_report(actor=request.user, topic=t)
    else:
        current = selectors.report_of(t)
        if current is None:
            raise NotFound()
        actions.perform(actor=request.user, obj=current, table="report", name=name, data=payload.dict())
        current = selectors.report_of(t)
    return {"report": present.report_dict(current)}


@router.get("/topics/{topic_id}/participation")
def participation(request, topic_id: int, only: str = "", page: int = 1):
    t = selectors.access_managed_topic(request.user, topic_id)
    only = only if only in ("absent", "posted", "unread") else ""
    p, meta = _page(selectors.participation(t, only=only), page)
    return {
        **meta,
        "counts": selectors.participation_counts(t),
        "members": [
            {
                "member": i.member_id,
                "name": i.member.real_name,
                "read": i.read_at is not None,
                "posted": i.posted_at is not None,
                "reminded_on": i.reminded_on.isoformat() if i.reminded_on else None,
            }
            for i in p
        ],
    }
