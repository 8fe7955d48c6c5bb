"""Back-office pages of the working-day calendar (system administrator only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound

from . import calendar, selectors, services
from .forms import DeleteForm, OverrideForm
from .permissions import may_edit_calendar


def _require_admin(request):
    if not may_edit_calendar(request.user):
        raise NotFound()


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, services.MIN_YEAR), services.MAX_YEAR)


def _page(request, year, form, status=200):
    overrides = list(selectors.overrides_of_year(year))
    package = [
        {"date": info.date, "is_workday": info.is_workday, "name": calendar.holiday_label(info.note)}
        for info in calendar.package_days(year)
    ]
    context = {
        "year": year,
        "previous_year": year - 1,
        "next_year": year + 1,
        "overrides": overrides,
        "package_days": package,
        "package_has_year": year in calendar.PACKAGE_YEARS,
        "missing_years": calendar.years_without_data(),
        "rule_days": [
            {"date": info.date, "name": calendar.holiday_label(info.note), "source": info.source}
            for info in calendar.rule_days(year)
        ],
        "predicted": calendar.is_predicted_year(year),
        "confirmation": selectors.confirmation_of(year),
        "form": form,
    }
    return render(request, "workdays/calendar.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    _require_admin(request)
    year = _year(request)
    if request.method == "GET":
        return _page(request, year, OverrideForm())
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            row = services.set_override(
                actor=request.user,
                day=form.cleaned_data["date"],
                is_workday=form.cleaned_data["is_workday"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The day %(date)s was saved.") % {"date": row.date.isoformat()})
            return redirect(f"{reverse('workdays:calendar')}?year={row.date.year}")
    return _page(request, year, form, status=400)


@login_required
@require_POST
def delete_override(request):
    _require_admin(request)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        raise NotFound()
    day = form.cleaned_data["date"]
    services.delete_override(actor=request.user, day=day)
    messages.success(request, _("The override of %(date)s was removed.") % {"date": day.isoformat()})
    return redirect(f"{reverse('workdays:calendar')}?year={day.year}")


@login_required
@require_POST
def confirm_year(request):
    _require_admin(request)
    year = _year(request)
    try:
        services.confirm_year(actor=request.user, year=year)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The calendar of %(year)s is confirmed.") % {"year": year})
    return redirect(f"{reverse('workdays:calendar')}?year={year}")
