"""Events with QR check-in (S3-6): the organiser opens an event and shows a QR code; the code is a URL with a
token = HMAC(event secret + SECRET_KEY, event id and 30-second window) that rotates every 30 s; the current and the
previous window are accepted, nothing older (a forwarded screenshot expires). A member checks in once; late
check-ins and leave requests (请假) are decided by the organiser; closing records the no-shows; entering makes the
duty records (within 5 working days of the activity, else the members' work committee approves them).
"""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, User
from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify
from lvzhi.workflow import services as wf

from .. import permissions as perm
from .. import rules
from ..models import Attendance, Event, Kind, Outcome, Source
from ..workflows import EVENT_FLOW
from .common import check_year_open, text
from .records import _day, create_record, is_late

A = Attendance.Status
E = Event.Status
EVENT_KINDS = (Kind.MEETING, Kind.ACTIVITY, Kind.TRAINING, Kind.SECTOR, Kind.STUDIO, Kind.SPEECH)
OUTCOME_OF = {A.PRESENT: Outcome.ATTENDED, A.LATE: Outcome.LATE, A.EXCUSED: Outcome.EXCUSED, A.ABSENT: Outcome.ABSENT}
INVITEES_MAX = 5000


def _window(now=None) -> int:
    return int((now or timezone.now()).timestamp()) // rules.QR_WINDOW_SECONDS


def _mac(event: Event, window: int) -> str:
    return salted_hmac(
        "lvzhi.duty.checkin", f"{event.pk}:{window}", secret=settings.SECRET_KEY + event.secret, algorithm="sha256"
    ).hexdigest()[:32]


def qr_token(event: Event, now=None) -> str:
    window = _window(now)
    return f"{window}.{_mac(event, window)}"


def token_valid(event: Event, token: str, now=None) -> bool:
    """The token of the current or the previous 30-second window: at most a minute old."""
    try:
        window_text, mac = str(token or "").split(".", 1)
        window = int(window_text)
    except ValueError:
        return False
    current = _window(now)
    if window not in (current, current - 1):
        return False
    return constant_time_compare(mac, _mac(event, window))


def seconds_left(now=None) -> int:
    now = now or timezone.now()
    return rules.QR_WINDOW_SECONDS - int(now.timestamp()) % rules.QR_WINDOW_SECONDS


@transaction.atomic
def open_event(*, actor, organiser, title, day, kind=Kind.MEETING, invitee_ids=()) -> Event:
    """The organiser opens an event for check-in and invites members of the body (inbox message each)."""
    if organiser is None or not perm.works_at(actor, organiser):
        raise NotFound()
    kind = str(kind or Kind.MEETING)
    if kind not in EVENT_KINDS:
        raise ValidationFailed(_("Choose the kind of activity."), code="kind_invalid")
    title = text(title, field="title", label=_("The title"), max_length=rules.TITLE_MAX)
    day = _day(day)
    check_year_open(organiser.body, day.year)
    ids = sorted({int(i) for i in invitee_ids})
    if len(ids) > INVITEES_MAX:
        raise ValidationFailed(_("Too many invitees."), code="too_many_invitees")
    members = set(
        MemberProfile.objects.filter(body=organiser.body, is_active=True, user_id__in=ids).values_list(
            "user_id", flat=True
        )
    )
    if set(ids) - members:
        raise ValidationFailed(_("Invite members of this body only."), code="invitee_invalid")
    event = Event.objects.create(
        body=organiser.body,
        organiser=organiser,
        kind=kind,
        title=title,
        day=day,
        secret=secrets.token_hex(32),
        created_by=actor,
    )
    Attendance.objects.bulk_create([Attendance(event=event, member_id=pk) for pk in ids])
    wf.start(event, actor=actor, workflow=EVENT_FLOW, event="open", audit_after={"invited": len(ids), "kind": kind})
    if ids:
        recipients = list(User.objects.filter(pk__in=ids))
        notify(
            recipients,
            title=_("Invitation: %(title)s") % {"title": title},
            body=_("On %(day)s. Scan the QR code at the venue to check in.") % {"day": day.isoformat()},
            link=f"/duty/events/{event.pk}/",
            event="duty.event.invite",
        )
    return event


@transaction.atomic
def remind_invitees(*, actor, event: Event) -> int:
    """Remind the invitees who have not checked in or asked for leave (S0-19: counted as mobilisation)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not perm.works_at(actor, event.organiser):
        raise NotFound()
    if event.status != E.OPEN:
        raise Conflict(_("The check-in is closed."), code="event_closed")
    ids = list(event.attendances.filter(status=A.INVITED).values_list("member_id", flat=True))
    event.reminders_sent += len(ids)
    event.save(update_fields=["reminders_sent"])
    audit("duty.event.remind", actor=actor, obj=event, org_unit=event.organiser, after={"reminded": len(ids)})
    if ids:
        recipients = list(User.objects.filter(pk__in=ids))
        title = event.title
        notify(
            recipients,
            title=_("Reminder: %(title)s") % {"title": title},
            link=f"/duty/events/{event.pk}/",
            event="duty.event.remind",
        )
    return len(ids)


def _attendance_for(event: Event, member) -> Attendance:
    att = Attendance.objects.select_for_update().filter(event=event, member=member).first()
    if att is not None:
        return att
    if not MemberProfile.objects.filter(body=event.body, user=member, is_active=True).exists():
        raise NotFound()
    try:
        with transaction.atomic():
            return Attendance.objects.create(event=event, member=member)
    except IntegrityError:
        return Attendance.objects.select_for_update().get(event=event, member=member)


@transaction.atomic
def check_in(*, actor, event_id, token: str) -> Attendance:
    """A member's check-in by the QR code: once, with a token of the current or previous window."""
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None or not perm.is_member_of(actor, event.body):
        raise NotFound()
    if not token_valid(event, token):
        raise ValidationFailed(
            _("This QR code has expired. Scan the code shown at the venue now."), code="token_expired"
        )
    if event.status != E.OPEN:
        raise Conflict(_("The check-in is closed."), code="event_closed")
    att = _attendance_for(event, actor)
    if att.status in (A.PRESENT, A.LATE):
        raise Conflict(_("You have already checked in."), code="already_checked_in")
    before = att.status
    att.status, att.checked_in_at = A.PRESENT, timezone.now()
    att.save(update_fields=["status", "checked_in_at"])
    audit(
        "duty.attendance.check_in",
        actor=actor,
        obj=event,
        org_unit=event.organiser,
        before={"status": before},
        after={"status": att.status, "member": actor.pk},
    )
    return att


