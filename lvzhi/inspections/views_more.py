"""Pages of inspections, continued: the units' published results, the accountability list (S2-41), security duties
(S1-3.4), the operations archive (S2-32), and the public results (no login; a plain page until the portal's
design)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_int, query_year
from lvzhi.core.xlsx import XLSX_CONTENT_TYPE
from lvzhi.newmedia import selectors as newmedia_selectors
from lvzhi.orgs.models import OrgUnit
from lvzhi.workflow.selectors import users_with_roles

from . import exports, forms, rules, selectors, services
from . import permissions as perm
from .models import ActionKind, Assessment, DutyKind, Round
from .views import _office, member, nav, run


@login_required
@require_GET
def results(request):
    member(request)
    page = selectors.unit_checks(request.user, page=request.GET.get("page"))
    return render(request, "inspections/results.html", {**nav(request, "results"), "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def accountability(request):
    office, offices = _office(request)
    form = forms.ActionForm()
    if request.method == "POST":
        form = forms.ActionForm(request.POST)
        unit = OrgUnit.objects.filter(pk=query_int(request.POST.get("unit"))).first()
        if form.is_valid():
            done = run(
                request,
                lambda: services.record_action(actor=request.user, office=office, unit=unit, **form.cleaned_data),
                _("The action was recorded."),
            )
            if done is not None:
                return redirect(f"{request.path}?office={office.pk}")
    page, rows = selectors.accountability(request.user, office, page=request.GET.get("page"))
    context = {
        **nav(request, "accountability"),
        "page": page,
        "rows": rows,
        "form": form,
        "office": office,
        "offices": offices,
        "reasons": {"unfiled": _("Unfiled accounts"), "unfixed": _("Unfixed findings past their deadline"),
                    "serious": _("Serious failures")},
        "kinds": dict(ActionKind.choices),
    }  # fmt: skip
    return render(request, "inspections/accountability.html", context)


@login_required
@require_GET
def security(request):
    member(request)
    page = selectors.security_outlets(request.user, page=request.GET.get("page"))
    return render(request, "inspections/security.html", {**nav(request, "security"), "page": page, "kinds": DutyKind})


@login_required
@require_http_methods(["GET", "POST"])
def security_outlet(request, outlet_id):
    outlet = newmedia_selectors.access_outlet(request.user, outlet_id)
    member(request)
    people = users_with_roles(outlet.host_unit, perm.UNIT_ROLES)
    form = forms.DutyForm(people=people)
    if request.method == "POST":
        form = forms.DutyForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            done = run(
                request,
                lambda: services.record_duty(
                    actor=request.user,
                    outlet=outlet,
                    kind=data["kind"],
                    done_on=data["done_on"],
                    responsible_id=data["responsible"],
                    note=data["note"],
                ),
                _("Recorded."),
            )
            if done is not None:
                return redirect("inspections:security_outlet", outlet.pk)
    context = {
        **nav(request, "security"),
        "outlet": outlet,
        "form": form,
        "duties": selectors.duties_of(outlet),
        "interval": rules.password_interval(outlet.host_unit),
        "years": range(timezone.localdate().year, 2018, -1),
    }
    return render(request, "inspections/security_outlet.html", context)


@login_required
@require_GET
def archive(request, outlet_id, year, fmt):
    outlet = newmedia_selectors.access_outlet(request.user, outlet_id)
    member(request)
    year = query_year(year)
    if year is None:
        raise NotFound()
    if fmt == "zip":
        body, content_type = exports.archive_zip(outlet, year), "application/zip"
    else:
        body, content_type = exports.workbook(outlet, year), XLSX_CONTENT_TYPE
    record(
        "inspections.archive.export",
        actor=request.user,
        obj=outlet,
        org_unit=outlet.host_unit,
        after={"year": year, "format": fmt},
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="archive-{outlet.pk}-{year}.{fmt}"'
    return response


# ---- the public results (no login) --------------------------------------------------------------------------------


@require_GET
def public_rounds(request):
    qs = Round.objects.filter(status=Round.Status.PUBLISHED).select_related("office")
    office = query_int(request.GET.get("office"))
    if office:
        qs = qs.filter(office_id=office)
    qs = qs.annotate(n=Count("checks"), failed=Count("checks", filter=Q(checks__passed=False)))
    page = Paginator(qs.order_by("-published_at", "-pk"), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    years = (
        Assessment.objects.filter(published_at__isnull=False)
        .values("office_id", "office__name", "year")
        .distinct()
        .order_by("-year", "office__name")[:50]
    )
    return render(request, "inspections/public_rounds.html", {"page": page, "years": years})


@require_GET
def public_round(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("office", "version"), pk=pk, status=Round.Status.PUBLISHED)
    checks = round_.checks.select_related("outlet", "unit").order_by("-passed", "-score", "unit__path", "outlet_id")
    page = Paginator(checks, 100).get_page(request.GET.get("page"))
    return render(request, "inspections/public_round.html", {"round": round_, "page": page})


@require_GET
def public_assessment(request, office_id, year):
    qs = Assessment.objects.filter(office_id=office_id, year=year, published_at__isnull=False)
    office = get_object_or_404(OrgUnit, pk=office_id)
    qs = qs.select_related("outlet", "unit", "version").order_by("-passed", "-score", "unit__path", "outlet_id")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    if not page.object_list:
        raise NotFound()
    return render(request, "inspections/public_assessment.html", {"office": office, "year": year, "page": page})
