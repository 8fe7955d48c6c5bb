"""Reads of feedback, filtered for the user who asks. A thing the user may not see is missing (NotFound)."""

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from lvzhi.core.errors import NotFound
from lvzhi.orgs.models import OrgUnit, UnitKind

from . import permissions as perm
from .models import Feedback

S = Feedback.Status
OPEN = (S.NEW,)


def mine(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return Feedback.objects.none()
    return Feedback.objects.filter(author=user).order_by("-created_at", "-pk")


def access(user, pk) -> Feedback:
    """The feedback `pk` if the user may see it; otherwise missing, exactly like a feedback that does not exist."""
    try:
        feedback = Feedback.objects.select_related("body", "author", "handled_by").get(pk=int(pk))
    except (Feedback.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
    if not perm.may_see(user, feedback):
        raise NotFound()
    return feedback


def by_lookup_code(code: str) -> Feedback:
    code = (code or "").strip().upper()[:8]
    feedback = Feedback.objects.filter(lookup_code=code, author__isnull=True).select_related("body").first()
    if len(code) != 8 or feedback is None:
        raise NotFound()
    return feedback


def log(
    user, *, status: str = "", kind: str = "", since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet:
    """The information office's log: open feedback first, the nearest time limit first; then the rest, newest first."""
    qs = Feedback.objects.filter(perm.handled_q(user)).select_related("body", "author")
    if status in S.values:
        qs = qs.filter(status=status)
    if kind in Feedback.Kind.values:
        qs = qs.filter(kind=kind)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    if status == S.NEW:
        return qs.order_by(F("next_due_at").asc(nulls_last=True), "created_at", "pk")
    return qs.order_by("-created_at", "-pk")


def figures(qs: QuerySet, now=None) -> dict:
    """How many by status, how many overdue and the average time to an answer, in one query over `qs`."""
    now = now or timezone.now()
    took = ExpressionWrapper(F("answered_at") - F("created_at"), output_field=DurationField())
    row = qs.order_by().aggregate(
        total=Count("pk"),
        new=Count("pk", filter=Q(status=S.NEW)),
        answered=Count("pk", filter=Q(status=S.ANSWERED)),
        changed=Count("pk", filter=Q(status=S.CHANGED)),
        closed=Count("pk", filter=Q(status=S.CLOSED)),
        overdue=Count("pk", filter=Q(status=S.NEW, next_due_at__lte=now)),
        on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_in_time=True)),
        timed=Count("pk", filter=Q(answered_at__isnull=False)),
        average=Avg(took, filter=Q(answered_at__isnull=False)),
    )
    average = row.pop("average")
    row["average_hours"] = round(average.total_seconds() / 3600, 1) if average is not None else None
    row["on_time_rate"] = round(100 * row["on_time"] / row["timed"]) if row["timed"] else None
    return row


def bodies_for_visitors() -> QuerySet:
    """The bodies a visitor may address feedback to (every active body of the installation)."""
    return OrgUnit.objects.filter(kind=UnitKind.BODY, is_active=True).order_by("path")


def body_for_visitor(pk) -> OrgUnit:
    try:
        return bodies_for_visitors().get(pk=int(pk))
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise NotFound() from None
