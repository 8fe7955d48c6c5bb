"""The content part of the mobile API at /api/v1/content (bearer token or session).

Readers: columns, feeds, search, an article (opening it records the reading), reading time, favourites, reports.
Editors: drafts, submission, the review queue, decisions, publication, takedown. Errors are {"code", "message"}.
"""

import datetime as dt

from ninja import Query, Router, Schema, Status
from pydantic import Field

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound
from lvzhi.core.params import QueryDateTime

from . import selectors, services
from . import selectors_policy as policy
from .models import Article, Column, Grade, MonitorReport

router = Router(tags=["content"], auth=token_auth)


class ColumnOut(Schema):
    id: int
    code: str
    name: str
    audience: str
    children: list["ColumnOut"] = []


class ContentItemOut(Schema):
    id: int
    title: str
    summary: str
    column: str
    column_code: str
    published_at: dt.datetime | None
    is_read: bool
    is_favourite: bool


class ContentItemPage(Schema):
    page: int
    has_next: bool
    items: list[ContentItemOut]


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    url: str


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    body_html: str
    source: str
    column: str
    unit: str
    published_at: dt.datetime | None
    is_favourite: bool
    attachments: list[AttachmentOut]


class WorkOut(Schema):
    id: int
    title: str
    status: str
    grade: str
    version: int
    revision: int
    current_step: int | None
    current_step_kind: str | None
    findings: list[dict]
    is_live: bool


class ContentPageQuery(Schema):
    page: int = Field(1, ge=1, le=10_000)
    column: str = Field("", max_length=40)


class SearchQuery(Schema):
    q: str = Field("", max_length=100)
    page: int = Field(1, ge=1, le=10_000)
    sort: str = Field("recent", pattern="^(recent|relevance)$")


class SecondsIn(Schema):
    seconds: int = Field(ge=1, le=services.MAX_PING_SECONDS)


class ReadOut(Schema):
    seconds: int
    visits: int


class ReportIn(Schema):
    kind: str = Field(max_length=15)
    reason: str = Field(max_length=500)


class ReportOut(Schema):
    id: int
    status: str
    kind: str


class ContentDraftIn(Schema):
    column_id: int
    title: str = Field(max_length=20_000)  # a size bound only: the service names the real limit
    body_html: str = Field(max_length=2_000_000)
    summary: str = Field("", max_length=500)
    source: str = Field("", max_length=200)
    is_repost: bool = False
    grade: str = Field(Grade.NORMAL, max_length=10)
    topic: str = Field("", max_length=20)
    client_token: str = Field("", max_length=64)
    publish_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    repost_source: int | None = Field(None, description="a designated source's id (S2-27)")
    original_title: str = Field("", max_length=200, description="a repost's original title, kept exactly (S2-27)")
    source_other_reason: str = Field("", max_length=300, description="why a source not on the list (S2-27)")
    urgency: str = Field("", max_length=10, description="emergency | rumour (S2-29)")
    event_noted_at: dt.datetime | None = Field(None, description="when the event was noticed (S2-29)")


class VersionIn(Schema):
    version: int | None = None


class DecisionIn(Schema):
    approve: bool
    checklist: dict[str, str] = {}
    secrecy_reviewed: bool = False
    secrecy_note: str = Field("", max_length=300)
    findings_accepted: bool = False
    comment: str = Field("", max_length=1000)
    raise_grade: str | None = Field(None, max_length=10)
    expected_step: int | None = None


class ContentPublishIn(Schema):
    publish_at: dt.datetime | None = None
    expected_step: int | None = None


class ContentReasonIn(Schema):
    reason: str = Field(max_length=300)


class ContentWithdrawIn(ContentReasonIn):
    secrecy: bool = False  # S0-11: taken down for secrecy: reported to the leaders in charge and the secrecy office


class ActivityOut(Schema):
    read: int
    favourite: int


class ActivityQuery(Schema):
    since: QueryDateTime | None = None
    until: QueryDateTime | None = None


def _column(c: Column) -> dict:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "audience": c.audience,
        "children": [_column(child) for child in getattr(c, "visible_children", [])],
    }


