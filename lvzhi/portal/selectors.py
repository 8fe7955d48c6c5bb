"""Reads of the portal. Public reads serve only what is public: live articles of public columns (through
`content.selectors.public_articles`), published drafts, shown comments, answered topics the office made public.
Office reads are filtered by the bodies whose office the user is part of; anything else is "not found"."""

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lvzhi.content import selectors as content
from lvzhi.content import selectors_policy as content_policy
from lvzhi.core.errors import NotFound
from lvzhi.core.timeutil import start_of_day
from lvzhi.orgs.models import OrgUnit
from lvzhi.search import services as search

from . import permissions as perm
from .models import Draft, DraftArticle, DraftComment, LegislationTopic, Site


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound()


# ---- sites -------------------------------------------------------------------------------------------------------


def platform_hosts() -> set[str]:
    """Host names of the members' platform itself: there the sites are reached by their path /site/<code>/."""
    return {h.lower() for h in getattr(settings, "LVZHI_PLATFORM_HOSTS", ["127.0.0.1", "localhost", "testserver"])}


def site_for_host(host: str) -> Site | None:
    """The active site served under `host`; else the default site, or None when unknown hosts answer 404
    (`LVZHI_SITE_UNKNOWN_HOST = "404"`)."""
    host = (host or "").lower()
    site = Site.objects.select_related("body").filter(host=host, is_active=True).first()
    if site is None and getattr(settings, "LVZHI_SITE_UNKNOWN_HOST", "default") == "default":
        site = Site.objects.select_related("body").filter(is_default=True, is_active=True).first()
    return site


def find_site(request, code: str | None) -> Site | None:
    """The site of this request: by its path code, else the one the site middleware chose by host name."""
    if code is None:
        return getattr(request, "site", None)
    cached = getattr(request, "_portal_site", None)
    if cached is not None and cached.code == code:
        return cached
    site = Site.objects.select_related("body").filter(code=code, is_active=True).first()
    request._portal_site = site
    return site


def current_site(request, code: str | None) -> Site:
    site = find_site(request, code)
    if site is None:
        raise NotFound()
    return site


def site_of_body(body) -> Site | None:
    """The site that serves a body: its own, else its nearest ancestor's (a township on its county's site)."""
    ids = body.ancestor_ids() or [body.pk]
    sites = {s.body_id: s for s in Site.objects.filter(body_id__in=ids, is_active=True)}
    for body_id in reversed(ids):
        if body_id in sites:
            return sites[body_id]
    return sites.get(body.pk)


def site_bodies(site: Site) -> list[OrgUnit]:
    """The site's body, then the township bodies below it that have no site of their own."""
    if getattr(site, "_bodies", None) is not None:
        return site._bodies
    below = list(
        OrgUnit.objects.filter(path__startswith=site.body.path, kind=site.body.kind, is_active=True)
        .exclude(pk=site.body_id)
        .order_by("sort_order", "pk")
    )
    with_site = set(Site.objects.filter(body__in=below).values_list("body_id", flat=True))
    paths = [b.path for b in below if b.pk in with_site]
    served = [b for b in below if b.level == "township" and not any(b.path.startswith(p) for p in paths)]
    site._bodies = [site.body, *served]  # kept on the instance for the rest of the request
    return site._bodies


def _public_top_columns(body) -> QuerySet:
    return (
        content.columns_of_body(body)
        .filter(audience="public", is_active=True, parent__isnull=True)
        .prefetch_related(None)
        .select_related(None)
        .order_by("sort_order", "id")
    )


