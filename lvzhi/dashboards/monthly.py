"""Monthly sums of the general daily roll-up (`core.DailyCount` → `MonthCount`), for the province-wide case-flow
dashboards: a month bucket (source, body, unit, month) is recounted from its daily rows — never incremented —
whenever `lvzhi.core.rollup` recounts one of its days (hook `core.rollup.recounted`, same transaction) or
rebuilds a source (hook `core.rollup.rebuilt`). `from_daily()` is the definition the tests compare the table with."""

import datetime as dt
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from lvzhi.core.models import DailyCount

from . import summaries
from .models import MonthCount
from .rollup import next_month


def recounted(*, source: str, body_id: int, unit_id: int, day: dt.date, **kwargs) -> None:
    """Hook `core.rollup.recounted`: recount the month of that day for that unit (three queries), then its body
    and unit-year summaries (`summaries.recount`)."""
    month = day.replace(day=1)
    rows = (
        DailyCount.objects.filter(
            source=source, body_id=body_id, unit_id=unit_id, day__gte=month, day__lt=next_month(month)
        )
        .values("metric")
        .annotate(n=Sum("n"))
        .order_by()
    )
    with transaction.atomic():
        MonthCount.objects.filter(source=source, body_id=body_id, unit_id=unit_id, month=month).delete()
        MonthCount.objects.bulk_create(
            MonthCount(source=source, body_id=body_id, unit_id=unit_id, month=month, metric=r["metric"], n=r["n"])
            for r in rows
            if r["n"]
        )
        summaries.recount(source=source, body_id=body_id, unit_id=unit_id, month=month)


def from_daily(source: str, *, since: dt.date | None = None) -> dict[tuple, int]:
    """Every month bucket of `source` summed from the daily rows: {(body, unit, month, metric): n}."""
    rows = DailyCount.objects.filter(source=source)
    if since is not None:
        rows = rows.filter(day__gte=since.replace(day=1))
    grouped = (
        rows.annotate(month=TruncMonth("day"))
        .values("body_id", "unit_id", "month", "metric")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return {(r["body_id"], r["unit_id"], _date(r["month"]), r["metric"]): r["total"] for r in grouped if r["total"]}


def _date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def stored(source: str) -> dict[tuple, int]:
    return {(r.body_id, r.unit_id, r.month, r.metric): r.n for r in MonthCount.objects.filter(source=source)}


def rebuilt(*, source: str, since: dt.date | None = None, **kwargs) -> None:
    """Hook `core.rollup.rebuilt`: rewrite the source's months from `since`'s month on (all without `since`)."""
    counts = from_daily(source, since=since)
    with transaction.atomic():
        old = MonthCount.objects.filter(source=source)
        if since is not None:
            old = old.filter(month__gte=since.replace(day=1))
        old.delete()
        MonthCount.objects.bulk_create(
            (
                MonthCount(source=source, body_id=b, unit_id=u, month=m, metric=k, n=n)
                for (b, u, m, k), n in counts.items()
            ),
            batch_size=5000,
        )
        summaries.rebuild(source, since=since)


def fill_if_empty(now=None) -> int:
    """Tick job: a deployment that had daily counts before this table existed gets its months once."""
    if MonthCount.objects.exists() or not DailyCount.objects.exists():
        return 0
    sources = DailyCount.objects.values_list("source", flat=True).distinct()
    for source in list(sources):
        rebuilt(source=source)
    return MonthCount.objects.count()


def totals(
    source: str,
    *,
    body_ids: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
    since: dt.date,
    until: dt.date,
    by_month: bool = False,
    per_unit: bool = False,
) -> list[dict]:
    """Summed counts of `source` for the months from `since`'s to `until`'s: rows {"metric", "n"} plus "period"
    (by_month) and "unit_id" (per_unit) — like `core.rollup.totals`, one query on the monthly rows."""
    rows = MonthCount.objects.filter(source=source, month__gte=since.replace(day=1), month__lte=until)
    if body_ids is not None:
        rows = rows.filter(body_id__in=list(body_ids))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    keys = ["metric"]
    if by_month:
        rows, keys = rows.annotate(period=models.F("month")), [*keys, "period"]
    if per_unit:
        keys.append("unit_id")
    return list(rows.values(*keys).annotate(n=Sum("n")).order_by(*keys))
