"""Reads of the new-media registry: the matrix, one account or filing, the lists of the office (duplicates,
closure, accountability, queue) and the public notices. Each list is one page of a bounded number of queries."""

import datetime as dt
from difflib import SequenceMatcher

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.permissions import units_q
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int
from lvzhi.core.timeutil import local_date
from lvzhi.orgs.models import OrgUnit

from . import permissions as perm
from . import rules
from .models import ACTIVE, WEBSITES, Filing, FilingKind, NameApproval, Outlet, OutletPerson, Platform, Rejection
from .services.common import HOST_KINDS

F = Filing.Status
DONE = (F.ACCEPTED, F.REPORTED)


def outlets(user):
    return Outlet.objects.filter(perm.visible_q(user))


def access_outlet(user, pk) -> Outlet:
    pk = query_int(pk)
    outlet = (
        outlets(user).select_related("host_unit", "competent_office", "body", "duplicate_of").filter(pk=pk).first()
        if pk
        else None
    )
    if outlet is None:
        raise NotFound()
    return outlet


def access_filing(user, pk) -> Filing:
    pk = query_int(pk)
    qs = Filing.objects.filter(perm.visible_q(user, "outlet__")).select_related(
        "outlet__host_unit", "outlet__competent_office", "unit", "office", "accepted_by", "reported_by", "merge_into"
    )
    filing = qs.filter(pk=pk).first() if pk else None
    if filing is None:
        raise NotFound()
    return filing


def access_rejection(user, pk) -> Rejection:
    pk = query_int(pk)
    qs = Rejection.objects.filter(perm.visible_q(user, "filing__outlet__")).select_related(
        "filing__outlet", "filing__unit", "filing__office", "issued_by"
    )
    doc = qs.filter(pk=pk).first() if pk else None
    if doc is None:
        raise NotFound()
    return doc


def host_units(user):
    """The units this user may register accounts for (never internal sub-units)."""
    ids = [
        a.unit_id for a in RoleAssignment.objects.filter(user=user, revoked_at__isnull=True, role__in=perm.UNIT_ROLES)
    ]
    units = OrgUnit.objects.filter(pk__in=ids, kind__in=HOST_KINDS, is_active=True).order_by("path")
    return [u for u in units if perm.hosts(user, u) and (u.is_body or u.parent_id == u.body_id)]


def eligible_people(unit) -> list[User]:
    """Users holding a new-media role at `unit` (S2-13), for the form's lists."""
    ids = RoleAssignment.objects.filter(unit=unit, revoked_at__isnull=True, role__in=perm.EDITOR_ROLES).values_list(
        "user_id", flat=True
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("real_name", "pk")[:100])


def _last_filing():
    return Filing.objects.filter(outlet=OuterRef("pk")).order_by("-created_at", "-pk")


def _late_filing():
    now = timezone.now()
    return Filing.objects.filter(outlet=OuterRef("pk")).filter(
        Q(on_time=False) | Q(status__in=(F.DECIDED, F.REJECTED), next_due_at__lte=now)
    )


def annotated(qs):
    """Outlets with their last filing (id, kind, status, day) and whether a filing is late or missing: no N+1."""
    last = _last_filing()
    return qs.annotate(
        last_filing_id=Subquery(last.values("pk")[:1]),
        last_filing_kind=Subquery(last.values("kind")[:1]),
        last_filing_status=Subquery(last.values("status")[:1]),
        last_filing_at=Subquery(last.values("created_at")[:1]),
        late=Exists(_late_filing()),
        filed_ok=Exists(Filing.objects.filter(outlet=OuterRef("pk"), kind=FilingKind.OPEN, status__in=DONE)),
    )


def _people_prefetch():
    return Prefetch("people", queryset=OutletPerson.objects.select_related("user").order_by("duty", "pk"))


