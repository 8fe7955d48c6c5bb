"""Reads of the archive handling (S0-10), the disclosure data (S2-18, S2-27), the annual disclosure report's
figures (S2-6) and the emergency and rumour response times (S2-29)."""

import datetime as dt

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone

from lvzhi.core.errors import NotFound

from . import permissions as perms
from .models import (
    AnnualReport,
    ArchiveLoan,
    ArchiveRecord,
    Article,
    DisclosureCategory,
    MonitorReport,
    RegisterEntry,
    RepostSource,
)

ARCHIVE_STATES = ("all", "unfiled", "kept", "lent", "overdue", "destroy_req", "destroyed")


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound()
    if not 0 < number < 2**63:
        raise NotFound()
    return number


# ---- archive (S0-10) -----------------------------------------------------------------------------------------------


def _open_loans():
    return Prefetch("archive__loans", queryset=ArchiveLoan.objects.filter(returned_at__isnull=True), to_attr="open")


def archive_entries(user, *, state: str = "all", unit_id: int | None = None) -> QuerySet:
    """The register entries of the departments the user keeps (or oversees), with their archive state."""
    if not perms.may_see_register(user):
        return RegisterEntry.objects.none()
    qs = RegisterEntry.objects.filter(perms.register_filter(user))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    today = timezone.localdate()
    if state == "unfiled":
        qs = qs.filter(archive__isnull=True)
    elif state == "overdue":
        qs = qs.filter(archive__status=ArchiveRecord.Status.LENT, archive__loans__returned_at__isnull=True,
                       archive__loans__due_on__lt=today)  # fmt: skip
    elif state in ARCHIVE_STATES and state != "all":
        qs = qs.filter(archive__status=state)
    return qs.select_related("unit", "archive").prefetch_related(_open_loans()).order_by("-published_at", "-id")


def overdue_count(user) -> int:
    return archive_entries(user, state="overdue").count()


def access_archive_entry(user, pk) -> RegisterEntry:
    """One register entry with its archive record and loans; another department's answers as missing."""
    entry = (
        RegisterEntry.objects.select_related("unit", "body", "archive", "archive__kept_by")
        .select_related("archive__destruction_requested_by", "archive__destruction_approved_by")
        .filter(pk=_int(pk))
        .first()
    )
    if entry is None or not RegisterEntry.objects.filter(perms.register_filter(user), pk=entry.pk).exists():
        raise NotFound()
    return entry


def record_of(entry) -> ArchiveRecord | None:
    try:
        return entry.archive
    except ArchiveRecord.DoesNotExist:
        return None


def loans_of(record) -> QuerySet:
    if record is None:
        return ArchiveLoan.objects.none()
    return ArchiveLoan.objects.filter(record=record).select_related("lent_by", "returned_to").order_by("-lent_at")


# ---- disclosure catalogue and sources (S2-18, S2-27) -----------------------------------------------------------------


def categories_of(body) -> QuerySet:
    return DisclosureCategory.objects.filter(body=body, is_active=True).order_by("sort_order", "id")


def sources_of(body, *, active_only: bool = True) -> QuerySet:
    qs = RepostSource.objects.filter(body=body)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.select_related("created_by").order_by("-is_active", "name", "id")


# ---- the annual disclosure report (S2-6) ----------------------------------------------------------------------


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=tz), dt.datetime(year + 1, 1, 1, tzinfo=tz)


def disclosure_figures(unit, year: int) -> dict:
    """The figures of a unit's annual report, from its register and the reports on its items in `year`."""
    start, end = year_bounds(year)
    entries = RegisterEntry.objects.filter(unit=unit, published_at__gte=start, published_at__lt=end)
    items = entries.values("article_id").distinct().count()
    by_column = list(
        entries.values("column_name").annotate(n=Count("article_id", distinct=True)).order_by("-n", "column_name")
    )
    by_category = list(
        entries.values("category_name").annotate(n=Count("article_id", distinct=True)).order_by("-n", "category_name")
    )
    ended = RegisterEntry.objects.filter(unit=unit, ended_at__gte=start, ended_at__lt=end)
    reports = MonitorReport.objects.filter(article__unit=unit, created_at__gte=start, created_at__lt=end)
    report_counts = reports.aggregate(
        received=Count("id"),
        corrected=Count("id", filter=Q(status=MonitorReport.Status.CORRECTED)),
        removed=Count("id", filter=Q(status=MonitorReport.Status.REMOVED)),
        dismissed=Count("id", filter=Q(status=MonitorReport.Status.DISMISSED)),
    )
    urgent = Article.objects.filter(
        unit=unit, response_minutes__isnull=False, published_at__gte=start, published_at__lt=end
    ).exclude(urgency="")
    urgent_counts = urgent.aggregate(n=Count("id"), avg=Avg("response_minutes"), longest=Max("response_minutes"))
    return {
        "year": year,
        "unit": unit.name,
        "items": items,
        "publications": entries.count(),
        "corrections": entries.count() - items,
        "reposts": entries.filter(article__is_repost=True).values("article_id").distinct().count(),
        "by_column": [{"name": r["column_name"], "n": r["n"]} for r in by_column],
        "by_category": [{"name": r["category_name"], "n": r["n"]} for r in by_category],
        "withdrawn": ended.filter(status=RegisterEntry.Status.WITHDRAWN).values("article_id").distinct().count(),
        "expired": ended.filter(status=RegisterEntry.Status.EXPIRED).values("article_id").distinct().count(),
        "reports": report_counts,
        "urgent": {
            "n": urgent_counts["n"],
            "avg_minutes": round(urgent_counts["avg"]) if urgent_counts["avg"] is not None else None,
            "longest_minutes": urgent_counts["longest"],
        },
    }


def annual_reports(user) -> QuerySet:
    """The annual reports of the units the user keeps a register for, or of the bodies the user oversees (the same
    reach as the register: the fields `unit`, `body` are named alike)."""
    if not perms.may_see_register(user):
        return AnnualReport.objects.none()
    return (
        AnnualReport.objects.filter(perms.register_filter(user) | Q(created_by=user))
        .select_related("unit", "article", "created_by")
        .order_by("-year", "unit__path", "-id")
    )


# ---- emergency and rumour items (S2-29) ---------------------------------------------------------------------------


def urgent_items(user, *, year: int | None = None) -> QuerySet:
    bodies = perms.urgent_report_body_ids(user)
    if not bodies:
        return Article.objects.none()
    qs = Article.objects.filter(body_id__in=bodies).exclude(urgency="")
    if year:
        start, end = year_bounds(year)
        qs = qs.filter(event_noted_at__gte=start, event_noted_at__lt=end)
    return qs.select_related("unit", "column").order_by("-event_noted_at", "-id")


def urgent_summary(qs) -> dict:
    return qs.aggregate(
        n=Count("id"),
        answered=Count("id", filter=Q(response_minutes__isnull=False)),
        avg=Avg("response_minutes"),
        fastest=Min("response_minutes"),
        slowest=Max("response_minutes"),
    )