def navigation(site: Site, bodies: list[OrgUnit]) -> tuple[list[dict], list[dict]]:
    """The site's menu: its body's public columns (in the site's chosen order, else the columns' order), then one
    entry per township with its public columns."""
    rows = list(_public_top_columns(site.body)) if bodies else []
    if site.navigation:
        order = {code: i for i, code in enumerate(site.navigation)}
        rows = sorted((c for c in rows if c.code in order), key=lambda c: order[c.code])
    menu = [{"name": c.name, "code": c.code, "body_id": site.body_id} for c in rows]
    townships = []
    for body in bodies[1:]:
        columns = _public_top_columns(body)
        townships.append(
            {"body": body, "columns": [{"name": c.name, "code": c.code, "body_id": body.pk} for c in columns]}
        )
    return menu, townships


def _live(bodies: list[OrgUnit]) -> QuerySet:
    qs = None
    for body in bodies:
        part = content.public_articles(body)
        qs = part if qs is None else qs | part
    return qs


def public_articles(bodies: list[OrgUnit]) -> QuerySet:
    """Live articles of the public columns of these bodies, newest first (only what went through the chains)."""
    return (
        _live(bodies)
        .only(*content.LIST_FIELDS, "column__name", "column__code", "column__body_id")
        .order_by("-published_at", "-id")
    )


def public_column(site: Site, body_id, code: str):
    bodies = {b.pk: b for b in site_bodies(site)}
    body = bodies.get(_int(body_id))
    column = content.column_by_code(body, code) if body else None
    if column is None or not column.is_active or column.audience != "public":
        raise NotFound()
    return column


def column_articles(column) -> QuerySet:
    return content.public_articles(column.body).filter(column=column).only(*content.LIST_FIELDS, "column__name")


def public_article(site: Site, pk):
    """A live public article of the site's bodies, with its published revision; else NotFound."""
    article = (
        _live(site_bodies(site))
        .filter(pk=_int(pk))
        .select_related("published_revision", "column__disclosure_category")
        .first()
    )
    if article is None:
        raise NotFound()
    return article


def policy_relations(site: Site, article) -> dict:
    """S1-4.1: the policy documents a public interpretation names and the public interpretations of a document,
    each only when the public may open it on this site."""
    document_ids, interpretation_ids = content_policy.related_ids(article)
    if not (document_ids or interpretation_ids):
        return {"documents": [], "interpretations": []}
    found = {a.pk: a for a in _live(site_bodies(site)).filter(pk__in=document_ids + interpretation_ids)}
    return {
        "documents": [found[i] for i in document_ids if i in found],
        "interpretations": [found[i] for i in interpretation_ids if i in found],
    }


def public_attachments(article) -> list:
    return list(content.published_attachments(article))


def search_public(site: Site, query: str) -> QuerySet:
    query = " ".join((query or "").split())[:100]
    if not query:
        return content.public_articles(site.body).none()
    return search.search_queryset(public_articles(site_bodies(site)), query).order_by("-published_at", "-id")


# ---- topics ------------------------------------------------------------------------------------------------------


def public_topics(body) -> QuerySet:
    return (
        LegislationTopic.objects.filter(body=body, is_public=True)
        .exclude(answered_at=None)
        .order_by("-answered_at", "-pk")
    )


def topic_by_code(body, code: str) -> LegislationTopic:
    code = (code or "").strip().upper()[:8]
    topic = LegislationTopic.objects.filter(body=body, lookup_code=code).first() if code else None
    if topic is None:
        raise NotFound()
    return topic


def office_topics(user, *, status: str = "") -> QuerySet:
    qs = LegislationTopic.objects.filter(body_id__in=perm.office_body_ids(user)).select_related("body")
    if status in LegislationTopic.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "next_due_at", "-created_at", "-pk")


def access_topic(user, pk) -> LegislationTopic:
    topic = LegislationTopic.objects.select_related("body").filter(pk=_int(pk)).first()
    if topic is None or not perm.handles_topic(user, topic):
        raise NotFound()
    return topic


# ---- drafts ------------------------------------------------------------------------------------------------------


def is_open(draft: Draft, now=None) -> bool:
    now = now or timezone.now()
    return draft.is_published and draft_opens_at(draft) <= now < draft.closes_at


