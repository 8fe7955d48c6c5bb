"""Starting, applying for, deciding, cancelling and ending a remote-consultation meeting (S0-5.3)."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound, PermissionDenied
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify
from lvzhi.orgs.models import UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import Invitation, Meeting
from ..workflows import MEETING_FLOW
from .attendance import attendance_to_duty
from .common import check_notice, check_start, check_undertaking, notice_days, text
from .invitations import notify_invitees

S = Meeting.Status


def _visible(actor, meeting) -> None:
    """A meeting the actor may not see answers like one that does not exist."""
    if actor is None or not perm.may_view(actor, meeting):
        raise NotFound()


def _room() -> str:
    return f"lvzhi-{secrets.token_hex(10)}"


def _create(*, actor, body, unit, kind, status, title, agenda, starts_at, duration_minutes, applied_on=None):
    meeting = Meeting.objects.create(
        body=body,
        unit=unit,
        kind=kind,
        organiser=actor,
        title=title,
        agenda=agenda,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        room=_room(),
        status=status,
        undertaking_at=timezone.now(),
        applied_on=applied_on,
    )
    Invitation.objects.create(meeting=meeting, user=actor, invited_by=actor, notified_at=timezone.now())
    return meeting


def _clean(title, agenda, starts_at, duration_minutes, undertaking):
    check_undertaking(undertaking)
    title = text(title, field="title", label=_("The title"), max_length=rules.TITLE_MAX)
    agenda = text(
        agenda, field="agenda", label=_("The agenda"), max_length=rules.AGENDA_MAX, required=False, multiline=True
    )
    starts_at, duration = check_start(starts_at, duration_minutes)
    return title, agenda, starts_at, duration


@transaction.atomic
def start_member_meeting(
    *, actor, body, title, agenda="", starts_at, duration_minutes=60, undertaking=False
) -> Meeting:
    """A member starts a meeting of their own: they answer for its content (the undertaking), it is scheduled."""
    if not perm.may_start_member_meeting(actor, body):
        raise NotFound()
    title, agenda, starts_at, duration = _clean(title, agenda, starts_at, duration_minutes, undertaking)
    meeting = _create(
        actor=actor,
        body=body,
        unit=None,
        kind=Meeting.Kind.MEMBER,
        status=S.SCHEDULED,
        title=title,
        agenda=agenda,
        starts_at=starts_at,
        duration_minutes=duration,
    )
    wf.start(meeting, actor=actor, workflow=MEETING_FLOW, event="start", audit_after={"kind": meeting.kind})
    return meeting


@transaction.atomic
def apply_for_meeting(*, actor, unit, title, agenda="", starts_at, duration_minutes=60, undertaking=False) -> Meeting:
    """A department applies to the information office for the video-conference system, at the latest N working
    days before the meeting (N ≥ 3, the body's setting); a late application is refused with the latest day."""
    if unit is None or not perm.may_apply(actor, unit):
        raise NotFound()
    title, agenda, starts_at, duration = _clean(title, agenda, starts_at, duration_minutes, undertaking)
    applied_on = local_date()
    n = notice_days(unit)
    check_notice(applied_on=applied_on, meeting_day=local_date(starts_at), n=n)
    meeting = _create(
        actor=actor,
        body=unit.body,
        unit=unit,
        kind=Meeting.Kind.DEPARTMENT,
        status=S.APPLIED,
        title=title,
        agenda=agenda,
        starts_at=starts_at,
        duration_minutes=duration,
        applied_on=applied_on,
    )
    wf.start(
        meeting, actor=actor, workflow=MEETING_FLOW, event="apply", audit_after={"kind": meeting.kind, "notice": n}
    )
    transaction.on_commit(lambda: _tell_info_office(meeting.pk))
    return meeting


def _tell_info_office(meeting_id: int) -> None:
    """The information office (staff, head, the information-office role) and the body's leaders are told."""

    meeting = Meeting.objects.select_related("body").get(pk=meeting_id)
    office = unit_by_function(meeting.body, UnitFunction.INFO_OFFICE)
    people = users_with_roles(meeting.body, [Role.LEADER, Role.INFO_OFFICE])
    people += users_with_roles(office, [Role.STAFF, Role.HEAD])
    notify(
        people,
        title=_("A video-conference application awaits approval"),
        link="/consultation/office/",
        event="consultation.meeting.apply",
        obj=meeting,
    )


@transaction.atomic
def decide_application(*, actor, meeting, approve: bool, note="") -> Meeting:
    _visible(actor, meeting)
    note = text(note, field="note", label=_("The note"), max_length=rules.NOTE_MAX, required=not approve)
    meeting = wf.transition(
        meeting,
        "approve" if approve else "refuse",
        actor=actor,
        workflow=MEETING_FLOW,
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note},
    )
    notify(
        [meeting.organiser],
        title=_("Your video-conference application was approved")
        if approve
        else _("Your video-conference application was refused"),
        body=note,
        link=f"/consultation/{meeting.pk}/",
        event=f"consultation.meeting.{'approve' if approve else 'refuse'}",
        obj=meeting,
    )
    if approve:
        notify_invitees(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(*, actor, meeting, reason="") -> Meeting:
    _visible(actor, meeting)
    reason = text(reason, field="reason", label=_("The reason"), max_length=rules.NOTE_MAX, required=False)
    meeting = wf.transition(meeting, "cancel", actor=actor, workflow=MEETING_FLOW, comment=reason)
    others = [i.user for i in meeting.invitations.exclude(user=actor).exclude(notified_at=None).select_related("user")]
    notify(
        others,
        title=_("A remote consultation was cancelled"),
        link=f"/consultation/{meeting.pk}/",
        event="consultation.meeting.cancel",
        obj=meeting,
    )
    return meeting


@transaction.atomic
def end_meeting(*, actor, meeting) -> Meeting:
    """The host ends the meeting; the attendance of the invited members goes to their duty records."""
    _visible(actor, meeting)
    if meeting.status == S.SCHEDULED and perm.is_host(actor, meeting) and timezone.now() < meeting.starts_at:
        raise PermissionDenied(_("A meeting cannot be ended before it starts; cancel it instead."), code="not_started")
    meeting = wf.transition(meeting, "end", actor=actor, workflow=MEETING_FLOW, changes={"ended_at": timezone.now()})

    attendance_to_duty(meeting)
    return meeting
