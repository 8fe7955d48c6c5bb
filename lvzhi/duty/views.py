"""Pages of the duty module: 我的履职 (a member's own year, on a phone), 履职管理 (offices and committees: entry,
review, events with QR check-in, rankings, rules, samples, analyses, results, administrators) and 人员管理
(profiles). Thin: parse, call one selector or service, render; business errors become the page's message."""

import base64
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core import cache
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.links import object_url
from lvzhi.core.pages import run_on_page as _run  # (request, fn, success message)
from lvzhi.core.paging import KeptPage, Slice, kept_page, page_number, slice_page
from lvzhi.core.timeutil import local_date
from lvzhi.core.validation import safe_query
from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.workflow.selectors import history_of

from . import actions, charts, exports, present, rules, selectors, services
from . import permissions as perm
from .models import Attendance, Kind, Objection, Outcome
from .services.checkin import EVENT_KINDS, seconds_left
from .services.common import entry_table
from .workflows import RECORD_FLOW

A = Attendance.Status


def _page(request, qs, size=rules.PAGE_SIZE):
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _managed_body(request):
    body = selectors.body_of_user(request.user)
    if body is None or not perm.may_manage(request.user, body):
        raise NotFound()
    return body


def _nav(request, body, current):
    user = request.user
    return {
        "nav": current,
        "body": body,
        "nav_liaison": perm.is_liaison(user, body),
        "nav_head": any(perm.is_head(user, u) for u in perm.office_units(user, body)),
        "nav_whole": perm.sees_whole_body(user, body),
        "nav_people": perm.is_liaison(user, body) or bool(perm.committees_of(user, body)),
    }


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- 我的履职 -----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    profiles = selectors.my_bodies(request.user)
    if not profiles:
        body = selectors.body_of_user(request.user)
        if body is not None and perm.may_manage(request.user, body):
            return redirect("duty:manage")
        raise NotFound()
    profile = profiles[0]
    year = selectors.year_param(request.GET.get("year"))
    number = page_number(request.GET.get("page"))
    context = {
        **_my_year_page(request.user, profile.body, year, number),
        "profile": profile,
        "year": year,
        "years": [year - 1, year],
        "targets": Objection.Target.choices,
    }
    return render(request, "duty/mine.html", context)


def _my_year_page(user, body, year: int, number: int) -> dict:
    """我的履职's data: the year's total, ranks, trend, a page of records, the activities and the objections.

    Kept per member, body, year, page, language and day under the version of `cache.WRITES_KEY` (records, points,
    ranks, activities and objections change only through audited services, and every audited write bumps it)."""

    def compute():
        page = slice_page(selectors.my_records(user, body, year), number, rules.MY_RECORDS_PAGE)
        whole = page.items if page.is_whole else None  # one page holds the whole year: the trend from it
        data = selectors.my_year(user, body, year, records=0, all_records=whole)
        events = [
            {
                "url": object_url("duty:event", a.event_id),
                "title": a.event.title,
                "day": a.event.day.strftime("%Y-%m-%d"),
                "status": a.get_status_display(),
            }
            for a in selectors.my_events(user, body)[:10]
        ]
        return {
            **data,
            "records": present.record_rows(page.items),
            "page": Slice([], page.page, page.has_next),
            "chart": charts.line_chart(data["trend"], label=_("My points this year, month by month")),
            "events": events,
        }

    variant = ("duty.mine", user.pk, body.pk, year, number, get_language(), local_date())
    return cache.cached(cache.WRITES_KEY, compute, timeout=600, variant=variant)


