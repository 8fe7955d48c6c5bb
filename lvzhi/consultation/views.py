"""Pages of remote consultation (远程协商, S0-5.3): a member's meetings on a phone, starting one, a department's
application, the meeting page with its room, and the information office's queue. Thin: parse, call one selector or
service, render; business errors become the page's message."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound, ValidationFailed
from lvzhi.core.middleware import SecurityHeadersMiddleware
from lvzhi.core.pages import run_on_page as _run  # (request, fn, success message)
from lvzhi.core.timeutil import local_date

from . import actions, present, rules, selectors, services
from . import permissions as perm
from .models import Meeting
from .providers import get_provider

S = Meeting.Status


def _page(request, qs):
    return Paginator(qs, rules.PAGE_SIZE).get_page(request.GET.get("page"))


def _body(request):
    body = selectors.body_of_user(request.user)
    if body is None:
        raise NotFound()
    return body


def parse_start(day, time) -> dt.datetime:
    try:
        d = dt.date.fromisoformat(str(day or "").strip()[:10])
        t = dt.time.fromisoformat(str(time or "").strip()[:5])
    except ValueError:
        raise ValidationFailed(_("Give the date and time of the meeting."), code="starts_at_invalid") from None
    return timezone.make_aware(dt.datetime.combine(d, t))


def _nav(request, body):
    user = request.user
    return {
        "may_start": perm.may_start_member_meeting(user, body),
        "departments": perm.departments_of(user, body),
        "may_queue": perm.may_see_queue(user, body),
    }


@login_required
@require_GET
def meetings(request):
    """我的远程协商: upcoming meetings with the working days left, or past ones."""
    body = _body(request)
    past = request.GET.get("past") == "1"
    page = _page(request, selectors.my_meetings(request.user, upcoming=not past))
    rows = selectors.with_countdown(page.object_list) if not past else list(page.object_list)
    return render(
        request, "consultation/meetings.html", {"page": page, "rows": rows, "past": past, **_nav(request, body)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_meeting(request):
    """A member starts a meeting of their own, after the undertaking that they answer for its content."""
    body = _body(request)
    if not perm.may_start_member_meeting(request.user, body):
        raise NotFound()
    if request.method == "POST":
        meeting = _run(
            request,
            lambda: services.start_member_meeting(
                actor=request.user,
                body=body,
                title=request.POST.get("title", ""),
                agenda=request.POST.get("agenda", ""),
                starts_at=parse_start(request.POST.get("day"), request.POST.get("time")),
                duration_minutes=request.POST.get("duration", ""),
                undertaking=request.POST.get("undertaking") == "yes",
            ),
            _("The meeting is scheduled; now invite the participants."),
        )
        if meeting is not None:
            return redirect("consultation:meeting", pk=meeting.pk)
    return render(request, "consultation/new.html", {"form": request.POST, "apply": False, "today": local_date()})


@login_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """A department applies to the information office for the video-conference system (at the latest 3 working
    days before the meeting)."""
    body = _body(request)
    departments = perm.departments_of(request.user, body)
    if not departments:
        raise NotFound()
    if request.method == "POST":
        unit = next((u for u in departments if str(u.pk) == request.POST.get("unit")), None)
        if unit is None:
            raise NotFound()
        meeting = _run(
            request,
            lambda: services.apply_for_meeting(
                actor=request.user,
                unit=unit,
                title=request.POST.get("title", ""),
                agenda=request.POST.get("agenda", ""),
                starts_at=parse_start(request.POST.get("day"), request.POST.get("time")),
                duration_minutes=request.POST.get("duration", ""),
                undertaking=request.POST.get("undertaking") == "yes",
            ),
            _("The application was sent to the information office."),
        )
        if meeting is not None:
            return redirect("consultation:meeting", pk=meeting.pk)
    context = {
        "form": request.POST,
        "apply": True,
        "departments": departments,
        "notice_days": services.notice_days(departments[0]),
        "today": local_date(),
    }
    return render(request, "consultation/new.html", context)


def _room_context(request, meeting) -> dict:
    provider = get_provider()
    context = {"video_configured": provider.configured(), "room": None, "provider": provider}
    if not context["video_configured"] or not perm.may_join(request.user, meeting):
        return context
    if services.room_open(meeting):
        info = services.join(actor=request.user, meeting=meeting)
        context["room"] = info
        context["script_url"] = provider.script_url()
    return context


def room_policy(origin: str) -> str:
    """The page's content security policy: the house policy, plus exactly the video server's origin for its script
    and its frame (nothing else from outside)."""
    policy = SecurityHeadersMiddleware.POLICY
    if not origin:
        return policy
    policy = policy.replace("script-src 'self'", f"script-src 'self' {origin}")
    return f"{policy}; frame-src {origin}"


@login_required
@require_http_methods(["GET", "POST"])
def meeting(request, pk):
    meeting = selectors.access_meeting(request.user, pk)
    if request.method == "POST":
        _invite(request, meeting)
        return redirect("consultation:meeting", pk=meeting.pk)
    host = perm.is_host(request.user, meeting)
    context = {
        "meeting": meeting,
        "organiser": present.organiser_label(meeting),
        "steps": actions.available_actions(request.user, meeting),
        "host": host,
        "may_invite": perm.may_invite(request.user, meeting),
        "invitations": list(selectors.invitations_of(meeting)) if host else [],
        "units": list(selectors.inviteable_units(meeting.body)) if perm.may_invite(request.user, meeting) else [],
        "countdown": selectors.countdown(meeting) if meeting.status in (S.APPLIED, S.SCHEDULED) else None,
        **_room_context(request, meeting),
    }
    response = render(request, "consultation/meeting.html", context)
    if context["room"] is not None:
        origin = context["provider"].origin()
        response["Content-Security-Policy"] = room_policy(origin)
        allow = f'(self "{origin}")' if origin else "(self)"
        response["Permissions-Policy"] = (
            f"geolocation=(self), camera={allow}, microphone={allow}, display-capture={allow}"
        )
    return response


def _invite(request, meeting):
    phones = [
        p.strip() for p in request.POST.get("phones", "").replace("，", ",").replace("\n", ",").split(",") if p.strip()
    ]
    if len(phones) > rules.INVITEES_MAX:
        messages.error(request, _("A meeting may have at most %(n)s invitees.") % {"n": rules.INVITEES_MAX})
        return
    user_ids = selectors.user_ids_by_phone(meeting.body, phones) if phones else []
    if len(user_ids) < len(set(phones)):
        messages.error(request, _("A phone number does not belong to a person of this body."))
        return
    n = _run(
        request,
        lambda: services.invite(
            actor=request.user,
            meeting=meeting,
            user_ids=user_ids,
            unit_ids=request.POST.getlist("units"),
            sms=request.POST.get("sms") == "yes",
        ),
        _("Invitations sent."),
    )
    return n


@login_required
@require_POST
def meeting_step(request, pk, name):
    meeting = selectors.access_meeting(request.user, pk)
    _run(
        request,
        lambda: actions.perform(actor=request.user, meeting=meeting, name=name, data=request.POST),
        _("Done."),
    )
    return redirect("consultation:meeting", pk=meeting.pk)


@login_required
@require_POST
def attendance(request, pk):
    """Called by the meeting page's script on the video server's join and leave events."""
    meeting = selectors.access_meeting(request.user, pk)
    try:
        inv = services.record_attendance(actor=request.user, meeting=meeting, event=request.POST.get("event", ""))
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse(
        {
            "joined_at": inv.joined_at.isoformat() if inv.joined_at else None,
            "left_at": inv.left_at.isoformat() if inv.left_at else None,
            "joins": inv.joins,
        }
    )


@login_required
@require_GET
def office(request):
    """The information office's queue: department applications awaiting a leader, and the decided ones."""
    body = _body(request)
    status = request.GET.get("status") or S.APPLIED
    if status not in S.values:
        status = S.APPLIED
    page = _page(request, selectors.office_queue(request.user, body, status=status))
    return render(
        request,
        "consultation/office.html",
        {"page": page, "status": status, "statuses": S.choices, "approver": perm.is_approver(request.user, body)},
    )
