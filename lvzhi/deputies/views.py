"""Public pages of deputies (S4-2.2.1): the list, a deputy's page with their duty performance, the QR code that opens
the message form for that deputy (码上见代表), the photo; contact stations and their reception days (booked by the
public). Thin: parse, call, render."""

import io

import segno
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.netaddr import client_ip
from lvzhi.core.params import query_year
from lvzhi.core.timeutil import local_date
from lvzhi.core.uploads import file_response
from lvzhi.letters import selectors as letters
from lvzhi.letters import services as letter_services
from lvzhi.portal.selectors import site_for_body

from . import rules, selectors, services
from .present import deputy_page


@require_GET
def index(request):
    page = Paginator(selectors.published_pages(), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deputies/index.html", {"page": page})


@require_GET
def detail(request, pk):
    page = selectors.public_page(pk)
    year = query_year(request.GET.get("year")) or local_date().year
    view = deputy_page(page, year, contact_counts=letters.deputy_contact_counts(page.deputy, year))
    return render(
        request,
        "deputies/page.html",
        {
            "d": view,
            "year": year,
            "years": range(local_date().year, local_date().year - 5, -1),
            "site": site_for_body(request, page.body),
        },
    )


def qr_url(request, page) -> str:
    return request.build_absolute_uri(reverse("letters:write")) + f"?deputy={page.pk}&via=qr"


@require_GET
def qr(request, pk, fmt):
    page = selectors.public_page(pk)
    out = io.BytesIO()
    code = segno.make(qr_url(request, page), error="m")
    if fmt == "svg":
        code.save(
            out, kind="svg", scale=6, border=2, title=_("Write to deputy %(name)s") % {"name": page.deputy.real_name}
        )
        return HttpResponse(out.getvalue(), content_type="image/svg+xml")
    code.save(out, kind="png", scale=8, border=2)
    return HttpResponse(out.getvalue(), content_type="image/png")


@require_GET
def photo(request, pk):
    page = selectors.public_page(pk)
    if not page.photo or "photo" not in deputy_page(page, local_date().year)["fields"]:
        raise NotFound()
    return file_response(page.photo, filename=f"deputy-{page.pk}.jpg", content_type="image/jpeg")


@require_GET
def station(request, pk):
    st = selectors.public_station(pk)
    context = {
        "station": st,
        "deputies": selectors.station_deputies(st),
        "receptions": list(selectors.upcoming_receptions(st)[:20]),
        "site": site_for_body(request, st.body),
    }
    return render(request, "deputies/station.html", context)


@require_http_methods(["GET", "POST"])
def book(request, pk):
    reception = selectors.public_reception(pk)
    context = {"reception": reception, "values": request.POST, "site": site_for_body(request, reception.station.body)}
    ip, phone = client_ip(request) or "", request.POST.get("phone", "")
    if request.method == "GET":
        context["captcha"] = letter_services.captcha_for(ip=ip)
        return render(request, "deputies/book.html", context)
    captcha = letter_services.posted_captcha(request.POST)
    try:
        if request.POST.get("action") == "code":
            letter_services.request_code(phone=phone, ip=ip, captcha=captcha)
            context["code_sent"] = True
            context["captcha"] = letter_services.captcha_for(ip=ip, phone=phone)
            return render(request, "deputies/book.html", context)
        booking = services.book_reception(
            reception=reception,
            phone=request.POST.get("phone", ""),
            code=request.POST.get("code", ""),
            name=request.POST.get("name", ""),
            matter=request.POST.get("matter", ""),
            ip=ip,
            captcha=captcha,
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        context["error"] = exc.message
        context["captcha"] = letter_services.captcha_for(ip=ip, phone=phone)
        return render(request, "deputies/book.html", context, status=exc.status)
    context["booking"] = booking
    return render(request, "deputies/booked.html", context)
