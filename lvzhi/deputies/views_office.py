"""The office's pages (deputies' pages and what they show), a station's reception days, standing-committee members'
contacts with deputies (S4-2.2.2) and the group channels (S4-2.3). Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.accounts.models import User
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.masking import mask_phone
from lvzhi.core.netaddr import client_ip
from lvzhi.core.pages import run_on_page
from lvzhi.core.params import query_date, query_int
from lvzhi.core.timeutil import local_date
from lvzhi.letters import services as letter_services
from lvzhi.orgs.models import OrgUnit

from . import permissions as perm
from . import rules, selectors, services
from .disclosure import shown
from .models import ChannelPost, ContactRecord, DeputyPage


def _run(request, fn, success=None):
    """Call a service; an error becomes a message on the page (404 stays 404). Returns the result or None."""
    return run_on_page(request, fn, success or _("Saved."))


@login_required
@require_GET
def pages(request):
    page = Paginator(selectors.office_pages(request.user), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    if not perm.office_bodies(request.user):
        raise NotFound()
    return render(request, "deputies/office.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def edit_page(request, pk):
    page = selectors.access_page_for_office(request.user, pk)
    if request.method == "POST":
        _run(
            request,
            lambda: services.save_page(
                actor=request.user,
                body=page.body,
                deputy=page.deputy,
                constituency=request.POST.get("constituency", ""),
                election=request.POST.get("election", ""),
                introduction=request.POST.get("introduction", ""),
                station_id=query_int(request.POST.get("station")),
                show={f: f in request.POST.getlist("show") for f in rules.SHOWABLE},
                is_published=request.POST.get("is_published") == "on",
            ),
        )
        if request.FILES.get("photo"):
            _run(
                request,
                lambda: services.set_photo(
                    actor=request.user, page=page, data=request.FILES["photo"].read(rules.PHOTO_MAX_BYTES + 1)
                ),
            )
        return redirect("deputies:edit_page", pk=page.pk)
    context = {
        "p": page,
        "shown": shown(page),
        "fields": rules.SHOWABLE.items(),
        "elections": DeputyPage.Election.choices,
        "stations": selectors.public_stations(page.body),
    }
    return render(request, "deputies/edit_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def receptions(request, pk):
    station = selectors.public_station(pk)
    if not perm.is_station_staff(request.user, station):
        raise NotFound()
    if request.method == "POST":
        _run(
            request,
            lambda: services.announce_reception(
                actor=request.user,
                station=station,
                day=query_date(request.POST.get("day")),
                hours=request.POST.get("hours", ""),
                topic=request.POST.get("topic", ""),
                capacity=request.POST.get("capacity"),
                deputy_ids=request.POST.getlist("deputies"),
            ),
            _("Announced."),
        )
        return redirect("deputies:receptions", pk=station.pk)
    days = list(selectors.upcoming_receptions(station)[:50])
    return render(
        request, "deputies/receptions.html", {"station": station, "days": days, "deputies": station.deputies.all()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contacts(request):
    bodies = [
        b
        for b in OrgUnit.objects.filter(kind="body", body_type="congress")
        if perm.is_committee_member(request.user, b)
    ][:1]
    if request.method == "POST":
        if not bodies:
            raise NotFound()
        deputy = User.objects.filter(pk=query_int(request.POST.get("deputy"))).first()
        if deputy is None:
            messages.error(request, _("Choose a deputy."))
        else:
            _run(
                request,
                lambda: services.record_contact(
                    actor=request.user,
                    body=bodies[0],
                    deputy=deputy,
                    kind=request.POST.get("kind", ""),
                    text=request.POST.get("text", ""),
                    day=query_date(request.POST.get("day")),
                ),
            )
        return redirect("deputies:contacts")
    page = Paginator(selectors.contacts_of(request.user), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    deputies = list(selectors.deputies_below(bodies[0])[:300]) if bodies else []
    return render(
        request, "deputies/contacts.html", {"page": page, "deputies": deputies, "kinds": ContactRecord.Kind.choices}
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk):
    record = selectors.access_contact(request.user, pk)
    if request.method == "POST":
        _run(
            request,
            lambda: services.reply_contact(actor=request.user, contact=record, reply=request.POST.get("reply", "")),
        )
        return redirect("deputies:contact", pk=record.pk)
    return render(
        request,
        "deputies/contact.html",
        {"c": record, "may_reply": record.deputy_id == request.user.pk and not record.replied_at},
    )


@require_http_methods(["GET", "POST"])
def channel(request, pk):
    ch = selectors.public_channel(pk)
    moderates = perm.moderates(request.user, ch)
    context = {"ch": ch, "moderates": moderates, "values": request.POST}
    if request.method == "POST":
        try:
            if moderates:
                services.post_as_deputy(
                    actor=request.user,
                    channel=ch,
                    text=request.POST.get("text", ""),
                    parent_id=query_int(request.POST.get("parent")),
                )
                messages.success(request, _("Posted."))
                return redirect("deputies:channel", pk=ch.pk)
            if request.POST.get("action") == "code":
                letter_services.request_code(
                    phone=request.POST.get("phone", ""), ip=client_ip(request) or "",
                    captcha=letter_services.posted_captcha(request.POST),
                )  # fmt: skip
                context["code_sent"] = True
            else:
                services.post_as_public(
                    channel=ch,
                    text=request.POST.get("text", ""),
                    phone=request.POST.get("phone", ""),
                    code=request.POST.get("code", ""),
                    name=request.POST.get("name", ""),
                    parent_id=query_int(request.POST.get("parent")),
                    ip=client_ip(request) or "",
                    captcha=letter_services.posted_captcha(request.POST),
                )
                messages.success(request, _("Thank you. Your post is shown once the group's deputies have read it."))
                return redirect("deputies:channel", pk=ch.pk)
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            context["error"] = exc.message
    if not moderates:
        context["captcha"] = letter_services.captcha_for(
            ip=client_ip(request) or "", phone=request.POST.get("phone", "")
        )
    context["page"] = Paginator(selectors.channel_posts(ch), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    context["pending"] = list(selectors.pending_posts(ch)[:50]) if moderates else []
    return render(request, "deputies/channel.html", context)


@login_required
@require_POST
def moderate(request, pk):
    post = ChannelPost.objects.filter(pk=query_int(pk)).select_related("channel").first()
    if post is None:
        raise NotFound()
    _run(request, lambda: services.moderate_post(actor=request.user, post=post, show=request.POST.get("show") == "1"))
    return redirect("deputies:channel", pk=post.channel_id)


@login_required
@require_GET
def bookings(request, pk):
    """The station's staff: the bookings of its reception days, to mark attended / did not come or cancel."""
    station = selectors.public_station(pk)
    reception_id = query_int(request.GET.get("reception"))
    qs = selectors.station_bookings(request.user, station, reception_id=reception_id)
    page = Paginator(qs, rules.PAGE_SIZE).get_page(request.GET.get("page"))
    for booking in page.object_list:
        booking.masked_phone = mask_phone(booking.phone)
    context = {
        "station": station,
        "page": page,
        "days": selectors.station_days(station),
        "reception_id": reception_id,
        "today": local_date(),
    }
    return render(request, "deputies/bookings.html", context)


@login_required
@require_POST
def mark_booking(request, pk):
    booking = selectors.access_booking(request.user, pk)
    _run(request, lambda: services.mark_booking(actor=request.user, booking=booking, mark=request.POST.get("mark", "")))
    back = f"?reception={booking.reception_id}" if request.POST.get("filtered") else ""
    return redirect(reverse("deputies:bookings", args=[booking.reception.station_id]) + back)
