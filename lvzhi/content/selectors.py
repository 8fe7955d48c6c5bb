"""Every read of content that is filtered for a user, and the fetch-and-authorise `access_*` functions.

Lists are bounded: feeds page by fetching one row more than shown (no COUNT over a large table), the other
queues use Django's paginator over indexed filters.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When

from lvzhi.accounts.permissions import active_assignments, units_q
from lvzhi.core import cache
from lvzhi.core.errors import NotFound
from lvzhi.core.paging import Slice, slice_page
from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.search import services as search
from lvzhi.workflow.selectors import with_open_deadline

from . import permissions as perms
from .models import (
    ActivityEvent,
    Article,
    Attachment,
    ChainStep,
    Column,
    ColumnChange,
    Favourite,
    MonitorReport,
    ReadRecord,
    RegisterEntry,
    ReviewStep,
    Revision,
    StepScope,
)
from .workflows import REPORT_DEADLINE

# The cached column lists of every scope; bumped whenever a column is saved or deleted (ContentConfig.ready).
COLUMNS_KEY = "content.columns"


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound()


# ---- columns -------------------------------------------------------------------------------------------------------


def column_by_code(body, code: str) -> Column | None:
    """The body's column with `code` (active or retired), or None. For other modules (e.g. the monthly digest)."""
    if body is None or not code:
        return None
    return Column.objects.filter(body=body, code=code).first()


def visible_columns(user) -> list[Column]:
    """The active columns the user may read, top-level first in order, each with `visible_children`. Cached on the
    user object for the request."""
    cached = getattr(user, "_content_columns", None)
    if cached is not None:
        return cached
    if not perms._authenticated(user):
        rows = []
    else:  # the same for every user of the same scope: kept in the shared cache until a column changes
        rows = cache.cached(
            COLUMNS_KEY,
            lambda: list(
                Column.objects.filter(perms.visible_column_filter(user))
                .select_related("maintainer", "disclosure_category")
                .order_by("body_id", "sort_order", "id")
            ),
            variant=perms.visible_column_scope(user),
        )
    by_id = {c.pk: c for c in rows}
    for column in rows:
        column.visible_children = []
    top = []
    for column in rows:
        if column.parent_id and column.parent_id in by_id:
            by_id[column.parent_id].visible_children.append(column)
        elif not column.parent_id:
            top.append(column)
    user._content_columns = top
    user._content_column_ids = list(by_id)
    return top


def visible_column_ids(user) -> list[int]:
    visible_columns(user)
    return user._content_column_ids


def access_column(user, code: str, *, body_id: int | None = None) -> Column:
    """A column the user may read, by code in the user's body (or `body_id`); else NotFound."""
    body_id = body_id or perms.body_id_of(user)
    for column in visible_columns(user):
        for c in [column, *column.visible_children]:
            if c.code == code and c.body_id == body_id:
                return c
    raise NotFound()


def columns_of_body(body) -> QuerySet:
    """All columns of a body (management pages), parents before children."""
    return (
        Column.objects.filter(body=body)
        .select_related("parent", "maintainer", "disclosure_category")
        .prefetch_related("owners", "chain")
        .order_by("parent_id", "sort_order", "id")
    )


def writable_columns(user) -> list[Column]:
    """Active columns in which the user may draft (as staff or head of an owning department)."""
    unit_ids = [a.unit_id for a in active_assignments(user) if a.role in perms.DRAFTER_ROLES]
    if not unit_ids or not perms._authenticated(user):
        return []
    return list(
        Column.objects.filter(is_active=True, owners__in=unit_ids)
        .select_related("parent")
        .distinct()
        .order_by("body_id", "parent_id", "sort_order", "id")
    )


# ---- feeds and search --------------------------------------------------------------------------------------------


LIST_FIELDS = (
    "id", "column_id", "body_id", "unit_id", "cover_id", "grade", "published_title", "published_summary",
    "published_at",
)  # fmt: skip


def mark_for_reader(user, articles: list) -> list:
    """Set `is_read` and `is_favourite` on a page of articles (one query: the UNION of two index-only look-ups of
    the page's ids; an EXISTS per row would make PostgreSQL hash all the reader's reading records first), and
    their columns from the reader's visible columns (no join)."""
    ids = [a.pk for a in articles]
    if not ids:
        return articles
    columns = {}
    for column in visible_columns(user):
        columns[column.pk] = column
        columns.update((child.pk, child) for child in column.visible_children)
    for article in articles:
        if article.column_id in columns:
            article.column = columns[article.column_id]
    reads = ReadRecord.objects.filter(user=user, article_id__in=ids).annotate(kind=Value("r"))
    favourites = Favourite.objects.filter(user=user, article_id__in=ids).annotate(kind=Value("f"))
    marks = reads.values_list("article_id", "kind").union(favourites.values_list("article_id", "kind"), all=True)
    read, kept = set(), set()
    for article_id, kind in marks:
        (read if kind == "r" else kept).add(article_id)
    for article in articles:
        article.is_read = article.pk in read
        article.is_favourite = article.pk in kept
    return articles