@login_required
@require_POST
def object_(request):
    profiles = selectors.my_bodies(request.user)
    if not profiles:
        raise NotFound()
    body = profiles[0].body
    record = None
    if request.POST.get("record"):
        record = selectors.access_record(request.user, request.POST.get("record"))
        if record.member_id != request.user.pk:
            raise NotFound()
    year = selectors.year_param(request.POST.get("year"))
    obj = _run(
        request,
        lambda: services.raise_objection(
            actor=request.user,
            body=body,
            year=year,
            target=request.POST.get("target", ""),
            text_value=request.POST.get("text", ""),
            record=record,
            to=request.POST.get("to", "organiser"),
        ),
        _("Your objection was sent; it will be answered within 5 working days."),
    )
    if obj is not None:
        return redirect("duty:objection", pk=obj.pk)
    return redirect(f"{reverse('duty:mine')}?year={year}")


# ---- check-in -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def checkin(request, pk):
    """The page the QR code opens on the member's phone: checks the member in with the token of the URL."""
    token = safe_query(request.GET.get("t", ""), max_length=80)
    try:
        att = services.check_in(actor=request.user, event_id=pk, token=token)
        ok, message = True, _("Checked in.")
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        att, ok, message = None, False, str(exc.message)
    event = selectors.access_event(request.user, pk)
    return render(
        request,
        "duty/checkin.html",
        {"event": event, "att": att, "ok": ok, "message": message},
        status=200 if ok else 400,
    )


