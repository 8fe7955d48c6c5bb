"""Pages of disclosure: the designated repost sources (S2-27), the annual disclosure reports (S2-6) and the
emergency and rumour response times with their export (S2-29)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.accounts.roles import Role
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.params import query_int
from lvzhi.orgs.models import OrgUnit

from . import permissions as perms
from . import selectors, services
from . import selectors_disclosure as sel
from .models import RepostSource, Urgency
from .services.annual_report import FIRST_YEAR
from .services.urgent_export import export_response_times

PAGE_SIZE = 20


def _body_for(request, body_ids):
    if not body_ids:
        raise NotFound()
    wanted = query_int(request.GET.get("body") or request.POST.get("body"))
    if wanted in body_ids:
        return OrgUnit.objects.get(pk=wanted)
    own = perms.body_id_of(request.user)
    return OrgUnit.objects.get(pk=own if own in body_ids else min(body_ids))


# ---- designated sources (S2-27) ------------------------------------------------------------------------------------


class SourceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    site = forms.CharField(label=gettext_lazy("Web site"), max_length=200, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def sources(request):
    user = request.user
    body_ids = perms.oversight_body_ids(user, (Role.INFO_OFFICE,)) if perms._authenticated(user) else set()
    body = _body_for(request, body_ids)
    form = SourceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.add_repost_source(actor=user, body=body, **form.cleaned_data)
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The source was added to the list."))
                return redirect(f"{request.path}?body={body.pk}")
    rows = sel.sources_of(body, active_only=False)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"body": body, "page": page, "form": form, "categories": sel.categories_of(body)}
    return render(request, "content/sources.html", context, status=status)


@login_required
@require_POST
def source_retire(request, pk):
    source = RepostSource.objects.select_related("body").filter(pk=pk).first()
    if source is None or not perms.may_admin_sources(request.user, source.body):
        raise NotFound()
    try:
        services.retire_repost_source(actor=request.user, source=source)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The source was taken off the list."))
    return redirect(f"/content/sources/?body={source.body_id}")


# ---- annual disclosure reports (S2-6) -----------------------------------------------------------------------------


class AnnualReportForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Department"), coerce=int)
    column = forms.TypedChoiceField(label=gettext_lazy("Column"), coerce=int)
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)

    def __init__(self, *args, units=(), columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["column"].choices = [(c.pk, c.name) for c in columns]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, y) for y in range(this_year, FIRST_YEAR - 1, -1)]
        self.fields["year"].initial = this_year - 1
        annual = next(
            (c for c in columns if c.disclosure_category and c.disclosure_category.code == "annual_report"), None
        )
        if annual is not None:
            self.fields["column"].initial = annual.pk


@login_required
@require_http_methods(["GET", "POST"])
def annual_reports(request):
    user = request.user
    if not perms.may_see_register(user):
        raise NotFound()
    columns = list(selectors.writable_columns(user))
    units = {u.pk: u for c in columns for u in perms.draft_units(user, c)}
    form = AnnualReportForm(request.POST or None, units=list(units.values()), columns=columns)
    status = 200
    if request.method == "POST":
        if not columns:
            raise NotFound()
        status = 400
        if form.is_valid():
            column = next(c for c in columns if c.pk == form.cleaned_data["column"])
            try:
                report = services.generate_annual_report(
                    actor=user, unit=units[form.cleaned_data["unit"]], year=form.cleaned_data["year"], column=column
                )
            except ApplicationError as exc:
                if exc.status == 404:
                    raise
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The draft report was generated: check the figures, edit and submit it."))
                return redirect("content:work", pk=report.article_id)
    page = Paginator(sel.annual_reports(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form if columns else None}
    return render(request, "content/annual_reports.html", context, status=status)


# ---- emergency and rumour response times (S2-29) ------------------------------------------------------------------


def _year(request):
    year = query_int(request.GET.get("year"))
    this_year = timezone.localdate().year
    return year if year and FIRST_YEAR <= year <= this_year else this_year


@login_required
@require_GET
def response_times(request):
    user = request.user
    if not perms.urgent_report_body_ids(user):
        raise NotFound()
    year = _year(request)
    items = sel.urgent_items(user, year=year)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    this_year = timezone.localdate().year
    context = {
        "page": page,
        "year": year,
        "years": range(this_year, this_year - 5, -1),
        "summary": sel.urgent_summary(items),
        "kinds": Urgency,
    }
    return render(request, "content/response_times.html", context)


@login_required
@require_GET
def response_times_export(request):
    user = request.user
    if not perms.urgent_report_body_ids(user):
        raise NotFound()
    year = _year(request)
    data = export_response_times(actor=user, items=sel.urgent_items(user, year=year)[:50_000].iterator(), year=year)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="response-times-{year}.xlsx"'
    return response
