"""Pages of inspections (政务网站与新媒体检查): the units' quarterly self-inspections, the office's rounds and spot
checks with their scoring, the findings to fix, the annual assessment. Thin: parse, call one selector or service,
render; business errors become the page's message. Accountability, security duties, the archive and the public
results are in `views_more.py`."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import NotFound
from lvzhi.core.pages import run_on_page as run  # (request, fn, success message)
from lvzhi.core.params import query_int, query_year

from . import actions, forms, present, selectors, services
from . import permissions as perm
from .models import Round, SelfInspection


def member(request):
    if not perm.is_inspections_user(request.user):
        raise NotFound()


def nav(request, current):
    return {"nav": current, "nav_office": perm.is_office_user(request.user)}


@login_required
@require_GET
def home(request):
    member(request)
    page = selectors.self_inspections(request.user, page=request.GET.get("page"))
    now = timezone.now()
    for r in page:
        r.dates = present.self_dates(r, now)
    return render(request, "inspections/home.html", {**nav(request, "self"), "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def self_detail(request, pk):
    report = selectors.access_self(request.user, pk)
    editable = perm.may_edit_report(request.user, report) and report.status in (
        SelfInspection.Status.DUE,
        SelfInspection.Status.RETURNED,
    )
    form = forms.ReportForm(initial={"text": report.report})
    if request.method == "POST":
        if not editable:
            raise NotFound()
        form = forms.ReportForm(request.POST)
        if form.is_valid():
            done = run(
                request,
                lambda: services.save_report(actor=request.user, report=report, text=form.cleaned_data["text"]),
                _("Saved."),
            )
            if done is not None:
                return redirect("inspections:self", report.pk)
    context = {
        **nav(request, "self"),
        "report": report,
        "form": form,
        "editable": editable,
        "data": present.self_dict(report),
        "dates": present.self_dates(report),
        "history": present.self_history(report),
    }
    steps = actions.SELF_STEPS.available(request.user, report)
    # while the report is edited here, "submit" is the edit form's second button: what was typed is submitted
    context["may_submit"] = editable and any(s.name == "submit" for s in steps)
    context["steps"] = [s for s in steps if not (context["may_submit"] and s.name == "submit")]
    return render(request, "inspections/self.html", context)


@login_required
@require_POST
def self_regenerate(request, pk):
    report = selectors.access_self(request.user, pk)
    run(request, lambda: services.regenerate(actor=request.user, report=report), _("The draft was generated again."))
    return redirect("inspections:self", report.pk)


@login_required
@require_POST
def self_step(request, pk, name):
    report = selectors.access_self(request.user, pk)
    data = {"text": request.POST.get("text", "")}
    run(request, lambda: actions.SELF_STEPS.perform(actor=request.user, obj=report, name=name, data=data), _("Done."))
    return redirect("inspections:self", report.pk)


# ---- rounds and spot checks (the competent office) ---------------------------------------------------------------


def _office(request):
    offices = selectors.offices_of(request.user)
    if not offices:
        raise NotFound()
    wanted = query_int(request.GET.get("office") or request.POST.get("office"))
    return next((o for o in offices if o.pk == wanted), offices[0]), offices


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request):
    office, offices = _office(request)
    today = timezone.localdate()
    form = forms.RoundForm(initial={"kind": "monthly", "year": today.year, "period": today.month, "checked_on": today})
    if request.method == "POST":
        form = forms.RoundForm(request.POST)
        if form.is_valid():
            created = run(
                request,
                lambda: services.create_round(actor=request.user, office=office, **form.cleaned_data),
                _("The round was created; score each website and account."),
            )
            if created is not None:
                return redirect("inspections:round", created.pk)
    page = selectors.rounds(request.user, page=request.GET.get("page"))
    context = {**nav(request, "rounds"), "page": page, "form": form, "office": office, "offices": offices}
    return render(request, "inspections/rounds.html", context)


@login_required
@require_GET
def round_detail(request, pk):
    round_ = selectors.access_round(request.user, pk)
    context = {
        **nav(request, "rounds"),
        "round": round_,
        "checks": selectors.checks_of(round_),
        "steps": actions.ROUND_STEPS.available(request.user, round_),
    }
    return render(request, "inspections/round.html", context)


@login_required
@require_POST
def round_step(request, pk, name):
    round_ = selectors.access_round(request.user, pk)
    run(request, lambda: actions.ROUND_STEPS.perform(actor=request.user, obj=round_, name=name), _("Done."))
    return redirect("inspections:round", round_.pk)


@login_required
@require_http_methods(["GET", "POST"])
def check_detail(request, pk):
    check = selectors.access_check(request.user, pk)
    inds = services.indicators(check.round.version, services.applies_to(check.outlet))
    initial = {}
    for item in check.items.all():
        initial[f"ded_{item.indicator.code}"] = item.deduction or None
        initial[f"veto_{item.indicator.code}"] = item.veto_hit
        initial[f"note_{item.indicator.code}"] = item.note
    form = forms.score_form(inds, initial=initial)
    editable = check.round.status == Round.Status.OPEN
    if request.method == "POST":
        if not editable:
            raise NotFound()
        form = forms.score_form(inds, data=request.POST)
        items = forms.score_items(inds, request.POST)
        done = run(request, lambda: services.score_outlet(actor=request.user, check=check, items=items), _("Scored."))
        if done is not None:
            return redirect("inspections:round", check.round_id)
    context = {**nav(request, "rounds"), "check": check, "form": form, "editable": editable}
    return render(request, "inspections/check.html", context)


# ---- findings to fix -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def fixes(request):
    member(request)
    state = request.GET.get("state") or ""
    page = selectors.fixes(request.user, page=request.GET.get("page"), state=state)
    return render(request, "inspections/fixes.html", {**nav(request, "fixes"), "page": page, "state": state})


@login_required
@require_GET
def fix_detail(request, pk):
    fix = selectors.access_fix(request.user, pk)
    context = {
        **nav(request, "fixes"),
        "fix": fix,
        "steps": actions.FIX_STEPS.available(request.user, fix),
        "history": present.fix_history(fix),
    }
    return render(request, "inspections/fix.html", context)


@login_required
@require_POST
def fix_step(request, pk, name):
    fix = selectors.access_fix(request.user, pk)
    data = {"text": request.POST.get("text", "")}
    run(request, lambda: actions.FIX_STEPS.perform(actor=request.user, obj=fix, name=name, data=data), _("Done."))
    return redirect("inspections:fix", fix.pk)


# ---- the annual assessment -----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request):
    member(request)
    year = query_year(request.GET.get("year") or request.POST.get("year")) or timezone.localdate().year
    offices = selectors.offices_of(request.user)
    if request.method == "POST":
        if not offices:
            raise NotFound()
        office, _all = _office(request)
        if request.POST.get("do") == "publish":
            run(
                request,
                lambda: services.publish_year(actor=request.user, office=office, year=year),
                _("The year's results are published."),
            )
        else:
            run(
                request,
                lambda: services.compute_year(actor=request.user, office=office, year=year),
                _("The year's assessment was computed."),
            )
        return redirect(f"{request.path}?year={year}")
    page = selectors.assessments(request.user, year=year, page=request.GET.get("page"))
    context = {**nav(request, "assessment"), "page": page, "year": year, "offices": offices}
    return render(request, "inspections/assessment.html", context)
