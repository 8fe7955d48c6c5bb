"""Entering the room (a short-lived token for the invited only) and the attendance the page reports, which goes to
the members' duty records when the meeting ends."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile
from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.duty import services as duty

from .. import permissions as perm
from .. import rules
from ..models import Invitation, Meeting
from ..providers import JoinInfo, get_provider

EVENTS = ("joined", "left")


def room_window(meeting) -> tuple[dt.datetime, dt.datetime]:
    return (
        meeting.starts_at - dt.timedelta(minutes=rules.OPENS_MINUTES_BEFORE),
        meeting.ends_at + dt.timedelta(minutes=rules.CLOSES_MINUTES_AFTER),
    )


def room_open(meeting, now=None) -> bool:
    now = now or timezone.now()
    opens, closes = room_window(meeting)
    return meeting.status == Meeting.Status.SCHEDULED and opens <= now <= closes


def display_name(user) -> str:
    """The name shown in the room: the real name (an official meeting among the body's own people)."""
    return (user.real_name or "").strip() or _("Participant %(id)s") % {"id": user.pk}


def join(*, actor, meeting) -> JoinInfo:
    """A token for `actor` naming the room, their name and whether they moderate (the hosts). Only the invited
    and the hosts get one; others are told the meeting does not exist."""
    if not perm.may_join(actor, meeting):
        raise NotFound()
    provider = get_provider()
    if not provider.configured():
        raise Conflict(_("Video is not configured on this server."), code="video_not_configured")
    now = timezone.now()
    if not room_open(meeting, now):
        raise Conflict(_("The room is not open now."), code="room_closed")
    return provider.join(
        room=meeting.room,
        user_id=actor.pk,
        display_name=display_name(actor),
        moderator=perm.is_host(actor, meeting),
        now=now,
    )


@transaction.atomic
def record_attendance(*, actor, meeting, event: str) -> Invitation:
    """`joined` or `left`, reported by the meeting page on the video server's events."""
    if event not in EVENTS:
        raise ValidationFailed(_("Unknown attendance event."), code="event_invalid")
    inv = Invitation.objects.select_for_update().filter(meeting=meeting, user=actor).first()
    if inv is None or not perm.may_view(actor, meeting):
        raise NotFound()
    if not room_open(meeting):
        raise Conflict(_("The room is not open now."), code="room_closed")
    now = timezone.now()
    if event == "joined":
        inv.joined_at = inv.joined_at or now
        inv.joins += 1
        fields = ["joined_at", "joins"]
    else:
        if inv.joined_at is None:
            raise Conflict(_("You have not joined this meeting."), code="not_joined")
        inv.left_at = now
        fields = ["left_at"]
    inv.save(update_fields=fields)
    audit(
        f"consultation.meeting.{event}",
        actor=actor,
        obj=meeting,
        org_unit=meeting.unit or meeting.body,
        after={"invitation": inv.pk, "joins": inv.joins},
    )
    return inv


def attendance_to_duty(meeting) -> int:
    """Duty records for the invited members of the body who joined (S0-5.3 → S3-6): through the duty module's
    from-source entry point `lvzhi.duty.services.sync_source`, the source being this meeting."""

    members = set(MemberProfile.objects.filter(body=meeting.body, is_active=True).values_list("user_id", flat=True))
    made = 0
    for inv in meeting.invitations.filter(joined_at__isnull=False).select_related("user"):
        if inv.user_id not in members:
            continue
        stats = duty.sync_source(
            source_ref=f"consultation.meeting:{meeting.pk}",
            body=meeting.body,
            member=inv.user,
            kind="meeting",
            day=local_date(meeting.starts_at),
            title=meeting.title,
            organiser=meeting.unit,
            outcomes={"attended": 1},
        )
        made += stats.get("created", 0)
    return made