def draft_opens_at(draft: Draft):
    return start_of_day(draft.opens_on)


def public_drafts(body) -> QuerySet:
    return Draft.objects.filter(body=body, is_published=True).order_by("-opens_on", "-pk")


def public_draft(site: Site, pk) -> Draft:
    draft = Draft.objects.filter(pk=_int(pk), body=site.body, is_published=True).first()
    if draft is None or timezone.now() < draft_opens_at(draft):
        raise NotFound()
    return draft


def articles_of(draft: Draft) -> list[DraftArticle]:
    return list(DraftArticle.objects.filter(draft=draft).order_by("position"))


def shown_comments(draft: Draft) -> QuerySet:
    return DraftComment.objects.filter(draft=draft, status=DraftComment.Status.APPROVED).select_related("article")


def adoption_report(draft: Draft) -> list[dict]:
    """Per article (and the whole draft), the shown comments' adoption counts — what the portal publishes."""
    A = DraftComment.Adoption
    rows = (
        DraftComment.objects.filter(draft=draft, status=DraftComment.Status.APPROVED)
        .values("article_id")
        .annotate(
            total=Count("pk"),
            adopted=Count("pk", filter=Q(adoption=A.ADOPTED)),
            partly=Count("pk", filter=Q(adoption=A.PARTLY)),
            not_adopted=Count("pk", filter=Q(adoption=A.NOT_ADOPTED)),
        )
    )
    counts = {r["article_id"]: r for r in rows}
    zero = {"total": 0, "adopted": 0, "partly": 0, "not_adopted": 0}
    report = [{"article": None, **{k: counts.get(None, zero)[k] for k in zero}}]
    for article in articles_of(draft):
        report.append({"article": article, **{k: counts.get(article.pk, zero)[k] for k in zero}})
    return report


def office_drafts(user) -> QuerySet:
    return (
        Draft.objects.filter(body_id__in=perm.office_body_ids(user)).select_related("body").order_by("-opens_on", "-pk")
    )


def access_draft(user, pk) -> Draft:
    draft = Draft.objects.select_related("body").filter(pk=_int(pk)).first()
    if draft is None or not perm.is_office(user, draft.body):
        raise NotFound()
    return draft


def office_comments(draft: Draft, *, status: str = "") -> QuerySet:
    qs = DraftComment.objects.filter(draft=draft).select_related("article")
    if status in DraftComment.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "pk")


def office_body(user, body_id) -> OrgUnit:
    if _int(body_id) not in perm.office_body_ids(user):
        raise NotFound()
    return OrgUnit.objects.get(pk=_int(body_id))


def bodies_by_id(ids) -> list[OrgUnit]:
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))


def site_columns(site: Site) -> list:
    """The public top-level columns of the site's body (the choices of its menu)."""
    return list(_public_top_columns(site.body))


def editable_sites(user) -> QuerySet:
    qs = Site.objects.select_related("body").order_by("body__path", "pk")
    if perm.is_system_administrator(user):
        return qs
    return qs.filter(body_id__in=perm.office_body_ids(user))


def access_editable_site(user, pk) -> Site:
    site = Site.objects.select_related("body").filter(pk=_int(pk)).first()
    if site is None or not perm.may_edit_site(user, site):
        raise NotFound()
    return site


def site_for_body(request, body) -> Site | None:
    """The site a public page about `body` is shown in (look, menu, links): the body's own site or its county's
    (`site_of_body`); the request's own site object when the page was asked for under that site's host name (so that
    its links stay at "/"), else the site reached by its path."""
    site = site_of_body(body) if body is not None else None
    chosen = getattr(request, "site", None)
    if site is not None and chosen is not None and chosen.pk == site.pk:
        return chosen
    return site


def default_site() -> Site | None:
    return Site.objects.select_related("body").filter(is_default=True, is_active=True).first()