def warnings_of(outlet, unit_names=None, unit_avatars=None) -> list[str]:
    """Codes of what is wrong with an account (shown in the matrix; the next issue inspects them)."""

    codes = []
    if outlet.name_approval == NameApproval.PENDING:
        codes.append("name_pending")
    if outlet.name_approval == NameApproval.REFUSED:
        codes.append("name_refused")
    if not outlet.in_matrix and outlet.status in ACTIVE:
        codes.append("outside_matrix")
    if outlet.duplicate_of_id:
        codes.append("duplicate")
    codes += _agreement_warnings(outlet)
    if getattr(outlet, "late", False):
        codes.append("filing_late")
    if outlet.status in ACTIVE and not getattr(outlet, "filed_ok", True) and outlet.status != "planned":
        codes.append("filing_missing")
    duties = {p.duty for p in outlet.people.all()}
    if outlet.status in ACTIVE and len(duties) < 4:
        codes.append("people_incomplete")
    codes += _consistency_warnings(outlet, unit_names, unit_avatars)
    return codes


def _agreement_warnings(outlet) -> list[str]:
    """An account run by an undertaking unit needs a live agreement: expired (or none), or expiring soon."""
    if not outlet.undertaking_unit:
        return []
    if not outlet.agreement_expires or outlet.agreement_expires <= local_date():
        return ["agreement_expired"]
    if outlet.agreement_expires <= local_date() + dt.timedelta(days=rules.AGREEMENT_WARN_DAYS):
        return ["agreement_expiring"]
    return []


def _consistency_warnings(outlet, unit_names, unit_avatars) -> list[str]:
    """A unit's accounts (websites aside) should share one name and one avatar; None: not checked."""
    codes = []
    if unit_names is not None and outlet.platform not in WEBSITES and len(unit_names.get(outlet.host_unit_id, ())) > 1:
        codes.append("name_inconsistent")
    if unit_avatars is not None and len(unit_avatars.get(outlet.host_unit_id, ())) > 1:
        codes.append("avatar_inconsistent")
    return codes


def matrix(user, *, page=None, body=None):
    """S1-3.1, S2-2: per body and unit, every platform with the account's status, last filing, people and
    warnings. A page of units, then their outlets in one query (+ one for people)."""
    visible = outlets(user)
    if body is not None:
        visible = visible.filter(body=body)
    unit_ids = visible.values("host_unit_id")
    units = OrgUnit.objects.filter(pk__in=unit_ids).select_related("body").order_by("path")
    page_obj = Paginator(units, rules.PAGE_SIZE).get_page(page)
    rows = list(
        annotated(visible.filter(host_unit__in=[u.pk for u in page_obj.object_list]))
        .select_related("host_unit", "competent_office")
        .prefetch_related(_people_prefetch())
        .order_by("host_unit__path", "platform", "pk")
    )
    names, avatars = {}, {}
    for o in rows:
        if o.status in ACTIVE and o.platform not in WEBSITES:
            names.setdefault(o.host_unit_id, set()).add(o.name)
            if o.avatar_sha256:
                avatars.setdefault(o.host_unit_id, set()).add(o.avatar_sha256)
    by_unit = {}
    for o in rows:
        o.warnings = warnings_of(o, names, avatars)
        by_unit.setdefault(o.host_unit_id, []).append(o)
    table = []
    for unit in page_obj.object_list:
        cells = []
        mine = by_unit.get(unit.pk, [])
        for platform in Platform:
            cells.append({"platform": platform, "outlets": [o for o in mine if o.platform == platform.value]})
        table.append({"unit": unit, "cells": cells, "outlets": mine})
    return page_obj, table


def duplicates(user, body=None) -> list[tuple[Outlet, Outlet, str]]:
    """S1-3.1: pairs of active accounts of one body on one platform that are the same unit's or have similar
    names (compared within a platform, at most 500 accounts per body)."""
    qs = outlets(user).filter(status__in=ACTIVE).exclude(platform__in=WEBSITES).select_related("host_unit")
    if body is not None:
        qs = qs.filter(body=body)
    items = list(qs.order_by("body_id", "platform", "pk")[:500])
    pairs = []
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if a.body_id != b.body_id or a.platform != b.platform:
                continue
            if a.host_unit_id == b.host_unit_id:
                pairs.append((a, b, "same_unit"))
            elif SequenceMatcher(None, a.name, b.name).ratio() >= rules.SIMILARITY:
                pairs.append((a, b, "similar_name"))
    return pairs