def readable_articles(user) -> QuerySet:
    """Live articles of the columns the user may read (not yet ordered or annotated)."""
    return Article.objects.filter(is_live=True, column_id__in=visible_column_ids(user))


def feed(user, *, column: Column | None = None) -> QuerySet:
    """Live articles the user may read, newest first; one column (with its sub-columns) or all. Page it with
    `page_of(qs, page, reader=user)` to get `is_read` and `is_favourite` on the rows."""
    qs = readable_articles(user)
    if column is not None:
        ids = [column.pk, *[c.pk for c in getattr(column, "visible_children", [])]]
        qs = qs.filter(column_id__in=ids)
    return qs.only(*LIST_FIELDS).order_by("-published_at", "-id")


def public_articles(body) -> QuerySet:
    """Live articles of the body's active columns whose audience is the public portal, newest first (for the
    portal module; no user filter)."""
    return (
        Article.objects.filter(is_live=True, body=body, column__is_active=True, column__audience="public")
        .select_related("column")
        .order_by("-published_at", "-id")
    )


def home_feed(user, *, limit: int = 10) -> list[Article]:
    """The newest items across the user's columns (the home page)."""
    if not visible_column_ids(user):
        return []
    # the newest live articles change only through audited services (publish, withdraw, expiry): kept between them;
    # what this reader has read or kept is marked on every visit
    newest = cache.cached(
        cache.WRITES_KEY, lambda: list(feed(user)[:limit]), timeout=600, variant=("content.home_feed", user.pk, limit)
    )
    return mark_for_reader(user, newest)


def search_articles(user, query: str, *, order: str = "recent") -> QuerySet:
    """Full-text search (Chinese, jieba) over the titles and texts of what the user may read: newest first, or
    best match first with order="relevance"."""
    query = " ".join((query or "").split())[:100]
    if not query:
        return Article.objects.none()
    narrowed = search.search_queryset(readable_articles(user), query)
    ordered = search.rank_order(narrowed, query) if order == "relevance" else narrowed.order_by("-published_at", "-id")
    return ordered.only(*LIST_FIELDS)


def page_of(qs, page, size: int = 20, *, reader=None) -> Slice:
    """One page of a queryset without counting the whole set: fetch one row more than shown. With `reader`, the
    rows (articles) get `is_read` and `is_favourite` for that user."""
    chunk = slice_page(qs, page, size)
    if reader is not None:
        mark_for_reader(reader, chunk.items)
    return chunk


def favourites_of(user) -> QuerySet:
    """The user's favourites (Favourite rows with their article) that are still live and readable, newest first."""
    return (
        Favourite.objects.filter(user=user, article__is_live=True, article__column_id__in=visible_column_ids(user))
        .select_related("article", "article__column")
        .order_by("-created_at", "-id")
    )


# ---- articles ----------------------------------------------------------------------------------------------------

ARTICLE_RELATED = (
    "column",
    "column__body",
    "column__disclosure_category",  # S1-4.1: which links an article page shows, without a query
    "body",
    "unit",
    "author",
    "current_step",
    "current_step__unit",
)


def _article(pk) -> Article | None:
    return Article.objects.select_related(*ARTICLE_RELATED).filter(pk=_int(pk)).first()


def access_article(user, pk) -> Article:
    """An article the user may read (live, audience) or work on (author's unit, reviewers, oversight);
    missing and forbidden are the same NotFound."""
    article = _article(pk)
    if article is None or not (perms.may_read(user, article) or perms.may_work_on(user, article)):
        raise NotFound()
    return article


def access_article_page(user, pk) -> Article:
    """`access_article` for the article page (a GET that changes nothing of the article): the article with its related
    rows kept under the version of `cache.WRITES_KEY` (every change of an article is audited, and every audited write
    bumps it), so that a reader's request costs no eight-table join. Permission is checked on every request."""
    pk = _int(pk)
    article = cache.cached(cache.WRITES_KEY, lambda: _article(pk), timeout=600, variant=("content.article", pk))
    if article is None or not (perms.may_read(user, article) or perms.may_work_on(user, article)):
        raise NotFound()
    return article


def access_live_article(user, pk) -> Article:
    """A live article the user may read (for reading, favourites and reports)."""
    article = _article(pk)
    if article is None or not perms.may_read(user, article):
        raise NotFound()
    return article


def access_work_article(user, pk) -> Article:
    """An article whose working copy the user may see (authors, reviewers, oversight)."""
    article = _article(pk)
    if article is None or not perms.may_work_on(user, article):
        raise NotFound()
    return article


