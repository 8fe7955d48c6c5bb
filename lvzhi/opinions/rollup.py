"""The daily statistics roll-up (`DailyStat`): exact at every commit, rebuildable, equal to a full recount.

Every save of a `Report` (all of them go through the services: `save(update_fields=...)` or the workflow's
transition) recounts, in the same transaction, the (office, local day) buckets the report was in before the save
and is in after it: the days of its submission, forwarding and answer. A bucket is recounted from the reports
table (one aggregate query over one office and one day, on the statistics indexes), never incremented, so the
roll-up cannot drift. `rebuild()` (command `lvzhi rebuild_opinion_stats`) recounts everything.

Statistics over a period then read one row per office and day (two years: ~730 rows per office) instead of
aggregating every report of the period.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from lvzhi.core.timeutil import start_of_day

from .models import DailyStat, Report, Satisfaction

TRACKED = (
    "committee_id",
    "submitted_at",
    "forwarded_at",
    "forwarded_on_time",
    "answered_at",
    "status",
    "satisfaction",
    "wd_route",
    "wd_handle",
    "wd_feedback",
    "wd_total",
)
TRACKED_FIELDS = {name.removesuffix("_id") for name in TRACKED}
MOMENTS = ("submitted_at", "forwarded_at", "answered_at")
STEPS = ("route", "handle", "feedback", "total")


def _day(moment) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def buckets_of(values: dict) -> set[tuple[int, dt.date]]:
    committee = values.get("committee_id")
    if committee is None:
        return set()
    return {(committee, _day(values[m])) for m in MOMENTS if values.get(m) is not None}


def recount(committee_id: int, day: dt.date) -> None:
    """Recount one office's day from the reports and store it (a row of zeros is deleted)."""
    start, end = start_of_day(day), start_of_day(day + dt.timedelta(days=1))
    received = Q(submitted_at__gte=start, submitted_at__lt=end)
    forwarded = Q(forwarded_at__gte=start, forwarded_at__lt=end)
    answered = Q(answered_at__gte=start, answered_at__lt=end)
    aggregates = {
        "received": Count("pk", filter=received),
        "forwarded": Count("pk", filter=forwarded),
        "forwarded_on_time": Count("pk", filter=forwarded & Q(forwarded_on_time=True)),
        **_answered_aggregates(answered),
    }
    row = Report.objects.filter(Q(committee_id=committee_id) & (received | forwarded | answered)).aggregate(
        **aggregates
    )
    row = {k: v or 0 for k, v in row.items()}
    if not any(row.values()):
        DailyStat.objects.filter(committee_id=committee_id, day=day).delete()
        return
    DailyStat.objects.update_or_create(committee_id=committee_id, day=day, defaults=row)


def _before_save(sender, instance: Report, update_fields=None, **kwargs):
    if update_fields is not None and not (set(update_fields) & TRACKED_FIELDS):
        instance._rollup_before = None
        return
    old = None
    if instance.pk is not None:
        old = Report.objects.filter(pk=instance.pk).values(*TRACKED).first()
    instance._rollup_before = buckets_of(old) if old else set()


def _after_save(sender, instance: Report, raw=False, **kwargs):
    before = getattr(instance, "_rollup_before", None)
    if before is None or raw:
        return
    instance._rollup_before = None
    now = {name: getattr(instance, name) for name in TRACKED}
    for committee_id, day in sorted(before | buckets_of(now)):
        recount(committee_id, day)


def connect():
    pre_save.connect(_before_save, sender=Report, dispatch_uid="opinions.rollup.before")
    post_save.connect(_after_save, sender=Report, dispatch_uid="opinions.rollup.after")


def _answered_aggregates(answered=None) -> dict:
    flt = answered or Q()
    aggregates = {
        "handled": Count("pk", filter=answered),
        "closed": Count("pk", filter=flt & Q(status=Report.Status.CLOSED)),
        "rated": Count("pk", filter=flt & ~Q(satisfaction="")),
        "satisfied": Count("pk", filter=flt & Q(satisfaction=Satisfaction.SATISFIED)),
        "basically": Count("pk", filter=flt & Q(satisfaction=Satisfaction.BASICALLY)),
        "unsatisfied": Count("pk", filter=flt & Q(satisfaction=Satisfaction.UNSATISFIED)),
    }
    for step in STEPS:
        aggregates[f"{step}_sum"] = Sum(f"wd_{step}", filter=answered)
        aggregates[f"{step}_n"] = Count(f"wd_{step}", filter=answered)
    return aggregates


@transaction.atomic
def rebuild(report_model=Report, stat_model=DailyStat) -> int:
    """Recount the whole roll-up from the reports (three grouped queries); returns the number of rows.
    (The models are parameters for the migration that fills the table, which passes its historical models.)"""
    tz = timezone.get_current_timezone()
    reports = report_model.objects.filter(committee__isnull=False)
    rows: dict[tuple, dict] = {}

    def add(moment, aggregates):
        grouped = (
            reports.filter(**{f"{moment}__isnull": False})
            .annotate(d=TruncDate(moment, tzinfo=tz))
            .values("committee_id", "d")
            .annotate(**aggregates)
        )
        for row in grouped:
            key = (row.pop("committee_id"), row.pop("d"))
            rows.setdefault(key, {}).update({k: v or 0 for k, v in row.items()})

    add("submitted_at", {"received": Count("pk")})
    add("forwarded_at", {"forwarded": Count("pk"), "forwarded_on_time": Count("pk", filter=Q(forwarded_on_time=True))})
    add("answered_at", _answered_aggregates())
    stat_model.objects.all().delete()
    stat_model.objects.bulk_create(
        (stat_model(committee_id=c, day=d, **values) for (c, d), values in rows.items()), batch_size=5000
    )
    return len(rows)


def period_totals(committee_ids, date_from: dt.date, date_to: dt.date) -> dict[int, dict]:
    """Per office: the roll-up's sums over the days date_from..date_to (inclusive). One query."""
    fields = [f.name for f in DailyStat._meta.fields if f.name not in ("id", "committee", "day")]
    rows = (
        DailyStat.objects.filter(committee_id__in=committee_ids, day__gte=date_from, day__lte=date_to)
        .values("committee_id")
        .annotate(**{f"t_{name}": Sum(name) for name in fields})
    )
    return {row["committee_id"]: {name: row[f"t_{name}"] or 0 for name in fields} for row in rows}