def _request(actor, event_id, *, status: str, reason: str, verb: str) -> Attendance:
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None or not perm.is_member_of(actor, event.body):
        raise NotFound()
    if event.status == E.ENTERED:
        raise Conflict(_("The records of this activity are already entered."), code="event_entered")
    reason = text(reason, field="reason", label=_("The reason"), max_length=200)
    att = _attendance_for(event, actor)
    allowed = (A.INVITED, A.ABSENT) if status == A.LATE_PENDING else (A.INVITED,)
    if att.status not in allowed:
        raise Conflict(_("This request is not possible now."), code="request_not_allowed")
    before = att.status
    att.status, att.reason = status, reason
    att.save(update_fields=["status", "reason"])
    audit(
        f"duty.attendance.{verb}",
        actor=actor,
        obj=event,
        org_unit=event.organiser,
        before={"status": before},
        after={"status": status, "member": actor.pk},
    )
    return att


@transaction.atomic
def request_leave(*, actor, event_id, reason: str) -> Attendance:
    return _request(actor, event_id, status=A.LEAVE_PENDING, reason=reason, verb="request_leave")


@transaction.atomic
def request_late_check_in(*, actor, event_id, reason: str) -> Attendance:
    """A member who attended but could not scan (or came late) asks to be recorded; the organiser decides."""
    return _request(actor, event_id, status=A.LATE_PENDING, reason=reason, verb="request_late")


@transaction.atomic
def decide_request(*, actor, attendance_id, approve: bool) -> Attendance:
    att = (
        Attendance.objects.select_for_update(of=("self",))
        .select_related("event", "event__organiser")
        .filter(pk=attendance_id)
        .first()
    )
    if att is None or not perm.works_at(actor, att.event.organiser):
        raise NotFound()
    if att.event.status == E.ENTERED:
        raise Conflict(_("The records of this activity are already entered."), code="event_entered")
    if att.status == A.LEAVE_PENDING:
        new = A.EXCUSED if approve else (A.INVITED if att.event.status == E.OPEN else A.ABSENT)
    elif att.status == A.LATE_PENDING:
        new = A.LATE if approve else (A.INVITED if att.event.status == E.OPEN else A.ABSENT)
    else:
        raise Conflict(_("There is no request to decide."), code="no_request")
    if att.member_id == actor.pk:
        raise PermissionDenied(_("Nobody decides their own request."), code="own_request")
    before = att.status
    att.status, att.decided_by = new, actor
    att.save(update_fields=["status", "decided_by"])
    audit(
        "duty.attendance.decide",
        actor=actor,
        obj=att.event,
        org_unit=att.event.organiser,
        before={"status": before},
        after={"status": new, "member": att.member_id},
    )
    return att


@transaction.atomic
def close_event(*, actor, event: Event) -> Event:
    """Close the check-in: invitees who neither checked in nor asked for leave are recorded absent."""
    event = wf.transition(event, "close", actor=actor, workflow=EVENT_FLOW, changes={"closed_at": timezone.now()})
    absent = Attendance.objects.filter(event=event, status=A.INVITED).update(status=A.ABSENT)
    audit("duty.event.no_shows", actor=actor, obj=event, org_unit=event.organiser, after={"absent": absent})
    return event


@transaction.atomic
def enter_event_records(*, actor, event: Event) -> int:
    """Make each attendance a duty record (attended, late, excused, absent), for the entering unit's head to
    review. Requests still open must be decided first. Returns the number of records."""
    locked = Event.objects.select_for_update(of=("self",)).select_related("body", "organiser").get(pk=event.pk)
    if not perm.works_at(actor, locked.organiser):
        raise NotFound()
    if locked.attendances.filter(status__in=[A.LEAVE_PENDING, A.LATE_PENDING]).exists():
        raise Conflict(_("Decide the open leave and late check-in requests first."), code="requests_open")
    event = wf.transition(locked, "enter", actor=actor, workflow=EVENT_FLOW, changes={"entered_at": timezone.now()})
    late = is_late(event.organiser, event.day)
    n = 0
    for att in event.attendances.select_related("member").order_by("pk"):
        create_record(
            actor=actor,
            body=event.body,
            member=att.member,
            kind=event.kind,
            outcome=OUTCOME_OF[att.status],
            day=event.day,
            title=event.title,
            organiser=event.organiser,
            source=Source.QR if att.status in (A.PRESENT, A.LATE) else Source.HAND,
            source_ref=f"duty.event:{event.pk}",
            event=event,
            late_needs_approval=late,
        )
        n += 1
    return n


def today():
    return local_date()