def _item(a: Article) -> dict:
    return {
        "id": a.pk,
        "title": a.published_title,
        "summary": a.published_summary,
        "column": a.column.name,
        "column_code": a.column.code,
        "published_at": a.published_at,
        "is_read": a.is_read,
        "is_favourite": a.is_favourite,
    }


def _page(slice_) -> dict:
    return {"page": slice_.page, "has_next": slice_.has_next, "items": [_item(a) for a in slice_.items]}


def _work(a: Article) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "status": a.status,
        "grade": a.grade,
        "version": a.version,
        "revision": a.revision_no,
        "current_step": a.current_step_id,
        "current_step_kind": a.current_step.kind if a.current_step_id else None,
        "findings": a.findings,
        "is_live": a.is_live,
    }


@router.get("/columns", response=list[ColumnOut], summary="The columns the user may read")
def columns(request):
    return [_column(c) for c in selectors.visible_columns(request.auth)]


@router.get("/feed", response=ContentItemPage, summary="Published items, newest first (one column or all)")
def feed(request, filters: Query[ContentPageQuery]):
    user = request.auth
    column = selectors.access_column(user, filters.column) if filters.column else None
    return _page(selectors.page_of(selectors.feed(user, column=column), filters.page, reader=user))


@router.get("/search", response=ContentItemPage, summary="Full-text search over what the user may read")
def search(request, filters: Query[SearchQuery]):
    results = selectors.search_articles(request.auth, filters.q, order=filters.sort)
    return _page(selectors.page_of(results, filters.page, reader=request.auth))


@router.get("/favourites", response=ContentItemPage, summary="The user's favourites")
def favourites(request, filters: Query[ContentPageQuery]):
    page = selectors.page_of(selectors.favourites_of(request.auth), filters.page)
    items = []
    for fav in page.items:
        a = fav.article
        a.is_read, a.is_favourite = True, True
        items.append(_item(a))
    return {"page": page.page, "has_next": page.has_next, "items": items}


@router.get("/articles/{int:article_id}", response=ArticleOut, summary="Read an article (records the reading)")
def read(request, article_id: int):
    user = request.auth
    article = selectors.access_live_article(user, article_id)
    services.record_read(actor=user, article=article)
    revision = article.published_revision
    return {
        "id": article.pk,
        "title": article.published_title,
        "summary": article.published_summary,
        "body_html": revision.body_html if revision else "",
        "source": revision.source if revision else "",
        "column": article.column.name,
        "unit": article.unit.name,
        "published_at": article.published_at,
        "is_favourite": article.favourites.filter(user=user).exists(),
        "attachments": [
            {"id": x.pk, "name": x.name, "kind": x.kind, "size": x.size, "url": f"/content/files/{x.pk}/"}
            for x in selectors.published_attachments(article)
        ],
    }


@router.post("/articles/{int:article_id}/read-time", response=ReadOut, summary="Add reading time (seconds)")
def read_time(request, article_id: int, data: SecondsIn):
    article = selectors.access_live_article(request.auth, article_id)
    return services.record_reading_time(actor=request.auth, article=article, seconds=data.seconds)


@router.post("/articles/{int:article_id}/favourite", response={201: None}, summary="Add to favourites")
def add_favourite(request, article_id: int):
    article = selectors.access_live_article(request.auth, article_id)
    services.add_favourite(actor=request.auth, article=article)
    return Status(201, None)


@router.delete("/articles/{int:article_id}/favourite", response={204: None}, summary="Remove from favourites")
def remove_favourite(request, article_id: int):
    article = selectors.access_live_article(request.auth, article_id)
    services.remove_favourite(actor=request.auth, article=article)
    return Status(204, None)


@router.post("/articles/{int:article_id}/reports", response={201: ReportOut}, summary="Report a problem")
def report(request, article_id: int, data: ReportIn):
    article = selectors.access_live_article(request.auth, article_id)
    item: MonitorReport = services.report_article(
        actor=request.auth, article=article, kind=data.kind, reason=data.reason
    )
    return Status(201, {"id": item.pk, "status": item.status, "kind": item.kind})


