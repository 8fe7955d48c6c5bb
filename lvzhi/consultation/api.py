"""The remote-consultation API at /api/v1/consultation (bearer token or session): a user's meetings, starting one,
a department's application, a meeting with its steps (`actions`), the invitations, the room token and attendance.
Errors are `{"code", "message"}`."""

import datetime as dt

from django.core.paginator import Paginator
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound

from . import actions, present, rules, selectors, services
from . import permissions as perm

router = Router(tags=["consultation"], auth=token_auth)


class ConsultMeetingIn(Schema):
    title: str
    agenda: str = ""
    starts_at: dt.datetime
    duration_minutes: int = 60
    undertaking: bool = False
    unit: int | None = None  # a department: an application to the information office


class ConsultStepIn(Schema):
    text: str = ""


class ConsultInviteIn(Schema):
    users: list[int] = []
    units: list[int] = []
    sms: bool = False


class ConsultAttendanceIn(Schema):
    event: str


def _body(request):
    body = selectors.body_of_user(request.user)
    if body is None:
        raise NotFound()
    return body


def _detail(request, meeting):
    return present.meeting_detail(request.user, meeting, actions.available_actions(request.user, meeting))


@router.get("/meetings")
def meetings(request, past: bool = False, page: int = 1):
    p = Paginator(selectors.my_meetings(request.user, upcoming=not past), rules.PAGE_SIZE).get_page(page)
    rows = selectors.with_countdown(p.object_list) if not past else list(p.object_list)
    return {
        "page": p.number,
        "pages": p.paginator.num_pages,
        "rows": [present.meeting_dict(request.user, m, None, countdown=getattr(m, "countdown", None)) for m in rows],
    }


@router.post("/meetings")
def start(request, payload: ConsultMeetingIn):
    body = _body(request)
    common = {
        "actor": request.user,
        "title": payload.title,
        "agenda": payload.agenda,
        "starts_at": payload.starts_at,
        "duration_minutes": payload.duration_minutes,
        "undertaking": payload.undertaking,
    }
    if payload.unit is None:
        meeting = services.start_member_meeting(body=body, **common)
    else:
        unit = next((u for u in perm.departments_of(request.user, body) if u.pk == payload.unit), None)
        if unit is None:
            raise NotFound()
        meeting = services.apply_for_meeting(unit=unit, **common)
    return _detail(request, selectors.access_meeting(request.user, meeting.pk))


@router.get("/meetings/{meeting_id}")
def meeting(request, meeting_id: int):
    return _detail(request, selectors.access_meeting(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/steps/{name}")
def step(request, meeting_id: int, name: str, payload: ConsultStepIn):
    m = selectors.access_meeting(request.user, meeting_id)
    actions.perform(actor=request.user, meeting=m, name=name, data=payload.dict())
    return _detail(request, selectors.access_meeting(request.user, meeting_id))


@router.post("/meetings/{meeting_id}/invitations")
def invite(request, meeting_id: int, payload: ConsultInviteIn):
    m = selectors.access_meeting(request.user, meeting_id)
    n = services.invite(actor=request.user, meeting=m, user_ids=payload.users, unit_ids=payload.units, sms=payload.sms)
    return {"invited": n}


@router.get("/meetings/{meeting_id}/join")
def join(request, meeting_id: int):
    """A short-lived room token for the invited and the hosts (others: 404)."""
    m = selectors.access_meeting(request.user, meeting_id)
    info = services.join(actor=request.user, meeting=m)
    return {
        "domain": info.domain,
        "room": info.room,
        "token": info.token,
        "display_name": info.display_name,
        "moderator": info.moderator,
        "expires_at": info.expires_at.isoformat(),
    }


@router.post("/meetings/{meeting_id}/attendance")
def attendance(request, meeting_id: int, payload: ConsultAttendanceIn):
    m = selectors.access_meeting(request.user, meeting_id)
    inv = services.record_attendance(actor=request.user, meeting=m, event=payload.event)
    return {
        "joined_at": inv.joined_at.isoformat() if inv.joined_at else None,
        "left_at": inv.left_at.isoformat() if inv.left_at else None,
        "joins": inv.joins,
    }


@router.get("/office")
def office(request, status: str = "applied", page: int = 1):
    body = _body(request)
    p = Paginator(selectors.office_queue(request.user, body, status=status), rules.PAGE_SIZE).get_page(page)
    return {
        "page": p.number,
        "pages": p.paginator.num_pages,
        "rows": [present.meeting_dict(request.user, m, None) for m in p.object_list],
    }
