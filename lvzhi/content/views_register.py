"""Pages of content: the publication register (and its export) and the reports readers file on articles."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.params import query_date, query_int
from lvzhi.workflow.selectors import deadline_of, history_of

from . import permissions as perms
from . import selectors, services
from .forms import HandleReportForm, ReportForm
from .views import PAGE_SIZE, _form_error
from .workflows import REPORT_DEADLINE

# ---- the register ------------------------------------------------------------------------------------------------


def _register_filters(request):
    since, until = query_date(request.GET.get("from")), query_date(request.GET.get("to"))
    unit_id = query_int(request.GET.get("unit"))
    filters = {"unit": unit_id, "from": since.isoformat() if since else "", "to": until.isoformat() if until else ""}
    tz = timezone.get_current_timezone()
    since_at = dt.datetime.combine(since, dt.time.min, tzinfo=tz) if since else None
    until_at = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if until else None
    return filters, selectors.register_entries(request.user, unit_id=unit_id, since=since_at, until=until_at)


@login_required
@require_GET
def register(request):
    if not perms.may_see_register(request.user):
        raise NotFound()
    filters, entries = _register_filters(request)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "units": selectors.register_units(request.user)}
    return render(request, "content/register.html", context)


@login_required
@require_GET
def register_export(request):
    if not perms.may_see_register(request.user):
        raise NotFound()
    filters, entries = _register_filters(request)
    data = services.export_register(actor=request.user, entries=entries[:50_000].iterator(), filters=filters)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="register-{stamp}.xlsx"'
    return response


# ---- reports ---------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request, pk):
    user = request.user
    item = selectors.access_live_article(user, pk)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                report = services.report_article(
                    actor=user, article=item, kind=form.cleaned_data["kind"], reason=form.cleaned_data["reason"]
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Thank you: the information office will look into it."))
                return redirect("content:report", pk=report.pk)
    return render(request, "content/report_new.html", {"article": item, "form": form}, status=status)


@login_required
@require_GET
def reports(request):
    user = request.user
    if not perms.may_use_report_queue(user):
        page = Paginator(selectors.reports_by(user), PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"page": page, "mine": True, "state": "", "now": timezone.now()}
        return render(request, "content/reports.html", context)
    state = request.GET.get("state", "open")
    if state not in selectors.REPORT_STATES:
        state = "open"
    page = Paginator(selectors.report_queue(user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "content/reports.html", {"page": page, "state": state, "now": timezone.now()})


def _report_context(request, report, form=None):
    return {
        "report": report,
        "history": list(history_of(report)),
        "deadline": deadline_of(report, REPORT_DEADLINE),
        "may_handle": perms.may_handle_report(request.user, report) and report.status in ("open", "contacted"),
        "form": form or HandleReportForm(),
        "now": timezone.now(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    user = request.user
    item = selectors.access_report(user, pk)
    if request.method == "GET":
        return render(request, "content/report.html", _report_context(request, item))
    form = HandleReportForm(request.POST)
    if form.is_valid():
        try:
            services.handle_report(
                actor=user, report=item, action=form.cleaned_data["action"], note=form.cleaned_data["note"]
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("content:report", pk=item.pk)
    item = selectors.access_report(user, pk)
    return render(request, "content/report.html", _report_context(request, item, form), status=400)
