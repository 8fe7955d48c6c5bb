"""What a user is shown of a meeting — one answer for the web page and the API."""

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.workflow.selectors import history_of

from . import permissions as perm
from .services import room_open
from .services.common import latest_application_day, notice_days


def organiser_label(meeting) -> str:
    """Who answers for the content: the member, or the department and its staffer who applied."""
    if meeting.unit_id:
        return _("%(unit)s (%(name)s)") % {"unit": meeting.unit.name, "name": meeting.organiser.real_name}
    return meeting.organiser.real_name


def meeting_dict(user, meeting, actions=(), *, countdown=None) -> dict:
    data = {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.kind,
        "kind_label": str(meeting.get_kind_display()),
        "status": meeting.status,
        "status_label": str(meeting.get_status_display()),
        "organiser": organiser_label(meeting),
        "starts_at": timezone.localtime(meeting.starts_at).isoformat(),
        "duration_minutes": meeting.duration_minutes,
        "countdown_working_days": countdown,
    }
    if actions is not None:
        data["actions"] = [a.name for a in actions]
    return data


def meeting_detail(user, meeting, actions) -> dict:
    host = perm.is_host(user, meeting)
    data = {
        **meeting_dict(user, meeting, actions),
        "agenda": meeting.agenda,
        "host": host,
        "may_join": perm.may_join(user, meeting),
        "room_open": room_open(meeting),
        "applied_on": meeting.applied_on.isoformat() if meeting.applied_on else None,
        "decision_note": meeting.decision_note if (host or perm.may_see_queue(user, meeting.body)) else "",
        "history": [
            {
                "step": e.transition,
                "to": e.to_state,
                "at": e.at.isoformat(),
                "by": e.actor.real_name if e.actor_id else "",
            }
            for e in history_of(meeting).select_related("actor")
        ],
    }
    if host:
        data["invitations"] = [
            {
                "user": i.user_id,
                "name": i.user.real_name,
                "joined_at": i.joined_at.isoformat() if i.joined_at else None,
                "left_at": i.left_at.isoformat() if i.left_at else None,
            }
            for i in meeting.invitations.select_related("user").order_by("user__real_name", "pk")
        ]
    return data


def notice_hint(unit, meeting_day) -> dict:
    n = notice_days(unit)
    return {"working_days": n, "latest_day": latest_application_day(meeting_day, n).isoformat()}
