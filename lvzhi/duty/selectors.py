"""Reads of the duty module filtered for a user: fetch-and-authorise, queues, rankings, a member's year.

Ranks are 1 + the number of members with a higher total (tied members share a rank), read from the counters of
members per total (`TotalCount`, a few hundred rows per scope, kept by the scoring services): a member's three
ranks cost one query, a ranking page of the body, a committee or a sector one query for its size and the rank of
its first row, and one for its rows (deep pages start in the right band of totals, not by skipping rows).
"""

import datetime as dt
from collections import defaultdict

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import ExtractMonth

from lvzhi.accounts.models import MemberProfile
from lvzhi.accounts.selectors import active_profiles, profiles_of
from lvzhi.core.errors import NotFound
from lvzhi.core.timeutil import local_date
from lvzhi.orgs.models import OrgUnit

from . import permissions as perm
from .models import Attendance, Event, MemberYear, Objection, Record, RuleSet, Sample, TotalCount

R = Record.Status
MY_RECORDS_SHOWN = 300


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound()


def year_param(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return local_date().year
    return year if 2000 <= year <= 2100 else local_date().year


def body_of_user(user):
    """The body the user works in or is a member of (their unit's body)."""
    unit = getattr(user, "unit", None)
    if unit is None:
        return None
    return unit if unit.is_body else unit.body


def access_record(user, record_id) -> Record:
    rec = (
        Record.objects.select_related("body", "member", "unit", "organiser", "rule", "entered_by", "reviewed_by")
        .filter(pk=_int(record_id))
        .first()
    )
    if rec is None or not perm.may_view_record(user, rec):
        raise NotFound()
    return rec


def access_event(user, event_id) -> Event:
    event = Event.objects.select_related("body", "organiser").filter(pk=_int(event_id)).first()
    if event is None or not (perm.works_at(user, event.organiser) or perm.is_member_of(user, event.body)):
        raise NotFound()
    return event


def access_objection(user, objection_id) -> Objection:
    obj = Objection.objects.select_related("body", "member", "unit", "record").filter(pk=_int(objection_id)).first()
    if obj is None or not perm.may_view_objection(user, obj):
        raise NotFound()
    return obj


def access_member_year(user, body, member_id, year) -> MemberYear:
    my = (
        MemberYear.objects.select_related("member", "committee", "sector", "body")
        .filter(body=body, member_id=_int(member_id), year=year)
        .first()
    )
    if my is None or not perm.may_view_member(user, body, my.member, my.committee_id):
        raise NotFound()
    return my


def access_sample(user, sample_id) -> Sample:
    sample = Sample.objects.select_related("body", "drawn_by").filter(pk=_int(sample_id)).first()
    if sample is None or not perm.is_liaison(user, sample.body):
        raise NotFound()
    return sample


def access_unit(user, body, unit_id) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=_int(unit_id), body=body).first()
    if unit is None or not perm.works_at(user, unit):
        raise NotFound()
    return unit


# ---- ranks ----------------------------------------------------------------------------------------------------


TC = TotalCount.Scope


def ranks_of(my: MemberYear) -> dict:
    """{"body"|"committee"|"sector": (rank, size)} of a member in one query over the counters."""
    scopes = Q(scope=TC.BODY, unit_id=my.body_id)
    if my.committee_id is not None:
        scopes |= Q(scope=TC.COMMITTEE, unit_id=my.committee_id)
    if my.sector_id is not None:
        scopes |= Q(scope=TC.SECTOR, unit_id=my.sector_id)
    rows = {
        row["scope"]: row
        for row in TotalCount.objects.filter(scopes, body_id=my.body_id, year=my.year)
        .values("scope")
        .annotate(higher=Sum("members", filter=Q(total__gt=my.total)), size=Sum("members"))
    }
    ranks = {}
    for name, scope in (("body", TC.BODY), ("committee", TC.COMMITTEE), ("sector", TC.SECTOR)):
        row = rows.get(scope.value)
        ranks[name] = ((row["higher"] or 0) + 1, row["size"]) if row and row["size"] else (None, 0)
    return ranks


def rank_of(my: MemberYear, scope: str) -> tuple[int | None, int]:
    """(rank, size) of a member in the body, their committee or their sector."""
    return ranks_of(my)[scope]


def ranking(user, body, year: int, *, committee_id=None, sector_id=None):
    """The members the user may see, best first (a queryset; `ranking_page` pages it and adds the ranks)."""
    qs = MemberYear.objects.filter(perm.member_scope_q(user, body), year=year)
    if committee_id:
        qs = qs.filter(committee_id=committee_id)
    if sector_id:
        qs = qs.filter(sector_id=sector_id)
    return qs.select_related("member", "committee", "sector").order_by("-total", "id")