def my_articles(user, *, state: str = "open") -> QuerySet:
    """Articles of the host units where the user drafts (their own and their colleagues'), newest change first."""
    q = Q(pk__in=[])
    for role in perms.DRAFTER_ROLES:
        q |= units_q(user, role)
    qs = Article.objects.filter(q | Q(author=user)).select_related("column", "unit", "author")
    if state == "open":
        qs = qs.exclude(status__in=[Article.Status.ARCHIVED, Article.Status.WITHDRAWN]).exclude(
            status=Article.Status.PUBLISHED
        )
    elif state == "published":
        qs = qs.filter(is_live=True)
    elif state == "closed":
        qs = qs.filter(status__in=[Article.Status.ARCHIVED, Article.Status.WITHDRAWN])
    return qs.order_by("-updated_at", "-id")


def review_queue(user) -> QuerySet:
    """Articles whose current step the user holds (review, approve or publish): emergency and rumour items first
    (S2-29), then the oldest submission first. The author's own articles are left out (no self-approval)."""
    if not perms._authenticated(user):
        return Article.objects.none()
    return (
        Article.objects.filter(
            perms.step_queue_filter(user), status__in=[Article.Status.IN_REVIEW, Article.Status.APPROVED]
        )
        .exclude(author=user)
        .exclude(submitted_by=user)
        .select_related("column", "unit", "author", "current_step", "current_step__unit")
        .order_by(Case(When(urgency="", then=1), default=0), "submitted_at", "id")
    )


def revisions_of(article) -> QuerySet:
    return Revision.objects.filter(article=article).select_related("created_by").order_by("-number")


def steps_of(article, revision_number: int | None = None) -> list[ReviewStep]:
    number = revision_number or article.revision_no
    return list(
        ReviewStep.objects.filter(article=article, revision__number=number)
        .select_related("unit", "decided_by")
        .order_by("position")
    )


def published_attachments(article) -> QuerySet:
    """The attachments that belong to the published version (not those added to a correction under review)."""
    revision = article.published_revision
    if revision is None:
        return Attachment.objects.none()
    return Attachment.objects.filter(
        article=article, removed_at__isnull=True, created_at__lte=revision.created_at
    ).order_by("id")


def readers_of(article) -> QuerySet:
    """Who read the article, when and how long (for its department and the oversight offices)."""
    return ReadRecord.objects.filter(article=article).select_related("user").order_by("-first_read_at", "-id")


def reading_stats(article) -> dict:
    return ReadRecord.objects.filter(article=article).aggregate(readers=Count("id"), seconds=Sum("seconds"))


# ---- the register ------------------------------------------------------------------------------------------------