@router.get("/activity", response=ActivityOut, summary="The user's reading and favourite events in a period")
def activity(request, filters: Query[ActivityQuery]):
    return selectors.activity_counts(user=request.auth, since=filters.since, until=filters.until)


# ---- editors -----------------------------------------------------------------------------------------------------


@router.post("/articles", response={201: WorkOut}, summary="Create a draft")
def create(request, data: ContentDraftIn):
    user = request.auth
    column = next((c for c in selectors.writable_columns(user) if c.pk == data.column_id), None)
    if column is None:
        raise NotFound()
    payload = data.dict()
    payload.pop("column_id")
    article = services.create_draft(actor=user, column=column, **payload)
    return Status(201, _work(article))


@router.get("/articles/{int:article_id}/work", response=WorkOut, summary="The working copy's state")
def work(request, article_id: int):
    return _work(selectors.access_work_article(request.auth, article_id))


@router.post("/articles/{int:article_id}/submit", response=WorkOut, summary="Submit for review")
def submit(request, article_id: int, data: VersionIn):
    article = selectors.access_work_article(request.auth, article_id)
    return _work(services.submit(actor=request.auth, article=article, expected_version=data.version))


@router.get("/review-queue", response=list[WorkOut], summary="Articles awaiting the user's step")
def review_queue(request):
    return [_work(a) for a in selectors.review_queue(request.auth)[:100]]


@router.post("/articles/{int:article_id}/decide", response=WorkOut, summary="Approve or return the current step")
def decide(request, article_id: int, data: DecisionIn):
    article = selectors.access_work_article(request.auth, article_id)
    return _work(services.decide(actor=request.auth, article=article, **data.dict()))


@router.post("/articles/{int:article_id}/publish", response=WorkOut, summary="Publish (or schedule)")
def publish(request, article_id: int, data: ContentPublishIn):
    article = selectors.access_work_article(request.auth, article_id)
    return _work(services.publish(actor=request.auth, article=article, **data.dict()))


@router.post("/articles/{int:article_id}/withdraw", response=WorkOut, summary="Take down at once (S0-11)")
def withdraw(request, article_id: int, data: ContentWithdrawIn):
    article = selectors.access_article(request.auth, article_id)
    return _work(services.withdraw(actor=request.auth, article=article, reason=data.reason, secrecy=data.secrecy))


# ---- S1-4.1: policy interpretations and their documents ------------------------------------------------------------


class PolicyDocumentRefOut(Schema):
    id: int
    title: str
    published_at: dt.datetime | None
    is_live: bool


class PolicyRelationsOut(Schema):
    is_interpretation: bool
    may_link: bool
    documents: list[PolicyDocumentRefOut]
    interpretations: list[PolicyDocumentRefOut]


class PolicyDocumentsIn(Schema):
    documents: list[int] = Field(default_factory=list, max_length=1000)


def _ref(a: Article) -> dict:
    return {"id": a.pk, "title": a.published_title or a.title, "published_at": a.published_at, "is_live": a.is_live}


def _relations(user, article) -> dict:
    data = policy.relations(user, article)
    return {
        "is_interpretation": data["is_interpretation"],
        "may_link": data["may_link"],
        "documents": [_ref(d) for d in data["documents"]],
        "interpretations": [_ref(a) for a in data["interpretations"]],
    }


@router.get(
    "/articles/{int:article_id}/policy",
    response=PolicyRelationsOut,
    summary="The policy documents an interpretation names, and the interpretations of a document (S1-4.1)",
)
def policy_relations(request, article_id: int):
    return _relations(request.auth, selectors.access_article(request.auth, article_id))


@router.put(
    "/articles/{int:article_id}/policy",
    response=PolicyRelationsOut,
    summary="Name the policy documents an interpretation interprets (replaces the list)",
)
def set_policy_documents(request, article_id: int, data: PolicyDocumentsIn):
    article = selectors.access_work_article(request.auth, article_id)
    services.set_policy_documents(actor=request.auth, article=article, document_ids=data.documents)
    return _relations(request.auth, selectors.access_article(request.auth, article_id))