def closure_list(user, *, page=None):
    """S1-3.1: active accounts outside the matrix or marked as duplicates, to be closed."""
    qs = (
        outlets(user)
        .filter(status__in=ACTIVE)
        .filter(Q(in_matrix=False) | Q(duplicate_of__isnull=False))
        .select_related("host_unit", "duplicate_of")
        .order_by("host_unit__path", "platform", "pk")
    )
    return Paginator(qs, rules.PAGE_SIZE).get_page(page)


def accountability(user, *, page=None):
    """S2-41, issue 16: every account whose filing is missing (open without an accepted opening filing) or late
    (filed after the limit, or its running filing overdue)."""
    qs = annotated(outlets(user)).filter(Q(late=True) | Q(filed_ok=False, status__in=("open", "changing", "closing")))
    qs = qs.select_related("host_unit", "competent_office").order_by("host_unit__path", "platform", "pk")
    return Paginator(qs, rules.PAGE_SIZE).get_page(page)


def accountable_outlet_ids(body) -> list[int]:
    """For the next issue's assessment: ids of the body's accounts in the accountability list."""
    qs = annotated(Outlet.objects.filter(body=body)).filter(
        Q(late=True) | Q(filed_ok=False, status__in=("open", "changing", "closing"))
    )
    return list(qs.values_list("pk", flat=True))


def office_queue(user, *, page=None):
    """Filings this user's office is to review (filed) or report upward (accepted), oldest due first."""

    qs = (
        Filing.objects.filter(units_q(user, Role.NM_COMPETENT, "office"))
        .filter(status__in=(F.FILED, F.ACCEPTED))
        .select_related("outlet", "unit")
        .order_by("next_due_at", "pk")
    )
    return Paginator(qs, rules.PAGE_SIZE).get_page(page)


def filings_of(outlet):
    return (
        outlet.filings.select_related("accepted_by", "reported_by")
        .prefetch_related("rejections")
        .order_by("-created_at", "-pk")[:50]
    )


def public_notices(*, page=None, today=None):
    """The public notices of changes, closings and cancellations (S2-17, S1-3.2), current first (no login)."""
    today = today or local_date()
    qs = (
        Filing.objects.filter(notice_from__isnull=False, notice_from__lte=today)
        .filter(notice_until__gte=today - dt.timedelta(days=90))
        .select_related("outlet", "unit")
        .order_by("-notice_from", "-pk")
    )
    return Paginator(qs, rules.PAGE_SIZE).get_page(page)


def outlets_named(names) -> list[Outlet]:
    """Active outlets with these names, unfiltered (for other modules' demo data; never for a user's page)."""
    return list(
        Outlet.objects.filter(name__in=list(names), status__in=ACTIVE)
        .select_related("host_unit", "competent_office", "body")
        .order_by("pk")
    )


def active_outlets(*, office=None, unit_ids=None):
    """Active outlets of a competent office or of the given host units, for the inspections module (issue 16)."""
    qs = Outlet.objects.filter(status__in=ACTIVE).select_related("host_unit", "competent_office")
    if office is not None:
        qs = qs.filter(competent_office=office)
    if unit_ids is not None:
        qs = qs.filter(host_unit_id__in=list(unit_ids))
    return qs.order_by("host_unit__path", "platform", "pk")


# ---- for the public's messages (lvzhi.letters): open sites and accounts anyone may write to ------------------------


def public_outlets():
    """Registered sites and accounts in operation, for the public's 纠错 and message form (no login)."""
    return (
        Outlet.objects.filter(status__in=["open", "changing"], duplicate_of__isnull=True)
        .select_related("host_unit")
        .order_by("host_unit__path", "platform", "pk")
    )


def public_outlet(pk) -> Outlet:
    pk = query_int(pk)
    outlet = public_outlets().filter(pk=pk).first() if pk else None
    if outlet is None:
        raise NotFound()
    return outlet
