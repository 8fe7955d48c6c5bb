"""The on-time roll-up of every deadline rule of the platform (`DeadlineMonth`), for the accountability dashboard.

Every case kind's time limits are `lvzhi.workflow` `Deadline` rows (opinions, proposals and their handling units,
data-change requests, new-media filings, self-inspections and rectifications, duty-record entry and objections,
letters, topics…), so one roll-up over that table covers every module at once. A bucket is (responsible unit,
workflow, kind, month of the last day); its counts: due, met on time (before 24:00 of the last day), met late,
open, and open past the time (not paused: a stopped clock is not overdue).

Exact at every commit: `lvzhi.workflow.services` fires the hook `workflow.deadlines_changed(content_type,
object_id, before)` at the end of every `start`/`transition` (and after a calendar change moved deadlines);
`deadlines_changed` then recounts, in the same transaction, the buckets the object's deadlines were in before and
are in now — from the deadlines table, never by incrementing, so the roll-up cannot drift. "Overdue" also changes
with time alone: the tick job `dashboards.overdue` recounts the buckets of deadlines whose time ran out since its
last run (an index range on the open deadlines). `full_recount()` is the definition the tests compare the table
with; `lvzhi rebuild_deadline_stats` rewrites it from that (after a bulk load or any doubt). Every store and
rebuild carries on into the body and unit-year summaries (`deadline_summaries`) in the same transaction.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Count, ExpressionWrapper, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from lvzhi.core.timeutil import start_of_day
from lvzhi.workdays.calendar import due_date
from lvzhi.workflow.models import Deadline
from lvzhi.workflow.services import deadline_keys

from . import deadline_summaries
from .models import DeadlineMonth, RollupMark

Bucket = tuple[int, str, str, dt.date]  # (responsible unit id, workflow, kind, first day of the month)
COUNTS = ("due", "on_time", "late", "open", "overdue")
MARK = "dashboards.overdue"


def month_of(due_at: dt.datetime) -> dt.date:
    """The first day of the month holding the last day of a period that ends at `due_at`."""
    return due_date(due_at).replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def _bucket_q(bucket: Bucket) -> Q:
    unit_id, workflow, kind, month = bucket
    return Q(
        responsible_unit_id=unit_id,
        workflow=workflow,
        kind=kind,
        due_at__gt=start_of_day(month),
        due_at__lte=start_of_day(next_month(month)),
    )


def _aggregates(now: dt.datetime) -> dict:
    met = Q(met_at__isnull=False)
    return {
        "due": Count("pk"),
        "on_time": Count("pk", filter=met & Q(met_at__lt=F("due_at"))),
        "late": Count("pk", filter=met & Q(met_at__gte=F("due_at"))),
        "open": Count("pk", filter=Q(met_at__isnull=True)),
        "overdue": Count("pk", filter=Q(met_at__isnull=True, paused_at__isnull=True, due_at__lte=now)),
    }


def _count(where: Q, now: dt.datetime) -> dict[Bucket, dict]:
    """{bucket: {"body": id, counts…}} of the deadlines matching `where` (one GROUP BY query)."""
    last_moment = ExpressionWrapper(F("due_at") - dt.timedelta(microseconds=1), output_field=models.DateTimeField())
    rows = (
        Deadline.objects.filter(where, responsible_unit__isnull=False)
        .annotate(rollup_month=TruncMonth(last_moment))
        .values("responsible_unit_id", "responsible_unit__body_id", "workflow", "kind", "rollup_month")
        .annotate(**_aggregates(now))
        .order_by()
    )
    result = {}
    for row in rows:
        month = row["rollup_month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        key = (row["responsible_unit_id"], row["workflow"], row["kind"], month)
        result[key] = {"body": row["responsible_unit__body_id"], **{name: row[name] for name in COUNTS}}
    return result


def _store(buckets: Iterable[Bucket], counts: dict[Bucket, dict]) -> None:
    buckets = set(buckets)
    if not buckets:
        return
    stale = Q(pk__in=[])
    for unit_id, workflow, kind, month in buckets:
        stale |= Q(unit_id=unit_id, workflow=workflow, kind=kind, month=month)
    with transaction.atomic():
        DeadlineMonth.objects.filter(stale).delete()
        DeadlineMonth.objects.bulk_create(_rows(counts, buckets))
        deadline_summaries.recount(buckets)


def _rows(counts: dict[Bucket, dict], only: set[Bucket] | None = None) -> list[DeadlineMonth]:
    return [
        DeadlineMonth(
            body_id=c["body"] or unit_id,
            unit_id=unit_id,
            workflow=workflow,
            kind=kind,
            month=month,
            **{name: c[name] for name in COUNTS},
        )
        for (unit_id, workflow, kind, month), c in counts.items()
        if (only is None or (unit_id, workflow, kind, month) in only) and c["due"]
    ]


def recount(buckets: Iterable[Bucket], *, now: dt.datetime | None = None) -> None:
    """Recount these buckets from the deadlines table and store them (three queries whatever their number)."""
    buckets = {b for b in buckets if b[0] is not None}
    if not buckets:
        return
    where = Q(pk__in=[])
    for bucket in buckets:
        where |= _bucket_q(bucket)
    _store(buckets, _count(where, now or timezone.now()))


def deadlines_changed(*, content_type, object_id, before=(), **kwargs) -> None:
    """Hook `workflow.deadlines_changed`: recount the buckets of the object's deadlines, before and now."""
    keys = {*before, *deadline_keys(content_type, object_id)}
    recount({(unit, workflow, kind, month_of(due_at)) for unit, workflow, kind, due_at in keys})


# ---- full recounts and the tick job -----------------------------------------------------------------------------


def full_recount(*, now: dt.datetime | None = None) -> dict[tuple, dict]:
    """Every bucket counted from the deadlines table: {(body, unit, workflow, kind, month): {count: n}}."""
    counts = _count(Q(), now or timezone.now())
    return {(c["body"] or b[0], *b): {name: c[name] for name in COUNTS} for b, c in counts.items() if c["due"]}


def stored() -> dict[tuple, dict]:
    return {
        (r.body_id, r.unit_id, r.workflow, r.kind, r.month): {name: getattr(r, name) for name in COUNTS}
        for r in DeadlineMonth.objects.all()
    }


def rebuild(*, now: dt.datetime | None = None) -> int:
    """Rewrite the whole roll-up from the deadlines table; returns the number of rows."""
    now = now or timezone.now()
    rows = _rows(_count(Q(), now))
    with transaction.atomic():
        DeadlineMonth.objects.all().delete()
        DeadlineMonth.objects.bulk_create(rows, batch_size=2000)
        deadline_summaries.rebuild()
        RollupMark.objects.update_or_create(name=MARK, defaults={"at": now})
    return len(rows)


def refresh_overdue(now: dt.datetime | None = None) -> int:
    """Tick job: recount the buckets of the open deadlines whose time ran out since the last run (the first run
    counts everything). Returns how many buckets were recounted."""
    now = now or timezone.now()
    mark = RollupMark.objects.filter(name=MARK).first()
    if mark is None:
        return rebuild(now=now)
    if mark.at >= now:
        return 0
    buckets = {
        (unit, workflow, kind, month_of(due_at))
        for unit, workflow, kind, due_at in Deadline.objects.filter(
            met_at__isnull=True, due_at__gt=mark.at, due_at__lte=now, responsible_unit__isnull=False
        ).values_list("responsible_unit_id", "workflow", "kind", "due_at")
    }
    recount(buckets, now=now)
    RollupMark.objects.filter(name=MARK, at=mark.at).update(at=now)
    return len(buckets)