def _counted_scope(user, body, committee_id, sector_id):
    """The counters' scope that holds exactly the list's members, or None (a list the counters do not describe:
    a committee's office sees its committees' members and the user themself; both filters at once)."""
    if not perm.sees_whole_body(user, body) or (committee_id and sector_id):
        return None
    if committee_id:
        return TC.COMMITTEE, committee_id
    if sector_id:
        return TC.SECTOR, sector_id
    return TC.BODY, body.pk


def ranking_page(user, body, year: int, number, *, committee_id=None, sector_id=None, size=20):
    """(page, rows with `rank`) of the ranking. For a list of the body, a committee or a sector the counters give
    the list's size and where the page starts: its rows are read from the band of totals they begin in (an index
    range of the page's own length), never by skipping all the rows above it."""
    qs = ranking(user, body, year, committee_id=committee_id, sector_id=sector_id)
    scope = _counted_scope(user, body, committee_id, sector_id)
    paginator = Paginator(qs, size)
    if scope is None:
        page = paginator.get_page(number)
        return page, ranked_page(page, qs)
    bands = list(
        TotalCount.objects.filter(body_id=body.pk, year=year, scope=scope[0], unit_id=scope[1], members__gt=0)
        .order_by("-total")
        .values_list("total", "members")
    )
    paginator.count = sum(n for _t, n in bands)  # a cached_property: set, it is not counted again
    page = paginator.get_page(number)
    offset, above = page.start_index() - 1, 0
    for total, members in bands:
        if above + members > offset:
            rows = list(qs.filter(total__lte=total)[offset - above : offset - above + size])
            break
        above += members
    else:
        rows = []
    rank = above + 1
    for i, row in enumerate(rows):
        if i and row.total != rows[i - 1].total:
            rank = offset + i + 1
        row.rank = rank
    page.object_list = rows
    return page, rows


def ranked_page(page, qs):
    """Add `rank` to each row of a page of the ranking `qs` (competition ranks within the list shown): the first
    row's rank is one indexed count; every later row either ties with the one before it or ranks at its place."""
    rows = list(page.object_list)
    if not rows:
        return rows
    offset = page.start_index() - 1
    rank = qs.filter(total__gt=rows[0].total).count() + 1
    for i, row in enumerate(rows):
        if i and row.total != rows[i - 1].total:
            rank = offset + i + 1
        row.rank = rank
    return rows


# ---- my duty (我的履职) -----------------------------------------------------------------------------------------


def my_bodies(user) -> list:
    """The member's profiles, active first (kept on the user object for the request)."""
    return profiles_of(user)


def my_records(user, body, year: int):
    """The member's records of the year (withdrawn ones aside), newest first (index duty_record_member_year)."""
    return (
        Record.objects.filter(body=body, member=user, year=year)
        .exclude(status__in=[R.WITHDRAWN])
        .select_related("rule", "unit", "organiser")
        .order_by("-day", "-pk")
    )


def my_year(user, body, year: int, *, records: int = MY_RECORDS_SHOWN, all_records: list | None = None) -> dict:
    """The member's own year: total, ranks (body, committee, sector), the first `records` records (0: none, the
    page shows them a page at a time from `my_records`; `all_records`: the page already holds every record of the
    year, so the trend needs no query), the monthly trend and their objections. A fixed number of queries."""
    my = MemberYear.objects.select_related("committee", "sector").filter(body=body, member=user, year=year).first()
    if my is None:
        my = MemberYear(body=body, member=user, year=year, total=0)
        ranks = {"body": (None, 0), "committee": (None, 0), "sector": (None, 0)}
    else:
        ranks = ranks_of(my)
    rows = list(my_records(user, body, year)[:records]) if records else []
    every = all_records if all_records is not None else (rows if rows and len(rows) < records else None)
    if every is not None:  # every record of the year is at hand: the trend needs no query
        monthly = defaultdict(int)
        for rec in every:
            if rec.status == R.COUNTED:
                monthly[rec.day.month] += rec.points
    else:
        monthly = dict(
            Record.objects.filter(body=body, member=user, year=year, status=R.COUNTED)
            .annotate(m=ExtractMonth("day"))
            .values("m")
            .annotate(p=Sum("points"))
            .values_list("m", "p")
        )
    last_month = 12 if year < local_date().year else local_date().month
    running, trend = 0, []
    for month in range(1, last_month + 1):
        running += monthly.get(month, 0) or 0
        trend.append((f"{month}", running))
    objections = list(Objection.objects.filter(member=user, body=body, year=year).order_by("-created_at"))
    return {"my": my, "ranks": ranks, "records": rows, "trend": trend, "objections": objections}


# ---- queues ---------------------------------------------------------------------------------------------------


def entry_units(user, body) -> list:
    return perm.office_units(user, body)


def review_queue(user, body):
    """Pending records of the units the user heads, the nearest review deadline first (index duty_record_queue)."""
    units = [u.pk for u in perm.office_units(user, body) if perm.is_head(user, u)]
    return (
        Record.objects.filter(unit_id__in=units, status=R.PENDING)
        .select_related("member", "unit", "organiser")
        .order_by(F("next_due_at").asc(nulls_last=True), "day", "pk")
    )


