"""Pages of the public's messages: the form (from a deputy's page, a deputy's QR code, a station or a site), the
look-up by code, the knowledge base; the handlers' queue and message page with its steps; the office's abuse
controls. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.cache import hit
from lvzhi.core.errors import ApplicationError, NotFound, RateLimited
from lvzhi.core.netaddr import client_ip
from lvzhi.core.validation import safe_query
from lvzhi.deputies import selectors as deputies
from lvzhi.newmedia import selectors as newmedia
from lvzhi.orgs.models import OrgUnit
from lvzhi.portal.selectors import default_site, find_site, site_bodies, site_for_body

from . import actions, rules, selectors, services
from . import permissions as perm
from .models import Feature, FeatureControl, Kind, Letter
from .present import present, public_entry

SUGGESTIONS = 5


def _ip(request) -> str:
    return client_ip(request) or ""


def _target(params) -> dict:
    """The message's addressee from the query or form: a deputy's page, a station or a site (404 if none is open)."""
    if params.get("deputy"):
        return {"page": deputies.public_page(params.get("deputy"))}
    if params.get("station"):
        return {"station": deputies.public_station(params.get("station"))}
    if params.get("outlet"):
        return {"outlet": newmedia.public_outlet(params.get("outlet"))}
    raise NotFound()


def _kinds(target: dict) -> list:
    if "outlet" in target:
        return Kind.choices
    return [(k, label) for k, label in Kind.choices if k != Kind.ERROR_REPORT]


def _site_of_target(request, target: dict):
    """The site the form is shown in: the deputy's or station's body's site, else the request's site."""
    if "page" in target:
        return site_for_body(request, target["page"].body)
    if "station" in target:
        return site_for_body(request, target["station"].body)
    return None


def _has_target(params) -> bool:
    return any(params.get(k) for k in ("deputy", "station", "outlet"))


@require_GET
def choose(request):
    """`/letters/write/` without an addressee: choose a deputy or a contact station of this site (search by name or
    area) instead of a dead end."""
    site = find_site(request, None) or default_site()
    bodies = site_bodies(site) if site is not None else []
    query = safe_query(request.GET.get("q", ""), max_length=40)
    context = {
        "q": query,
        "pages": Paginator(deputies.find_pages(bodies, query), rules.PAGE_SIZE).get_page(request.GET.get("page")),
        "stations": Paginator(deputies.find_stations(bodies, query), rules.PAGE_SIZE).get_page(
            request.GET.get("spage")
        ),
    }
    if site is not None:
        context["site"] = site
    return render(request, "letters/choose.html", context)


@require_http_methods(["GET", "POST"])
def write(request):
    params = request.POST if request.method == "POST" else request.GET
    if request.method == "GET" and not _has_target(params):
        return choose(request)
    target = _target(params)
    via = "qr" if params.get("via") == "qr" else "page"
    context = {"target": target, "kinds": _kinds(target), "values": params, "via": via}
    site = _site_of_target(request, target)
    if site is not None:
        context["site"] = site
    if request.method == "GET":
        context["captcha"] = services.captcha_for(ip=_ip(request))
        return render(request, "letters/write.html", context)
    captcha = services.posted_captcha(request.POST)
    try:
        if request.POST.get("action") == "code":
            services.request_code(phone=request.POST.get("phone", ""), ip=_ip(request), captcha=captcha)
            context["code_sent"] = True
            context["captcha"] = services.captcha_for(ip=_ip(request), phone=request.POST.get("phone", ""))
            return render(request, "letters/write.html", context)
        letter = services.write_letter(
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            text=request.POST.get("text", ""),
            name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""),
            code=request.POST.get("code", ""),
            ip=_ip(request),
            via=via,
            captcha=captcha,
            **target,
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        context["error"] = exc.message
        context["captcha"] = services.captcha_for(ip=_ip(request), phone=request.POST.get("phone", ""))
        return render(request, "letters/write.html", context, status=exc.status)
    messages.success(request, _("Your message was received. Keep the lookup code to follow it."))
    return redirect(f"/letters/lookup/?code={letter.lookup_code}")


@require_GET
def lookup(request):
    code = safe_query(request.GET.get("code", ""), max_length=8)
    context = {"code": code, "item": None}
    if code:
        if hit(f"letters:lookup:{_ip(request)}", window_seconds=3600) > rules.LOOKUPS_PER_IP_PER_HOUR:
            raise RateLimited(_("Too many look-ups from this address; please try again in an hour."))
        try:
            context["item"] = present(None, selectors.by_lookup_code(code))
        except NotFound:
            context["not_found"] = True
    return render(request, "letters/lookup.html", context)


@require_GET
def knowledge_base(request):
    query = safe_query(request.GET.get("q", ""), max_length=100)
    page = Paginator(selectors.knowledge_base(query), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [public_entry(letter) for letter in page.object_list]
    return render(request, "letters/kb.html", {"page": page, "q": query})


@require_GET
def knowledge_entry(request, pk):
    return render(request, "letters/kb_entry.html", {"entry": public_entry(selectors.access_published(pk))})


@require_GET
def suggest(request):
    """Published answers to similar questions, as the writer types the subject (htmx; a plain link without it)."""
    query = safe_query(request.GET.get("title", "") or request.GET.get("q", ""), max_length=100)
    entries = [public_entry(letter) for letter in selectors.knowledge_base(query)[:SUGGESTIONS]] if query else []
    return render(request, "letters/_suggestions.html", {"entries": entries, "q": query})


@require_GET
def sites(request):
    page = Paginator(newmedia.public_outlets(), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "letters/sites.html", {"page": page})


# ---- handlers ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    status = request.GET.get("status", "")
    publication = request.GET.get("publication", "")
    qs = selectors.queue(request.user, status=status, publication=publication)
    context = {
        "page": Paginator(qs, rules.PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": Letter.Status.choices,
        "status": status,
        "publication": publication,
        "is_office": bool(perm.office_bodies(request.user)),
    }
    return render(request, "letters/queue.html", context)


def _departments(letter):
    body = letter.unit.body or letter.unit
    return (
        OrgUnit.objects.filter(body=body, is_active=True, kind__in=["department", "handling_unit", "office"])
        .exclude(pk=letter.unit_id)
        .order_by("path")[:200]
    )


@login_required
@require_GET
def detail(request, pk):
    letter = selectors.access(request.user, pk)
    steps = actions.STEPS.available(request.user, letter)
    context = {
        "item": present(request.user, letter),
        "steps": steps,
        "departments": _departments(letter) if any(s.name == "forward" for s in steps) else [],
        "passed_as": Letter.PassedAs.choices,
    }
    return render(request, "letters/detail.html", context)


@login_required
@require_POST
def step(request, pk, name):
    letter = selectors.access(request.user, pk)
    try:
        actions.STEPS.perform(actor=request.user, obj=letter, name=name, data=request.POST)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done."))
    return redirect("letters:detail", pk=letter.pk)


@login_required
@require_http_methods(["GET", "POST"])
def controls(request):
    bodies = sorted(perm.office_bodies(request.user))
    if not bodies:
        raise NotFound()
    body = OrgUnit.objects.get(pk=bodies[0])
    if request.method == "POST":
        try:
            services.set_feature(
                actor=request.user,
                body=body,
                feature=request.POST.get("feature", ""),
                state=request.POST.get("state", ""),
                per_number_per_day=request.POST.get("per_number_per_day"),
                per_ip_per_hour=request.POST.get("per_ip_per_hour"),
                assessment=request.POST.get("assessment", ""),
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Saved, and recorded in the security assessment."))
        return redirect("letters:controls")
    context = {
        "body": body,
        "controls": selectors.controls_of(body),
        "features": dict(Feature.choices),
        "states": FeatureControl.State.choices,
        "page": Paginator(selectors.security_records(body), rules.PAGE_SIZE).get_page(request.GET.get("page")),
        "limits": (rules.MAX_PER_NUMBER_PER_DAY, rules.MAX_PER_IP_PER_HOUR),
    }
    return render(request, "letters/controls.html", context)
