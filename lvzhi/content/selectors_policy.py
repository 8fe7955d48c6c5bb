"""S1-4.1: policy interpretations (政策解读) and the policy documents (政策文件) they interpret — which articles are
which (by their column's disclosure category, S2-18), the documents an interpretation may name, and the links
both ways. Writes are `services.set_policy_documents`."""

import datetime as dt

from django.db.models import QuerySet

from . import permissions as perms
from .models import Article, PolicyLink

POLICY = "policy"  # defaults.DISCLOSURE_CATEGORIES: 政策文件
INTERPRETATION = "policy_reading"  # 政策解读
MAX_DOCUMENTS = 10  # documents one interpretation names
CANDIDATES_MAX = 200  # documents offered in the editor's list (newest first)
SHOWN_MAX = 20  # interpretations listed under a document
CLOSED = (Article.Status.WITHDRAWN, Article.Status.ARCHIVED)  # links no longer change


def category_of(article) -> str:
    category = getattr(article.column, "disclosure_category", None)
    return category.code if category is not None else ""


def is_interpretation(article) -> bool:
    return category_of(article) == INTERPRETATION


def published_documents(body_id) -> QuerySet:
    """The live policy documents of a body, newest first: what an interpretation of the body may name."""
    return (
        Article.objects.filter(body_id=body_id, is_live=True, column__disclosure_category__code=POLICY)
        .select_related("column")
        .order_by("-published_at", "-id")
    )


def document_candidates(article) -> list[Article]:
    return list(published_documents(article.body_id).exclude(pk=article.pk)[:CANDIDATES_MAX])


def document_ids(article) -> list[int]:
    return list(PolicyLink.objects.filter(interpretation=article).values_list("document_id", flat=True))


def interpretation_ids(document, *, limit: int = SHOWN_MAX) -> list[int]:
    """The live interpretations that name `document`, newest first."""
    qs = PolicyLink.objects.filter(document=document, interpretation__is_live=True)
    return list(qs.order_by("-interpretation__published_at", "-id").values_list("interpretation_id", flat=True)[:limit])


def documents_of(article) -> list[Article]:
    """The documents an interpretation names (whatever their state: a withdrawn one shows as such)."""
    links = PolicyLink.objects.filter(interpretation=article).select_related("document__column__body").order_by("id")
    return [link.document for link in links]


def related_ids(article) -> tuple[list[int], list[int]]:
    """(the documents `article` names, the live interpretations naming it, newest first) in one query; none for an
    item that is neither an interpretation nor a policy document."""
    code = category_of(article)
    if code == INTERPRETATION:
        return document_ids(article), []
    if code == POLICY:
        return [], interpretation_ids(article)
    return [], []


def readable_relations(user, article) -> dict:
    """For the members' article page: the documents it interprets and the interpretations of it that `user` may
    read (a link to a page the reader cannot open is left out). No query for an item of another category (the
    article's column and category come with it); the audience is checked once per column."""
    allowed = {}

    def may_read(a) -> bool:
        if a.column_id not in allowed:
            allowed[a.column_id] = perms.audience_allows(user, a.column)
        return a.is_live and allowed[a.column_id]

    code = category_of(article)
    documents = [d for d in documents_of(article) if may_read(d)] if code == INTERPRETATION else []
    interpretations = []
    if code == POLICY:
        links = (
            PolicyLink.objects.filter(document=article, interpretation__is_live=True)
            .select_related("interpretation__column__body")
            .order_by("-interpretation__published_at", "-id")[:SHOWN_MAX]
        )
        interpretations = [link.interpretation for link in links if may_read(link.interpretation)]
    return {"documents": documents, "interpretations": interpretations}


def relations(user, article) -> dict:
    """Both directions for `user`: whoever may work on the article sees every document it names (a withdrawn one
    marked by `is_live`), a reader only those they may open; `may_link` whether `user` may change them."""
    data = readable_relations(user, article)
    if perms.may_work_on(user, article):
        data["documents"] = documents_of(article)
    data["is_interpretation"] = is_interpretation(article)
    data["may_link"] = bool(
        data["is_interpretation"] and article.status not in CLOSED and perms.may_edit(user, article)
    )
    return data


def unlinked_interpretations(*, body_ids=None, unit_ids=None, published_before: dt.datetime | None = None) -> QuerySet:
    """Live interpretations that name no policy document (the monitor's `interpretation_unlinked` check)."""
    qs = Article.objects.filter(
        is_live=True, column__disclosure_category__code=INTERPRETATION, policy_links__isnull=True
    )
    if body_ids is not None:
        qs = qs.filter(body_id__in=list(body_ids))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    if published_before is not None:
        qs = qs.filter(published_at__lt=published_before)
    return qs.order_by("published_at", "id")
