"""Analyses (S3-12, S0-19, S0-21): a committee's yearly analysis of its members, the members' work committee's of
all, and the evaluation of departments on organising members' use of the platform. Aggregate queries only: a
fixed number whatever the number of members."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Max, Min, Q, Sum

from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.workflow.models import Deadline

from .models import Attendance, Event, MemberYear, Objection, Record

BUCKETS = 10


@dataclass
class Analysis:
    year: int
    members: int = 0
    average: float = 0.0
    maximum: int = 0
    minimum: int = 0
    last_year_members: int = 0
    last_year_average: float = 0.0
    threshold: int = 0
    below: list = field(default_factory=list)
    below_count: int = 0
    distribution: list = field(default_factory=list)  # [(label, count)]
    by_committee: list = field(default_factory=list)  # [{"name", "members", "average"}]
    by_kind: list = field(default_factory=list)  # [{"kind", "records", "points"}]


def analyse(*, body, year: int, committee=None, threshold: int = 0, below_limit: int = 50) -> Analysis:
    qs = MemberYear.objects.filter(body=body, year=year)
    last = MemberYear.objects.filter(body=body, year=year - 1)
    records = Record.objects.filter(body=body, year=year, status=Record.Status.COUNTED)
    if committee is not None:
        qs, last = qs.filter(committee=committee), last.filter(committee=committee)
        records = records.filter(member__in=qs.values("member"))
    a = Analysis(year=year, threshold=threshold)
    agg = qs.aggregate(n=Count("id"), avg=Avg("total"), mx=Max("total"), mn=Min("total"))
    a.members, a.average = agg["n"], round(agg["avg"] or 0, 1)
    a.maximum, a.minimum = agg["mx"] or 0, agg["mn"] or 0
    lagg = last.aggregate(n=Count("id"), avg=Avg("total"))
    a.last_year_members, a.last_year_average = lagg["n"], round(lagg["avg"] or 0, 1)
    below = qs.filter(total__lt=threshold)
    a.below_count = below.count()
    a.below = list(below.select_related("member", "committee").order_by("total", "member_id")[:below_limit])
    width = max(1, (a.maximum - min(a.minimum, 0)) // BUCKETS + 1) if a.members else 1
    low = min(a.minimum, 0)
    counts = dict(
        qs.annotate(bucket=(F("total") - low) / width)
        .values("bucket")
        .annotate(n=Count("id"))
        .values_list("bucket", "n")
    )
    a.distribution = [
        (f"{low + i * width}–{low + (i + 1) * width - 1}", counts.get(i, 0))
        for i in range(BUCKETS)
        if i * width <= a.maximum - low
    ]
    if committee is None:
        a.by_committee = list(
            qs.values("committee__name").annotate(members=Count("id"), average=Avg("total")).order_by("committee__name")
        )
    a.by_kind = list(records.values("kind").annotate(records=Count("id"), points=Sum("points")).order_by("kind"))
    return a


def department_evaluation(*, body, year: int) -> list[dict]:
    """S0-21 and S0-19 per office and committee: events organised, invitations and reminders sent, members
    reached, participation rate, records entered and on time, objections answered and on time."""
    units = list(
        OrgUnit.objects.filter(body=body, kind__in=[UnitKind.OFFICE, UnitKind.COMMITTEE], is_active=True).order_by(
            "path"
        )
    )
    ids = [u.pk for u in units]
    events = dict(
        Event.objects.filter(organiser_id__in=ids, day__year=year)
        .values("organiser_id")
        .annotate(n=Count("id"))
        .values_list("organiser_id", "n")
    )
    reminders = dict(
        Event.objects.filter(organiser_id__in=ids, day__year=year)
        .values("organiser_id")
        .annotate(n=Sum("reminders_sent"))
        .values_list("organiser_id", "n")
    )
    att = {
        row["event__organiser_id"]: row
        for row in Attendance.objects.filter(event__organiser_id__in=ids, event__day__year=year)
        .values("event__organiser_id")
        .annotate(
            invited=Count("id"),
            reached=Count("member_id", distinct=True),
            present=Count("id", filter=Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE])),
        )
    }
    rec = {
        row["unit_id"]: row
        for row in Record.objects.filter(unit_id__in=ids, year=year)
        .exclude(source="auto")
        .values("unit_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    }
    obj = {
        row["unit_id"]: row
        for row in Objection.objects.filter(unit_id__in=ids, year=year)
        .exclude(status=Objection.Status.OPEN)
        .values("unit_id")
        .annotate(n=Count("id"), on_time=Count("id", filter=Q(on_time=True)))
    }
    overdue_entries = dict(
        Deadline.objects.filter(workflow="duty.event", responsible_unit_id__in=ids, met_at__isnull=True)
        .values("responsible_unit_id")
        .annotate(n=Count("id"))
        .values_list("responsible_unit_id", "n")
    )
    rows = []
    for u in units:
        a = att.get(u.pk, {})
        r = rec.get(u.pk, {})
        o = obj.get(u.pk, {})
        invited = a.get("invited", 0)
        rows.append(
            {
                "unit": u,
                "events": events.get(u.pk, 0),
                "invitations": invited,
                "reminders": reminders.get(u.pk) or 0,
                "reached": a.get("reached", 0),
                "participation": round(100 * a.get("present", 0) / invited, 1) if invited else None,
                "records": r.get("n", 0),
                "records_on_time": round(100 * r.get("on_time", 0) / r["n"], 1) if r.get("n") else None,
                "objections": o.get("n", 0),
                "objections_on_time": round(100 * o.get("on_time", 0) / o["n"], 1) if o.get("n") else None,
                "entries_open": overdue_entries.get(u.pk, 0),
            }
        )
    return rows