def register_entries(
    user, *, unit_id: int | None = None, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet:
    """The publication register rows the user may see (S0-10), newest first; by department and period."""
    if not perms.may_see_register(user):
        return RegisterEntry.objects.none()
    qs = RegisterEntry.objects.filter(perms.register_filter(user))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if since:
        qs = qs.filter(published_at__gte=since)
    if until:
        qs = qs.filter(published_at__lt=until)
    return qs.select_related("unit").order_by("-published_at", "-id")


def register_units(user) -> list:
    """The departments the user may filter the register by."""
    unit_ids = RegisterEntry.objects.filter(perms.register_filter(user)).values("unit_id").distinct()
    return list(OrgUnit.objects.filter(pk__in=unit_ids).order_by("path"))


# ---- reports -----------------------------------------------------------------------------------------------------

REPORT_STATES = {"open": ["open", "contacted"], "closed": ["corrected", "removed", "dismissed"], "all": None}


def report_queue(user, *, state: str = "open") -> QuerySet:
    qs = MonitorReport.objects.filter(perms.report_queue_filter(user))
    statuses = REPORT_STATES.get(state)
    if statuses:
        qs = qs.filter(status__in=statuses)
    qs = with_open_deadline(qs, REPORT_DEADLINE)
    return qs.select_related("article", "reporter").order_by("-created_at", "-id")


def reports_by(user) -> QuerySet:
    return MonitorReport.objects.filter(reporter=user).select_related("article").order_by("-created_at", "-id")


def access_report(user, pk) -> MonitorReport:
    """A report: its handlers (the information office of the body) and its reporter see it."""
    report = (
        MonitorReport.objects.select_related("article", "article__column", "reporter", "office", "body")
        .filter(pk=_int(pk))
        .first()
    )
    if report is None or not (report.reporter_id == user.pk or perms.may_handle_report(user, report)):
        raise NotFound()
    return report


# ---- column changes ------------------------------------------------------------------------------------------------


def column_changes(user, body) -> QuerySet:
    if body is None or body.pk not in perms.column_admin_body_ids(user):
        return ColumnChange.objects.none()
    return (
        ColumnChange.objects.filter(body=body)
        .select_related("column", "proposed_by", "decided_by")
        .order_by("-created_at", "-id")
    )


def access_column_change(user, pk) -> ColumnChange:
    change = (
        ColumnChange.objects.select_related("body", "column", "proposed_by", "decided_by").filter(pk=_int(pk)).first()
    )
    if change is None or change.body_id not in perms.column_admin_body_ids(user):
        raise NotFound()
    return change


# ---- activity for the duty points (S0-20) --------------------------------------------------------------------------


def activity_events(
    *,
    user=None,
    body=None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    kinds: list[str] | None = None,
) -> QuerySet:
    """Activity events (S0-20): reading and favourites (each user × kind × article at most once), daily sign-ins
    (once a day) and posts (each once), oldest first. For the duty-points module: filter by user or body, kinds
    and a half-open period [since, until)."""
    qs = ActivityEvent.objects.all()
    if user is not None:
        qs = qs.filter(user=user)
    if body is not None:
        qs = qs.filter(body=body)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return qs.order_by("at", "id")


def activity_counts(*, user, since: dt.datetime | None = None, until: dt.datetime | None = None) -> dict[str, int]:
    """{"read": n, "favourite": m, "sign_in": s, "post": p} for the user in the period (one query)."""
    counts = dict.fromkeys(ActivityEvent.Kind.values, 0)
    for row in activity_events(user=user, since=since, until=until).order_by().values("kind").annotate(n=Count("id")):
        counts[row["kind"]] = row["n"]
    return counts


# ---- who holds each chain step (demo staffing, the back office's warnings) --------------------------------------


@dataclass(frozen=True)
class ChainNeed:
    """One step of one column's chain at one unit: `role` must be held there by someone other than the author."""

    column: Column
    position: int
    kind: str
    role: str
    unit: object  # OrgUnit, or None when the chain names an office the body does not have
    function: str = ""
    host: bool = False  # held at the host unit (or its section): needed only where someone drafts
    owner: object = None  # the owning department the step serves (host steps)


def host_office(unit):
    """The section of a department or committee (its 处室 / 工作处: the first active office unit right under it),
    else the unit itself (a body that does not model its sections)."""
    office = (
        OrgUnit.objects.filter(parent=unit, kind=UnitKind.OFFICE, is_active=True).order_by("sort_order", "pk").first()
    )
    return office or unit


def _host_offices(units) -> dict:
    """{unit id: its section} for the units that have one (as `host_office`, in one query)."""

    found = {}
    rows = OrgUnit.objects.filter(parent_id__in=[u.pk for u in units], kind=UnitKind.OFFICE, is_active=True)
    for office in rows.order_by("-sort_order", "-pk"):
        found[office.parent_id] = office  # the first in (sort_order, pk) order wins
    return found


def chain_needs(body) -> list[ChainNeed]:
    """Every (column, step, role, unit) the active columns of `body` declare: a step held at the host unit is
    needed at each owning department (any of them may host an article). Read from the chain rows, so a changed
    chain changes the needs. A few queries whatever the number of columns."""
    steps = (
        ChainStep.objects.filter(column__body=body, column__is_active=True)
        .select_related("unit")
        .order_by("column__sort_order", "column_id", "position")
    )
    columns = {c.pk: c for c in Column.objects.filter(body=body, is_active=True).prefetch_related("owners")}
    owners = {pk: [u for u in c.owners.all() if u.is_active] for pk, c in columns.items()}
    by_function: dict[str, object] = {}
    offices = _host_offices({u for units in owners.values() for u in units})
    needs = []
    for step in steps:
        hosts = [None]
        if step.scope == StepScope.HOST:
            hosts = owners.get(step.column_id, [])
            units = hosts
        elif step.scope == StepScope.HOST_OFFICE:
            hosts = owners.get(step.column_id, [])
            units = [offices.get(owner.pk, owner) for owner in hosts]
        elif step.scope == StepScope.BODY:
            units = [body]
        elif step.scope == StepScope.UNIT:
            units = [step.unit if step.unit is not None and step.unit.is_active else None]
        else:
            if step.function not in by_function:
                by_function[step.function] = unit_by_function(body, step.function)
            units = [by_function[step.function]]
        if step.scope in (StepScope.HOST, StepScope.HOST_OFFICE) and not units:
            units, hosts = [None], [None]  # a column nobody owns: nobody can write in it
        for unit, owner in zip(units, hosts, strict=False):
            needs.append(
                ChainNeed(
                    columns[step.column_id],
                    step.position,
                    step.kind,
                    step.role,
                    unit,
                    step.function,
                    host=step.scope in (StepScope.HOST, StepScope.HOST_OFFICE) and owner is not None,
                    owner=owner,
                )
            )
    return needs
