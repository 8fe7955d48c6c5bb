"""The general daily roll-up of case counts (`DailyCount`), for statistics pages and dashboards of any module.

A module registers a *source* once (from its AppConfig.ready()):

    register(Source(
        "proposals.proposal", Proposal, body="body_id", unit="office_id",
        metrics=[Metric("submitted", "submitted_at", by=("kind", "status")),
                 Metric("replied_on_time", "replied_at", when=Q(replied_on_time=True))]))

and the table then holds, per source, body, unit, local day (Asia/Shanghai) and metric, how many cases count:
a metric counts a case on the day of its `moment` (a DateTimeField), when the case matches `when`; `by` splits it
per value of a field with choices (`submitted.status:accepted`: the cases submitted that day now accepted), so the
same table answers "per body / unit / month / day / kind / state / on time" with a GROUP BY over a few hundred
rows per unit and year instead of a COUNT(*) over the case table.

Exact at every commit: every save and delete of a source's model (all of them go through the services) recounts,
in the same transaction, the buckets (body, unit, day) the case was in before and is in after — one aggregate
query over one unit and one day, on the case table's indexes — never increments, so the roll-up cannot drift.
`queryset.update()` bypasses signals: the tick job `core.rollup` recounts yesterday and today, and
`lvzhi rebuild_rollups` recounts everything (after a bulk load). `full_recount()` is the definition the tests
compare the table with.
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from . import hooks
from .models import DailyCount
from .timeutil import local_date, start_of_day


@dataclasses.dataclass(frozen=True)
class Metric:
    name: str
    moment: str  # the DateTimeField whose local day the case is counted on
    when: Q | None = None  # only the cases matching this filter
    by: tuple[str, ...] = ()  # fields with choices: one more count per value, named f"{name}.{field}:{value}"


@dataclasses.dataclass(frozen=True)
class Source:
    name: str  # "app.model"
    model: type[models.Model]
    body: str  # attname of the body (an id column)
    unit: str  # attname of the unit the case belongs to (may be null: stored as 0)
    metrics: tuple[Metric, ...]

    def __post_init__(self):
        object.__setattr__(self, "metrics", tuple(self.metrics))

    @property
    def moments(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.moment for m in self.metrics))

    def tracked(self) -> set[str]:
        """Field names whose change can move a count (a save with update_fields outside them recounts nothing)."""
        names = {self.body, self.unit, *self.moments}
        for metric in self.metrics:
            names.update(metric.by)
            if metric.when is not None:
                names.update(_q_fields(metric.when))
        return {n.removesuffix("_id") for n in names} | names

    def counts(self, window: Q) -> dict[str, Count]:
        """The filtered counts of every metric name (`window` restricts each moment: `window_of(moment)`)."""
        aggregates = {}
        for metric in self.metrics:
            base = window_of(metric.moment, window)
            if metric.when is not None:
                base &= metric.when
            aggregates[metric.name] = Count("pk", filter=base)
            for field in metric.by:
                for value in self.model._meta.get_field(field).choices or ():
                    aggregates[f"{metric.name}.{field}:{value[0]}"] = Count("pk", filter=base & Q(**{field: value[0]}))
        return aggregates


def _q_fields(q: Q) -> set[str]:
    names = set()
    for child in q.children:
        if isinstance(child, Q):
            names |= _q_fields(child)
        else:
            names.add(child[0].split("__")[0])
    return names


def window_of(moment: str, window: Q) -> Q:
    """`window` is written for the placeholder field "moment"; the same bounds on `moment`."""
    return Q(*[(k.replace("moment", moment, 1), v) for k, v in window.children], _connector=window.connector)


def day_window(day: dt.date) -> Q:
    return Q(moment__gte=start_of_day(day), moment__lt=start_of_day(day + dt.timedelta(days=1)))


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    _SOURCES[source.name] = source
    model = source.model
    uid = f"lvzhi.core.rollup:{source.name}"
    pre_save.connect(_before_save, sender=model, dispatch_uid=uid, weak=False)
    post_save.connect(_after_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_after_delete, sender=model, dispatch_uid=uid, weak=False)


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def _sources_of(model) -> list[Source]:
    return [s for s in _SOURCES.values() if s.model is model]


def _buckets(source: Source, values: dict) -> set[tuple[int, int, dt.date]]:
    body = values.get(source.body)
    if body is None:
        return set()
    unit = values.get(source.unit) or 0
    return {(body, unit, timezone.localtime(values[m]).date()) for m in source.moments if values.get(m) is not None}


def _values(source: Source, instance) -> dict:
    return {name: getattr(instance, name) for name in (source.body, source.unit, *source.moments)}


def _before_save(sender, instance, update_fields=None, raw=False, **kwargs):
    state = {}
    for source in _sources_of(sender):
        if raw or (update_fields is not None and not (set(update_fields) & source.tracked())):
            continue
        old = set()
        if instance.pk is not None:
            fields = (source.body, source.unit, *source.moments)
            row = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
            old = _buckets(source, row) if row else set()
        state[source.name] = old
    instance._lvzhi_rollup_before = state


def _after_save(sender, instance, raw=False, **kwargs):
    state = getattr(instance, "_lvzhi_rollup_before", None) or {}
    instance._lvzhi_rollup_before = None
    for name, old in state.items():
        source = _SOURCES[name]
        for bucket in old | _buckets(source, _values(source, instance)):
            recount(source, *bucket)


def _after_delete(sender, instance, **kwargs):
    for source in _sources_of(sender):
        for bucket in _buckets(source, _values(source, instance)):
            recount(source, *bucket)


def recount(source: Source, body_id: int, unit_id: int, day: dt.date) -> None:
    """Recount one bucket from the case table and store its non-zero metrics (three queries at most)."""
    window = day_window(day)
    inside = Q()
    for moment in source.moments:
        inside |= window_of(moment, window)
    unit = Q(**{source.unit: unit_id}) if unit_id else Q(**{f"{source.unit}__isnull": True})
    cases = source.model._base_manager.filter(Q(**{source.body: body_id}) & unit & inside)
    row = cases.aggregate(**source.counts(window))
    with transaction.atomic():
        DailyCount.objects.filter(source=source.name, body_id=body_id, unit_id=unit_id, day=day).delete()
        DailyCount.objects.bulk_create(
            DailyCount(source=source.name, body_id=body_id, unit_id=unit_id, day=day, metric=metric, n=n)
            for metric, n in row.items()
            if n
        )
        hooks.fire("core.rollup.recounted", source=source.name, body_id=body_id, unit_id=unit_id, day=day)


# ---- full recounts ----------------------------------------------------------------------------------------------


def full_recount(source: Source, *, since: dt.date | None = None) -> dict[tuple[int, int, dt.date, str], int]:
    """Every bucket counted from the case table (from local day `since` on): {(body, unit, day, metric): n}.
    One GROUP BY query per moment, whatever the number of cases."""
    result: dict[tuple[int, int, dt.date, str], int] = {}
    window = Q(moment__gte=start_of_day(since)) if since else Q(moment__isnull=False)
    for moment in source.moments:
        metrics = Source(
            source.name, source.model, source.body, source.unit, [m for m in source.metrics if m.moment == moment]
        )
        rows = (
            source.model._base_manager.filter(window_of(moment, window))
            .annotate(rollup_day=TruncDate(moment))
            .values(source.body, source.unit, "rollup_day")
            .annotate(**metrics.counts(window))
            .order_by()
        )
        for row in rows:
            body, unit, day = row.pop(source.body), row.pop(source.unit) or 0, row.pop("rollup_day")
            for metric, n in row.items():
                if n:
                    result[(body, unit, day, metric)] = n
    return result


def stored(source: Source, *, since: dt.date | None = None) -> dict[tuple[int, int, dt.date, str], int]:
    rows = DailyCount.objects.filter(source=source.name)
    if since:
        rows = rows.filter(day__gte=since)
    return {(r.body_id, r.unit_id, r.day, r.metric): r.n for r in rows}


def rebuild(names: Iterable[str] | None = None, *, since: dt.date | None = None, batch: int = 5000) -> int:
    """Recount the named sources (all by default), from local day `since` on (everything by default)."""
    written = 0
    for name in names or list(_SOURCES):
        source = _SOURCES[name]
        counts = full_recount(source, since=since)
        with transaction.atomic():
            old = DailyCount.objects.filter(source=name)
            if since:
                old = old.filter(day__gte=since)
            old.delete()
            rows = [
                DailyCount(source=name, body_id=b, unit_id=u, day=d, metric=m, n=n)
                for (b, u, d, m), n in counts.items()
            ]
            DailyCount.objects.bulk_create(rows, batch_size=batch)
            hooks.fire("core.rollup.rebuilt", source=name, since=since)
        written += len(counts)
    return written


def refresh_recent(now=None) -> int:
    """Tick job: recount yesterday and today (what a `queryset.update()` may have changed without signals); a
    source with no rows yet (a new deployment, a new source) is counted in full once."""
    written = 0
    for name, source in _SOURCES.items():
        empty = not DailyCount.objects.filter(source=name).exists()
        if empty and not source.model._base_manager.exists():
            continue
        written += rebuild([name], since=None if empty else local_date(now) - dt.timedelta(days=1))
    return written


# ---- reads ------------------------------------------------------------------------------------------------------


def totals(
    name: str,
    *,
    body_ids: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    metrics: Iterable[str] | None = None,
    period: str | None = None,
    per_unit: bool = False,
) -> list[dict]:
    """Summed counts of source `name`: rows {"metric", "n"} plus "period" (first day of the month or the day, with
    period="month"/"day") and "body_id", "unit_id" (per_unit=True). `until` is inclusive. One query."""
    rows = DailyCount.objects.filter(source=name)
    if body_ids is not None:
        rows = rows.filter(body_id__in=list(body_ids))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    if since is not None:
        rows = rows.filter(day__gte=since)
    if until is not None:
        rows = rows.filter(day__lte=until)
    if metrics is not None:
        rows = rows.filter(metric__in=list(metrics))
    keys = ["metric"]
    if period == "month":
        rows, keys = rows.annotate(period=TruncMonth("day")), [*keys, "period"]
    elif period == "day":
        rows, keys = rows.annotate(period=models.F("day")), [*keys, "period"]
    if per_unit:
        keys += ["body_id", "unit_id"]
    return list(rows.values(*keys).annotate(n=Sum("n")).order_by(*keys))


def pivot(rows: list[dict], *, key: str = "unit_id") -> dict:
    """{row[key]: {metric: n}} of `totals()` rows."""
    table: dict = defaultdict(dict)
    for row in rows:
        table[row.get(key)][row["metric"]] = row["n"]
    return dict(table)