def qr_png(url: str) -> bytes:
    """The QR code of `url` as a PNG (segno; the same URL always gives the same image)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def _qr(request, event):
    url = request.build_absolute_uri(reverse("duty:checkin", args=[event.pk])) + "?t=" + services.qr_token(event)
    return url, "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")


@login_required
@require_GET
def event_qr(request, pk):
    """The QR fragment, reloaded by htmx every few seconds on the organiser's screen."""
    event = selectors.access_event(request.user, pk)
    if not perm.works_at(request.user, event.organiser) or event.status != event.Status.OPEN:
        raise NotFound()
    url, image = _qr(request, event)
    return render(
        request, "duty/_qr.html", {"event": event, "qr_url": url, "qr_image": image, "seconds": seconds_left()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def event(request, pk):
    ev = selectors.access_event(request.user, pk)
    organiser = perm.works_at(request.user, ev.organiser)
    if request.method == "POST":
        what = request.POST.get("do", "")
        if what == "leave":
            _run(
                request,
                lambda: services.request_leave(
                    actor=request.user, event_id=ev.pk, reason=request.POST.get("reason", "")
                ),
                _("Your leave request was sent."),
            )
        elif what == "late":
            _run(
                request,
                lambda: services.request_late_check_in(
                    actor=request.user, event_id=ev.pk, reason=request.POST.get("reason", "")
                ),
                _("Your late check-in request was sent."),
            )
        elif what in ("approve", "refuse") and organiser:
            _run(
                request,
                lambda: services.decide_request(
                    actor=request.user, attendance_id=request.POST.get("att"), approve=what == "approve"
                ),
                _("Decided."),
            )
        else:
            raise NotFound()
        return redirect("duty:event", pk=ev.pk)
    context = {"event": ev, "organiser": organiser}
    if organiser:
        context["attendances"] = list(selectors.attendances(ev))
        context["steps"] = actions.available_actions(request.user, ev, "event")
        if ev.status == ev.Status.OPEN:
            context["qr_url"], context["qr_image"] = _qr(request, ev)
            context["seconds"] = seconds_left()
    context["mine"] = ev.attendances.filter(member=request.user).first()
    return render(request, "duty/event.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def events(request):
    body = _managed_body(request)
    units = perm.office_units(request.user, body)
    if request.method == "POST":
        unit = selectors.access_unit(request.user, body, request.POST.get("organiser"))
        committee = request.POST.get("invite_committee", "")
        profiles = selectors.members_for_entry(body)
        if committee and committee != "all":
            profiles = profiles.filter(committee_id=committee)
        ids = [p.user_id for p in profiles] if committee else request.POST.getlist("invitees")
        ev = _run(
            request,
            lambda: services.open_event(
                actor=request.user,
                organiser=unit,
                title=request.POST.get("title", ""),
                day=request.POST.get("day", ""),
                kind=request.POST.get("kind", "meeting"),
                invitee_ids=ids,
            ),
            _("The activity is open for check-in."),
        )
        if ev is not None:
            return redirect("duty:event", pk=ev.pk)
    context = {
        **_nav(request, body, "events"),
        "page": _page(request, selectors.events_of(request.user, body), 20),
        "units": units,
        "kinds": [(k, Kind(k).label) for k in EVENT_KINDS],
        "committees": OrgUnit.objects.filter(body=body, kind=UnitKind.COMMITTEE, is_active=True),
        "today": selectors.today(),
    }
    return render(request, "duty/events.html", context)


# ---- 履职管理 -------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def manage(request):
    body = _managed_body(request)
    year = selectors.year_param(request.GET.get("year"))
    context = {
        **_nav(request, body, "manage"),
        "year": year,
        "review_count": selectors.review_queue(request.user, body).count(),
        "late_count": selectors.late_queue(request.user, body).count(),
        "objections_open": selectors.objection_queue(request.user, body).filter(status="open").count(),
        "page": _page(request, selectors.entered_by_units(request.user, body), 20),
        "entry_table": entry_table(body),
        "admins": perm.office_units(request.user, body),
    }
    return render(request, "duty/manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_record(request):
    body = _managed_body(request)
    units = perm.office_units(request.user, body)
    if request.method == "POST":
        unit = selectors.access_unit(request.user, body, request.POST.get("organiser"))
        rec = _run(
            request,
            lambda: services.enter_record(
                actor=request.user,
                organiser=unit,
                member_id=request.POST.get("member"),
                kind=request.POST.get("kind"),
                outcome=request.POST.get("outcome"),
                day=request.POST.get("day"),
                title=request.POST.get("title"),
                quantity=request.POST.get("quantity") or 1,
            ),
            _("The record was entered."),
        )
        if rec is not None:
            if rec.status == rec.Status.NEEDS_APPROVAL:
                messages.warning(
                    request,
                    _(
                        "Entered more than 5 working days after the activity: the members' work "
                        "committee must approve it first."
                    ),
                )
            return redirect("duty:record", pk=rec.pk)
    context = {
        **_nav(request, body, "new"),
        "units": units,
        "members": selectors.members_for_entry(body),
        "kinds": [(k.value, k.label) for k in Kind if k != Kind.PLATFORM],
        "outcomes": Outcome.choices,
        "today": selectors.today(),
        "post": request.POST,
    }
    return render(request, "duty/record_form.html", context, status=400 if request.method == "POST" else 200)


def _labelled_history(rec, history_of) -> list:
    """The record's history with each step and state in words (the entry event is not a transition)."""

    return RECORD_FLOW.labelled_history(history_of(rec).select_related("actor"), entry_label=_("Entered"))


@login_required
@require_GET
def record(request, pk):
    rec = selectors.access_record(request.user, pk)

    context = {
        "rec": rec,
        "steps": actions.available_actions(request.user, rec, "record"),
        "history": _labelled_history(rec, history_of),
        "outcomes": Outcome.choices,
        "corrections": list(rec.corrections.all()),
    }
    return render(request, "duty/record.html", context)


def _step_view(request, pk, name, table, access, target):
    obj = access(request.user, pk)
    _run(
        request,
        lambda: actions.perform(actor=request.user, obj=obj, table=table, name=name, data=request.POST),
        _("Done."),
    )
    return redirect(target, pk=obj.pk)


@login_required
@require_POST
def record_step(request, pk, name):
    return _step_view(request, pk, name, "record", selectors.access_record, "duty:record")


@login_required
@require_POST
def event_step(request, pk, name):
    return _step_view(request, pk, name, "event", selectors.access_event, "duty:event")


@login_required
@require_POST
def objection_step(request, pk, name):
    return _step_view(request, pk, name, "objection", selectors.access_objection, "duty:objection")


@login_required
@require_http_methods(["GET", "POST"])
def review(request):
    body = _managed_body(request)
    queue = selectors.review_queue(request.user, body)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("ids") if str(i).isdigit()][: rules.PAGE_SIZE]
        chosen = list(queue.filter(pk__in=ids))
        if len(chosen) != len(ids) or not ids:
            messages.error(request, _("Choose records awaiting your review."))
        else:
            n = _run(request, lambda: services.review_records(actor=request.user, records=chosen), _("Reviewed."))
            if n:
                messages.info(request, _("%(n)s records now count.") % {"n": n})
        return redirect("duty:review")
    page = kept_page(request, "duty.review", lambda: queue, rules.PAGE_SIZE, variant=(body.pk,))
    return render(request, "duty/review.html", {**_nav(request, body, "review"), "page": page})


@login_required
@require_GET
def late(request):
    body = _managed_body(request)
    if not perm.is_liaison(request.user, body):
        raise NotFound()
    return render(
        request,
        "duty/late.html",
        {**_nav(request, body, "late"), "page": _page(request, selectors.late_queue(request.user, body))},
    )


@login_required
@require_GET
def ranking(request):
    body = _managed_body(request)
    year = selectors.year_param(request.GET.get("year"))
    committee = request.GET.get("committee") or None
    sector = request.GET.get("sector") or None
    committee = int(committee) if committee and committee.isdigit() else None
    sector = int(sector) if sector and sector.isdigit() else None
    number = str(request.GET.get("page") or "1")[:12]

    def compute():  # totals and ranks change only through audited services (records reviewed, recounts)
        page, rows = selectors.ranking_page(
            request.user, body, year, number, committee_id=committee, sector_id=sector, size=rules.PAGE_SIZE
        )
        return {"page": KeptPage.of(page), "rows": rows, **_filter_units(body)}

    variant = ("duty.ranking", request.user.pk, body.pk, year, number, committee, sector, get_language())
    kept = cache.cached(cache.WRITES_KEY, compute, timeout=600, variant=variant)
    context = {**_nav(request, body, "ranking"), "year": year, **kept, "committee": committee, "sector": sector}
    return render(request, "duty/ranking.html", context)


def _filter_units(body) -> dict:
    """The body's committees and sectors for the ranking's filters (one query)."""
    units = list(
        OrgUnit.objects.filter(body=body, kind__in=[UnitKind.COMMITTEE, UnitKind.SECTOR], is_active=True).order_by(
            "path"
        )
    )
    return {
        "committees": [u for u in units if u.kind == UnitKind.COMMITTEE],
        "sectors": [u for u in units if u.kind == UnitKind.SECTOR],
    }


@login_required
@require_GET
def member(request, member_id):
    body = _managed_body(request)
    year = selectors.year_param(request.GET.get("year"))
    my = selectors.access_member_year(request.user, body, member_id, year)
    page = slice_page(selectors.my_records(my.member, body, year), request.GET.get("page"), rules.PAGE_SIZE)
    whole = page.items if page.is_whole else None
    data = selectors.my_year(my.member, body, year, records=0, all_records=whole)
    context = {
        **_nav(request, body, "ranking"),
        **data,
        "records": present.record_rows(page.items),
        "page": page,
        "year": year,
        "subject": my.member,
        "chart": charts.line_chart(data["trend"], label=_("Points month by month")),
    }
    return render(request, "duty/member.html", context)


@login_required
@require_GET
def objections(request):
    body = _managed_body(request)
    return render(
        request,
        "duty/objections.html",
        {
            **_nav(request, body, "objections"),
            "page": _page(request, selectors.objection_queue(request.user, body)),
        },
    )


@login_required
@require_GET
def objection(request, pk):
    obj = selectors.access_objection(request.user, pk)
    return render(
        request,
        "duty/objection.html",
        {
            "obj": obj,
            "steps": actions.available_actions(request.user, obj, "objection"),
            "outcomes": Outcome.choices,
        },
    )