def entered_by_units(user, body):
    units = [u.pk for u in perm.office_units(user, body)]
    return (
        Record.objects.filter(unit_id__in=units)
        .select_related("member", "unit", "organiser")
        .order_by("-entered_at", "-pk")
    )


def late_queue(user, body):
    if not perm.is_liaison(user, body):
        return Record.objects.none()
    return (
        Record.objects.filter(body=body, status=R.NEEDS_APPROVAL)
        .select_related("member", "unit", "organiser")
        .order_by("entered_at", "pk")
    )


def objection_queue(user, body):
    units = [u.pk for u in perm.office_units(user, body)]
    return (
        Objection.objects.filter(unit_id__in=units)
        .select_related("member", "unit", "record")
        .order_by("status", "next_due_at", "-created_at")
    )


def events_of(user, body):
    units = [u.pk for u in perm.office_units(user, body)]
    return (
        Event.objects.filter(organiser_id__in=units)
        .select_related("organiser")
        .annotate(
            invited=Count("attendances"),
            present=Count("attendances", filter=Q(attendances__status__in=["present", "late"])),
        )
        .order_by("-day", "-pk")
    )


def my_events(user, body):
    """The events the member is invited to (or checked in at), newest first."""
    return (
        Attendance.objects.filter(member=user, event__body=body)
        .select_related("event", "event__organiser")
        .order_by("-event__day", "-pk")
    )


def attendances(event):
    return event.attendances.select_related("member").order_by("status", "member__real_name", "pk")


def rulesets(body):
    return RuleSet.objects.filter(body=body).order_by("-year", "-version")


def samples(body):
    return Sample.objects.filter(body=body).select_related("drawn_by").order_by("-year", "-quarter")


def profiles(user, body, *, q: str = ""):
    """The member profiles the user keeps: all of the body for the members' work committee, their committee's
    members for a committee."""
    qs = MemberProfile.objects.filter(body=body, is_active=True).select_related("user", "committee", "sector")
    if not perm.is_liaison(user, body):
        committees = perm.committees_of(user, body)
        qs = qs.filter(committee_id__in=committees) if committees else qs.none()
    if q:
        qs = qs.filter(Q(user__real_name__icontains=q) | Q(user__phone=q))
    return qs.order_by("user__real_name", "pk")


def access_profile(user, profile_id) -> MemberProfile:
    profile = (
        MemberProfile.objects.select_related("user", "body", "committee", "sector").filter(pk=_int(profile_id)).first()
    )
    if profile is None:
        raise NotFound()
    if not (perm.is_liaison(user, profile.body) or (profile.committee and perm.works_at(user, profile.committee))):
        raise NotFound()
    return profile


def members_for_entry(body):
    return MemberProfile.objects.filter(body=body, is_active=True).select_related("user").order_by("user__real_name")


def today() -> dt.date:
    return local_date()


def counted_records(member, body, year: int) -> list:
    """The member's reviewed (counted) records of a year, newest first: what a public disclosure may show (the
    deputies' pages read them; pending, rejected and superseded records are never shown)."""
    return list(
        Record.objects.filter(body=body, member=member, year=year, status=R.COUNTED)
        .select_related("organiser")
        .order_by("-day", "-pk")[:500]
    )


# ---- the leaders' dashboards (lvzhi.dashboards.performance): the roll-ups, never the records -----------------------


def points_distribution(body, year: int) -> list[tuple[int, int]]:
    """[(total points, members with that total)] of the body's year, by total, from `TotalCount`."""
    return list(
        TotalCount.objects.filter(body=body, year=year, scope=TotalCount.Scope.BODY, unit_id=body.pk, members__gt=0)
        .values_list("total", "members")
        .order_by("total")
    )


def members_with_records_per_unit(body, year: int, field: str, unit_ids) -> dict[int, int]:
    """Members with at least one record in the year per committee (`field="committee"`) or sector, from `MemberYear`."""
    rows = (
        MemberYear.objects.filter(body=body, year=year, records__gt=0, **{f"{field}__in": list(unit_ids)})
        .values(field)
        .annotate(n=Count("id"))
        .values_list(field, "n")
        .order_by()
    )
    return dict(rows)


def participation_by_year(body, first: int, last: int) -> dict[int, dict]:
    """{year: {"n": members with a record, "avg": their average points, "points": their sum}} from `MemberYear`."""
    rows = (
        MemberYear.objects.filter(body=body, year__gte=first, year__lte=last, records__gt=0)
        .values("year")
        .annotate(n=Count("id"), avg=Avg("total"), points=Sum("total"))
        .order_by()
    )
    return {r["year"]: r for r in rows}


def members_without_record(body, year: int, *, committees=None):
    """The body's active member profiles without any record in the year (a queryset, ordered for a page)."""
    has_record = MemberYear.objects.filter(body=body, year=year, member=OuterRef("user"), records__gt=0)
    return active_profiles(body, committees=committees).exclude(Exists(has_record))
