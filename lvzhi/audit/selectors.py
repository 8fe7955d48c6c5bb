"""Reads of the audit log. Only the audit administrator (三员: auditadmin) reads it; for anyone else it does not
exist (`NotFound`), the system and security administrators included."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import F, QuerySet

from lvzhi.accounts.permissions import may_read_audit_log
from lvzhi.core.errors import NotFound
from lvzhi.core.timeutil import start_of_day
from lvzhi.orgs.models import OrgUnit

from .models import AuditEvent

MASKED_PHONE = re.compile(r"^(1\d{2})\*{4}(\d{4})$")
FULL_PHONE = re.compile(r"^1\d{10}$")
PAGE_SIZE = 50


def _authorise(user) -> None:
    if not may_read_audit_log(user):
        raise NotFound()


def audit_events(user, *, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """The events the audit administrator asked for, newest first. `filters` are the cleaned filter-form values:
    date_from, date_to (dates, inclusive), event (a dotted-name prefix), actor (name, masked or full phone),
    object_type, object_id, org_unit (an id) and below (include the units under it)."""
    _authorise(user)
    filters = filters or {}
    qs = AuditEvent.objects.annotate(actor_phone=F("actor__phone")).order_by("-id")
    if filters.get("date_from"):
        qs = qs.filter(at__gte=start_of_day(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=start_of_day(filters["date_to"] + dt.timedelta(days=1)))
    if filters.get("event"):
        qs = qs.filter(event__startswith=filters["event"])
    actor = (filters.get("actor") or "").strip()
    if actor:
        masked = MASKED_PHONE.match(actor)
        if masked:
            qs = qs.filter(actor__phone__startswith=masked.group(1), actor__phone__endswith=masked.group(2))
        elif FULL_PHONE.match(actor):
            qs = qs.filter(actor__phone=actor)
        else:
            qs = qs.filter(actor_label__icontains=actor)
    if filters.get("object_type"):
        qs = qs.filter(object_type=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("org_unit"):
        unit_id = filters["org_unit"]
        if filters.get("below"):
            unit = OrgUnit.objects.filter(pk=unit_id).only("path").first()
            qs = (
                qs.filter(org_unit_id__in=OrgUnit.objects.filter(path__startswith=unit.path).values("id"))
                if unit
                else qs.none()
            )
        else:
            qs = qs.filter(org_unit_id=unit_id)
    return qs


def access_audit_event(user, event_id: int) -> AuditEvent:
    """One event for the audit administrator; `NotFound` for a missing event and for anyone else alike."""
    _authorise(user)
    event = AuditEvent.objects.annotate(actor_phone=F("actor__phone")).filter(pk=event_id).first()
    if event is None:
        raise NotFound()
    return event


@dataclass
class Page:
    rows: list
    newer: int | None  # pass as ?after= to see newer events
    older: int | None  # pass as ?before= to see older events


def keyset_page(qs: QuerySet, *, before: int | None = None, after: int | None = None, size: int = PAGE_SIZE) -> Page:
    """One page of a newest-first list by id (keyset: the cost does not grow with the page number)."""
    if after:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        newer = rows[0].id if rows and more_newer else None
        older = rows[-1].id if rows else None
        return Page(rows, newer, older)
    if before:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    older = rows[-1].id if rows and more_older else None
    newer = rows[0].id if rows and before else None
    return Page(rows, newer, older)


def unit_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    return dict(OrgUnit.objects.filter(id__in=ids).values_list("id", "name")) if ids else {}
