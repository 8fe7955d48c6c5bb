"""Reads of the monitoring module, each filtered for the user: findings (the host unit's and the office's queues,
with filters), one finding, the watched outlets and their item logs, crawl runs — and, for the annual assessment,
`assessment_facts` (plain records, no user filter: the assessment decides who sees its results)."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import F, Q

from lvzhi.accounts.permissions import units_q
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int
from lvzhi.core.timeutil import local_date
from lvzhi.workdays import calendar
from lvzhi.workflow.selectors import history_of

from . import permissions as perm
from . import rules
from .kinds import KINDS
from .models import CrawlRun, Finding, OutletItem, Source, Watch

S = Finding.Status


def findings(user):
    return Finding.objects.filter(perm.visible_q(user))


def access_finding(user, pk) -> Finding:
    pk = query_int(pk)
    finding = (
        findings(user)
        .select_related("outlet", "host_unit", "office", "body", "fixed_by", "verified_by")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if finding is None:
        raise NotFound()
    return finding


def _filtered(qs, *, status="", source="", kind="", veto="", outlet=None, host_unit=None, q=""):
    if status in S.values:
        qs = qs.filter(status=status)
    elif status == "active":
        qs = qs.filter(status__in=(S.OPEN, S.FIXED))
    if source in Source.values:
        qs = qs.filter(source=source)
    if kind in KINDS:
        qs = qs.filter(kind=kind)
    if veto == "1":
        qs = qs.filter(veto=True)
    if outlet:
        qs = qs.filter(outlet_id=outlet)
    if host_unit:
        qs = qs.filter(host_unit_id=host_unit)
    if q:
        qs = qs.filter(Q(summary__icontains=q) | Q(url__icontains=q))
    return qs


def _ordered(qs):
    return qs.select_related("outlet", "host_unit").order_by(F("next_due_at").asc(nulls_last=True), "-found_at", "-pk")


def my_findings(user, *, page=None, **filters):
    """The host unit's queue: findings of the units where the user is a new-media operator, chief editor or head."""
    q = Q(pk__in=[])
    for role in perm.UNIT_ROLES:
        q |= units_q(user, role, "host_unit")
    qs = _filtered(Finding.objects.filter(q) if perm._user(user) else Finding.objects.none(), **filters)
    return Paginator(_ordered(qs), rules.PAGE_SIZE).get_page(page)


def office_findings(user, *, page=None, **filters):
    """The competent office's queue: every finding of its outlets."""
    if not perm.is_office(user):
        return Paginator(Finding.objects.none(), rules.PAGE_SIZE).get_page(page)
    qs = _filtered(Finding.objects.filter(units_q(user, Role.NM_COMPETENT, "office")), **filters)
    return Paginator(_ordered(qs), rules.PAGE_SIZE).get_page(page)


def watches(user, *, page=None):
    qs = (
        Watch.objects.filter(perm.outlet_q(user))
        .select_related("outlet__host_unit", "outlet__competent_office")
        .order_by("outlet__host_unit__path", "outlet__platform", "pk")
    )
    return Paginator(qs, rules.PAGE_SIZE).get_page(page)


def access_watch(user, outlet_id) -> Watch:
    pk = query_int(outlet_id)
    watch = (
        Watch.objects.filter(perm.outlet_q(user))
        .select_related("outlet__host_unit", "outlet__competent_office", "outlet__body")
        .filter(outlet_id=pk)
        .first()
        if pk
        else None
    )
    if watch is None:
        raise NotFound()
    return watch


def items_of(watch: Watch, *, page=None):
    qs = OutletItem.objects.filter(outlet_id=watch.outlet_id).order_by("-published_at", "-pk")
    return Paginator(qs, rules.PAGE_SIZE).get_page(page)


def crawl_runs(watch: Watch, limit: int = 10):
    return list(CrawlRun.objects.filter(outlet_id=watch.outlet_id).order_by("-started_at", "-pk")[:limit])


def history(finding: Finding):
    return history_of(finding)


@dataclass(frozen=True)
class Fact:
    outlet_id: int | None
    host_unit_id: int
    kind: str
    veto: bool
    found_on: dt.date
    due_on: dt.date | None
    fixed_on: dt.date | None
    status: str
    summary: str
    link: str


def assessment_facts(outlet_ids, start: dt.date, end: dt.date) -> list[Fact]:
    """For the annual assessment (issue 16): every finding of the given outlets found in [start, end] (dismissed
    ones left out), as plain records. `due_on` is the last day of the running or last fix deadline; `fixed_on` the
    day the host unit reported the fix. Kind codes: `kinds.KINDS` (stable, listed in DEVELOPING.md)."""
    qs = (
        Finding.objects.filter(outlet_id__in=list(outlet_ids), found_at__date__gte=start, found_at__date__lte=end)
        .exclude(status=S.DISMISSED)
        .order_by("found_at", "pk")
    )
    facts = []
    for f in qs.iterator(chunk_size=500):
        facts.append(
            Fact(
                outlet_id=f.outlet_id,
                host_unit_id=f.host_unit_id,
                kind=f.kind,
                veto=f.veto,
                found_on=local_date(f.found_at),
                due_on=calendar.due_date(f.fix_due_at) if f.fix_due_at else None,
                fixed_on=local_date(f.fixed_at) if f.fixed_at else None,
                status=f.status,
                summary=f.summary,
                link=f"/monitoring/findings/{f.pk}/",
            )
        )
    return facts
