"""Reads of workflow history and deadlines. Overdue is a query, not a job."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.workdays.calendar import add_working_days

from .models import Deadline, WorkflowEvent


def history_of(obj) -> QuerySet:
    """The transitions of `obj`, oldest first, with their actors (one query)."""
    ct = ContentType.objects.get_for_model(obj)
    return WorkflowEvent.objects.filter(content_type=ct, object_id=obj.pk).select_related("actor").order_by("at", "id")


def open_deadlines(*, obj=None, kind: str | None = None, units=None, workflow: str | None = None) -> QuerySet:
    """Deadlines not yet met, filtered by object, kind, responsible units (ids or a queryset) and workflow."""
    qs = Deadline.objects.filter(met_at__isnull=True)
    if obj is not None:
        qs = qs.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if units is not None:
        qs = qs.filter(responsible_unit__in=units)
    if workflow is not None:
        qs = qs.filter(workflow=workflow)
    return qs.select_related("responsible_unit").order_by("due_at", "id")


def overdue(now: dt.datetime | None = None, **filters) -> QuerySet:
    """Open deadlines whose time is up (`due_at <= now`); a stopped clock is not overdue."""
    return open_deadlines(**filters).filter(due_at__lte=now or timezone.now(), paused_at__isnull=True)


def due_soon(now: dt.datetime | None = None, *, working_days: int = 1, **filters) -> QuerySet:
    """Open deadlines not yet overdue that end within `working_days` working days of `now`."""
    now = now or timezone.now()
    return open_deadlines(**filters).filter(
        due_at__gt=now, due_at__lte=add_working_days(now, working_days), paused_at__isnull=True
    )


def deadline_of(obj, kind: str) -> Deadline | None:
    """The open deadline of `kind` for `obj`, or else the latest one (met), or None."""
    ct = ContentType.objects.get_for_model(obj)
    qs = Deadline.objects.filter(content_type=ct, object_id=obj.pk, kind=kind)
    return qs.filter(met_at__isnull=True).first() or qs.order_by("-started_at", "-id").first()


def with_open_deadline(qs: QuerySet, kind, *, name: str = "deadline_due_at") -> QuerySet:
    """Annotate each row of `qs` with the `due_at` of its open deadline of `kind` (None if there is none).

    `kind` may also be a list of kinds: the earliest open one counts. Order a queue "overdue and due soon first"
    with `.order_by(F(name).asc(nulls_last=True), ...)`.
    """
    ct = ContentType.objects.get_for_model(qs.model)
    kinds = Q(kind=kind) if isinstance(kind, str) else Q(kind__in=list(kind))
    sub = (
        Deadline.objects.filter(kinds, content_type=ct, object_id=OuterRef("pk"), met_at__isnull=True)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return qs.annotate(**{name: Subquery(sub)})


def users_with_roles(unit, roles) -> list:
    """Active, unfrozen users holding one of `roles` at `unit` (or above it, reaching down): who to notify."""
    if unit is None or not roles:
        return []
    reach = Q(unit_id=unit.pk) | Q(include_descendants=True, unit_id__in=unit.ancestor_ids())
    user_ids = RoleAssignment.objects.filter(reach, role__in=list(roles), revoked_at__isnull=True).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True, is_frozen=False).order_by("pk"))
