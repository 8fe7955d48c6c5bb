"""Thin views of the leaders' dashboards: parse the query, check the scope, read the roll-ups, render (or export)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound
from lvzhi.core.timeutil import local_date

from . import deadlines, exports, flows, performance
from .scope import access_unit, narrow, require_scope


def _page(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page") or 1), 10_000))
    except (TypeError, ValueError):
        return 1


def _year(request) -> int:
    return deadlines.year_param(request.GET.get("year"), local_date().year)


def _unit(request, scope):
    value = request.GET.get("unit")
    return access_unit(request.user, value, scope) if value else None


def _respond(request, template, context, *, name):
    """The page, or its charts' data as an Excel workbook (`?format=xlsx`), audited."""
    if request.GET.get("format") == "xlsx":
        record(
            "dashboards.export", actor=request.user, after={"dashboard": name, "query": request.GET.urlencode()[:500]}
        )
        response = HttpResponse(
            exports.charts_xlsx(context["charts"], title=context["title"]), content_type=exports.XLSX
        )
        response["Content-Disposition"] = f'attachment; filename="dashboard-{name}-{context["year"]}.xlsx"'
        return response
    query = request.GET.copy()
    query["format"] = "xlsx"
    query.pop("page", None)
    context["xlsx_url"] = "?" + query.urlencode()
    return render(request, template, context)


@login_required
@require_GET
def index(request):
    scope = require_scope(request.user)
    return render(request, "dashboards/index.html", {"roots": scope.roots, "scope": scope, "title": _("Dashboards")})


def _dashboard(request, build, *, name: str, title: str):
    """Every dashboard page: the user's scope (none: not found), the year asked for, the dashboard's own reading of
    the query and the roll-ups (`build(request, scope, year)` → context), then the page or its Excel export."""
    scope = require_scope(request.user)
    context = build(request, scope, _year(request))
    context.update({"title": title, "scope": scope})
    return _respond(request, f"dashboards/{name}.html", context, name=name)


def _deadlines(request, scope, year) -> dict:
    unit = _unit(request, scope)
    rule = deadlines.parse_rule(request.GET.get("rule"))
    context = deadlines.dashboard(narrow(scope, unit), year=year, rule=rule, page=_page(request))
    return {**context, "unit": unit}


@login_required
@require_GET
def deadline_view(request):
    return _dashboard(request, _deadlines, name="deadlines", title=_("Deadline accountability"))


@login_required
@require_GET
def deadline_cases(request):
    scope = require_scope(request.user)
    unit = access_unit(request.user, request.GET.get("unit"), scope)
    year = deadlines.year_param(request.GET.get("year"), 0) or None
    rule = deadlines.parse_rule(request.GET.get("rule"))
    context = deadlines.cases(unit, year=year, rule=rule, state=request.GET.get("state", ""), page=_page(request))
    context.update(
        {
            "title": _("Cases of %(unit)s") % {"unit": unit.name},
            "unit": unit,
            "year": year or "",
            "rule": request.GET.get("rule", "")[:110] if rule else "",
            "states": _state_labels(),
            "scope": scope,
        }
    )
    return render(request, "dashboards/cases.html", context)


def _state_labels():
    return [
        ("overdue", _("Overdue, still open")),
        ("late", _("Done late")),
        ("on_time", _("Done on time")),
        ("open", _("Open")),
    ]


def _flows(request, scope, year) -> dict:
    unit = _unit(request, scope)
    return {**flows.dashboard(narrow(scope, unit), year=year), "unit": unit}


@login_required
@require_GET
def flow_view(request):
    return _dashboard(request, _flows, name="flows", title=_("Case flows"))


def _duty(request, scope, year) -> dict:
    """A body's leaders: the body asked for (or their first); a committee's head: their committees' members."""
    bodies = scope.bodies()
    committees = None
    if request.GET.get("body"):
        body = access_unit(request.user, request.GET.get("body"), scope)
        if not body.is_body:
            raise NotFound()
    elif bodies:
        body = bodies[0]
    else:
        own = [u for u in scope.roots if u.kind == "committee"]
        if not own:
            raise NotFound()
        body, committees = own[0].body, {u.pk for u in own if u.body_id == own[0].body_id}
    if committees is None and not scope.covers_body(body):
        raise NotFound()
    context = performance.dashboard(body, year=year, committees=committees, page=_page(request))
    return {**context, "bodies": bodies}


@login_required
@require_GET
def duty_view(request):
    return _dashboard(request, _duty, name="duty", title=_("Duty performance"))


def _screen(request, scope, year) -> dict:
    dl = deadlines.dashboard(scope, year=year, heat=False)
    fl = flows.dashboard(scope, year=year, committees=False)
    charts = [dl["charts"][0], dl["charts"][2], fl["charts"][0], fl["charts"][4]]
    return {"year": year, "dl": dl, "fl": fl, "charts": charts, "refresh": 300}


@login_required
@require_GET
def screen(request):
    """领导驾驶舱: the key figures and charts for a meeting-room display; the page reloads itself every 5 minutes."""
    return _dashboard(request, _screen, name="screen", title=_("Leaders' cockpit"))
