"""Reads of the inspection module, each filtered for the user; lists are one page of a bounded number of queries."""

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone

from lvzhi.accounts.permissions import active_assignments
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int
from lvzhi.newmedia import selectors as newmedia_selectors
from lvzhi.orgs.models import OrgUnit

from . import permissions as perm
from . import rules
from .models import (
    AccountabilityAction,
    Assessment,
    DutyKind,
    OutletCheck,
    Rectification,
    Round,
    SecurityDuty,
    SelfInspection,
)


def _one(qs, pk):
    pk = query_int(pk)
    obj = qs.filter(pk=pk).first() if pk else None
    if obj is None:
        raise NotFound()
    return obj


def self_inspections(user, *, page=None, status=None):
    qs = SelfInspection.objects.filter(perm.visible_q(user)).select_related("unit", "office")
    if status:
        qs = qs.filter(status=status)
    return Paginator(qs.order_by("-year", "-quarter", "next_due_at", "pk"), rules.PAGE_SIZE).get_page(page)


def access_self(user, pk) -> SelfInspection:
    return _one(SelfInspection.objects.filter(perm.visible_q(user)).select_related("unit", "office"), pk)


def rounds(user, *, page=None):
    qs = Round.objects.filter(perm.office_q(user)).select_related("office", "version")
    qs = qs.annotate(n=Count("checks"), failed=Count("checks", filter=Q(checks__passed=False)))
    return Paginator(qs.order_by("-checked_on", "-pk"), rules.PAGE_SIZE).get_page(page)


def access_round(user, pk) -> Round:
    return _one(Round.objects.filter(perm.office_q(user)).select_related("office", "version"), pk)


def checks_of(round_):
    return list(round_.checks.select_related("outlet", "unit").order_by("unit__path", "outlet__platform", "outlet_id"))


def access_check(user, pk) -> OutletCheck:
    qs = OutletCheck.objects.filter(perm.office_q(user, "round__office"))
    return _one(qs.select_related("round__version", "round__office", "outlet", "unit"), pk)


def unit_checks(user, *, page=None):
    """The published results of the user's units' outlets (the unit's view of the office's checks)."""
    qs = OutletCheck.objects.filter(perm.visible_q(user, "unit", "round__office"), round__status=Round.Status.PUBLISHED)
    qs = qs.select_related("round", "outlet", "unit").order_by("-round__checked_on", "unit__path", "pk")
    return Paginator(qs, rules.PAGE_SIZE).get_page(page)


def fixes(user, *, page=None, state=None):
    qs = Rectification.objects.filter(perm.visible_q(user)).select_related("outlet", "unit", "item__indicator")
    if state == "overdue":
        qs = qs.filter(status=Rectification.Status.OPEN, next_due_at__lte=timezone.now())
    elif state:
        qs = qs.filter(status=state)
    return Paginator(qs.order_by("status", "next_due_at", "pk"), rules.PAGE_SIZE).get_page(page)


def access_fix(user, pk) -> Rectification:
    qs = Rectification.objects.filter(perm.visible_q(user)).select_related(
        "outlet", "unit", "office", "item__indicator", "item__outlet_check__round"
    )
    return _one(qs, pk)


def assessments(user, *, year, page=None):
    qs = Assessment.objects.filter(perm.visible_q(user), year=year).select_related("outlet", "unit", "version")
    return Paginator(qs.order_by("unit__path", "outlet__platform", "outlet_id"), rules.PAGE_SIZE).get_page(page)


def offices_of(user) -> list[OrgUnit]:
    """The competent offices where the user holds the office role."""
    ids = [a.unit_id for a in active_assignments(user) if a.role == "nm_competent"]
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("path"))


# ---- the accountability list (S2-41) -----------------------------------------------------------------------------


def accountability(user, office, *, page=None, today=None):
    """Units of the office with unfiled accounts (the registry's list), unfixed findings past their deadline, or
    serious failures (a veto or a failed check this year, a failed assessment last year), each with the actions
    taken about it. Computed over the office's units (bounded), paginated."""
    if not perm.at_office(user, office):
        raise NotFound()
    today = today or timezone.localdate()
    body = office.body or office
    reasons: dict[int, dict] = {}

    def add(unit_id, reason, n=1):
        reasons.setdefault(unit_id, {}).setdefault(reason, 0)
        reasons[unit_id][reason] += n

    unfiled = newmedia_selectors.accountable_outlet_ids(body)
    for unit_id in (
        newmedia_selectors.active_outlets(office=office).filter(pk__in=unfiled).values_list("host_unit_id", flat=True)
    ):
        add(unit_id, "unfiled")
    late = Rectification.objects.filter(
        office=office, status=Rectification.Status.OPEN, next_due_at__lte=timezone.now()
    )
    for row in late.values("unit_id").annotate(n=Count("pk")):
        add(row["unit_id"], "unfixed", row["n"])
    serious = OutletCheck.objects.filter(
        round__office=office, round__status=Round.Status.PUBLISHED, round__year=today.year, passed=False
    )
    for row in serious.values("unit_id").annotate(n=Count("pk")):
        add(row["unit_id"], "serious", row["n"])
    failed = Assessment.objects.filter(office=office, year=today.year - 1, passed=False)
    for row in failed.values("unit_id").annotate(n=Count("pk")):
        add(row["unit_id"], "serious", row["n"])
    units = OrgUnit.objects.filter(pk__in=list(reasons)).order_by("path")
    page_obj = Paginator(units, rules.PAGE_SIZE).get_page(page)
    ids = [u.pk for u in page_obj.object_list]
    since = today - dt.timedelta(days=366)
    actions = {}
    for a in AccountabilityAction.objects.filter(unit_id__in=ids, office=office, taken_on__gte=since).select_related(
        "taken_by"
    ):
        actions.setdefault(a.unit_id, []).append(a)
    rows = [{"unit": u, "reasons": reasons[u.pk], "actions": actions.get(u.pk, [])} for u in page_obj.object_list]
    return page_obj, rows


# ---- security duties (S1-3.4) -------------------------------------------------------------------------------------


def security_outlets(user, *, page=None):
    qs = newmedia_selectors.outlets(user).filter(status__in=("planned", "open", "changing", "closing"))
    page_obj = Paginator(qs.select_related("host_unit").order_by("host_unit__path", "platform", "pk"), 30).get_page(
        page
    )
    ids = [o.pk for o in page_obj.object_list]
    latest = {}
    for d in SecurityDuty.objects.filter(outlet_id__in=ids).order_by("outlet_id", "kind", "-done_on", "-pk"):
        latest.setdefault((d.outlet_id, d.kind), d)
    today = timezone.localdate()
    intervals = {}  # one body-setting read per body, not per outlet
    for o in page_obj.object_list:
        o.duties = {k: latest.get((o.pk, k)) for k in DutyKind.values}
        pw = o.duties.get(DutyKind.PASSWORD)
        body_id = o.host_unit.body_id or o.host_unit_id
        if body_id not in intervals:
            intervals[body_id] = rules.password_interval(o.host_unit)
        o.password_overdue = pw is None or pw.done_on + dt.timedelta(days=intervals[body_id]) < today
    return page_obj


def duties_of(outlet):
    return list(SecurityDuty.objects.filter(outlet=outlet).select_related("responsible")[:200])
