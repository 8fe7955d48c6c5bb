"""Reads of remote consultation filtered for a user: fetch-and-authorise, the member's list, the office's queue."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from lvzhi.accounts.models import User
from lvzhi.accounts.permissions import active_assignments
from lvzhi.core.errors import NotFound
from lvzhi.orgs.models import OrgUnit
from lvzhi.workdays import calendar

from . import permissions as perm
from .models import Invitation, Meeting

S = Meeting.Status


def _int(value) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < n < 2**31:
        raise NotFound()
    return n


def body_of_user(user):
    unit = getattr(user, "unit", None)
    if unit is None:
        return None
    return unit if unit.is_body else unit.body


def access_meeting(user, meeting_id) -> Meeting:
    meeting = (
        Meeting.objects.select_related("body", "unit", "organiser", "decided_by").filter(pk=_int(meeting_id)).first()
    )
    if meeting is None or not perm.may_view(user, meeting):
        raise NotFound()
    return meeting


def _annotated(qs):
    return qs.select_related("unit", "organiser").annotate(
        invited=Count("invitations", distinct=True),
        attended=Count("invitations", filter=Q(invitations__joined_at__isnull=False), distinct=True),
    )


def my_meetings(user, *, upcoming: bool = True):
    """The meetings the user organises, hosts for their department, or is invited to; upcoming ones first by start
    (live states), past ones latest first."""
    units = [a.unit_id for a in _office_assignments(user)]
    mine = Q(organiser=user) | Q(Exists(Invitation.objects.filter(meeting=OuterRef("pk"), user=user)))
    if units:
        mine |= Q(unit_id__in=units)
    qs = Meeting.objects.filter(mine)
    if upcoming:
        qs = qs.filter(status__in=[S.APPLIED, S.SCHEDULED]).order_by("starts_at", "pk")
    else:
        qs = qs.exclude(status__in=[S.APPLIED, S.SCHEDULED]).order_by("-starts_at", "-pk")
    return _annotated(qs)


def _office_assignments(user):

    return [a for a in active_assignments(user) if a.role in perm.OFFICE_ROLES and not a.unit.is_body]


def countdown(meeting, now=None) -> int:
    """Working days from today to the meeting day (the meeting day counts, today does not)."""
    return calendar.working_days_between(now or timezone.now(), meeting.starts_at)


def with_countdown(meetings, now=None) -> list:
    now = now or timezone.now()
    rows = list(meetings)
    for m in rows:
        m.countdown = countdown(m, now)
    return rows


def office_queue(user, body, *, status: str = S.APPLIED):
    """The information office's list of department meetings of the body (applications first)."""
    if not perm.may_see_queue(user, body):
        raise NotFound()
    qs = Meeting.objects.filter(body=body, kind=Meeting.Kind.DEPARTMENT)
    if status in S.values:
        qs = qs.filter(status=status)
    return _annotated(qs.order_by("starts_at", "pk"))


def invitations_of(meeting):
    return meeting.invitations.select_related("user").order_by("user__real_name", "pk")


def user_ids_by_phone(body, phones) -> list[int]:
    """Resolve phone numbers typed by the organiser to users of the body (unknown ones are left out and reported
    by the caller)."""
    return list(
        User.objects.filter(Q(unit=body) | Q(unit__body=body), phone__in=list(phones), is_active=True).values_list(
            "pk", flat=True
        )
    )


def inviteable_units(body):

    return OrgUnit.objects.filter(body=body, is_active=True).order_by("path")
