"""Reads of public messages: a handler's queue, one message (missing when the user may not see it), the writer's
look-up by code, and the public knowledge base of published replies (searched through `lvzhi.search`)."""

from django.db.models import Count, F, Q, QuerySet

from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int
from lvzhi.search import services as search

from . import permissions as perm
from .models import Feature, FeatureControl, Letter, SecurityRecord

S = Letter.Status
P = Letter.Publication


def queue(user, *, status: str = "", publication: str = "") -> QuerySet:
    """Open messages first, the nearest limit first; then the rest, newest first."""
    qs = Letter.objects.filter(perm.visible_q(user)).select_related("unit", "deputy", "body", "station", "outlet")
    if status in S.values:
        qs = qs.filter(status=status)
    if publication in P.values:
        qs = qs.filter(publication=publication)
    return qs.order_by(F("next_due_at").asc(nulls_last=True), "-created_at", "-pk")


def access(user, pk) -> Letter:
    pk = query_int(pk)
    letter = (
        Letter.objects.select_related("body", "unit", "deputy", "station", "outlet", "forwarded_to", "handled_by")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if letter is None or not perm.may_see(user, letter):
        raise NotFound()
    return letter


def by_lookup_code(code: str) -> Letter:
    code = (code or "").strip().upper()[:8]
    letter = (
        Letter.objects.filter(lookup_code=code).select_related("body", "unit", "deputy", "station", "outlet").first()
        if len(code) == 8
        else None
    )
    if letter is None:
        raise NotFound()
    return letter


def published() -> QuerySet:
    return Letter.objects.filter(publication=P.PUBLISHED).select_related("body", "unit")


def knowledge_base(query: str = "") -> QuerySet:
    """Published questions and replies: all, newest first, or those containing every word of `query`, best first."""
    qs = published()
    if not query:
        return qs.order_by("-published_at", "-pk")
    return search.rank_order(search.search_queryset(qs, query), query)


def access_published(pk) -> Letter:
    pk = query_int(pk)
    letter = published().filter(pk=pk).first() if pk else None
    if letter is None:
        raise NotFound()
    return letter


def controls_of(body) -> list[FeatureControl]:
    """The body's control of each feature (unsaved defaults where none was set)."""
    found = {c.feature: c for c in FeatureControl.objects.filter(body=body)}
    return [found.get(f) or FeatureControl(body=body, feature=f) for f in Feature.values]


def security_records(body) -> QuerySet:
    return SecurityRecord.objects.filter(body=body).select_related("actor").order_by("-created_at", "-pk")


def deputy_contact_counts(deputy, year: int) -> dict:
    """The public's messages to a deputy in a year: received, answered (incl. passed on), passed on, concluded."""
    qs = Letter.objects.filter(deputy=deputy, created_at__year=year).exclude(status=S.REJECTED)
    counts = qs.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        passed_on=Count("pk", filter=~Q(passed_as="")),
        concluded=Count("pk", filter=Q(status=S.CLOSED)),
    )
    return {k: v or 0 for k, v in counts.items()}
