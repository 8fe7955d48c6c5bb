"""Pages of 履职管理 for the members' work committee and the offices: rules, samples, analyses, the annual results,
department administrators, and 人员管理 (profiles). Thin, like `views.py` (whose helpers they share)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lvzhi.accounts.models import User
from lvzhi.core.errors import NotFound
from lvzhi.core.validation import safe_query
from lvzhi.orgs.models import OrgUnit, UnitKind

from . import analyses, charts, exports, selectors, services
from . import permissions as perm
from .models import Kind, MemberYear, Outcome, Publication, RuleSet, SampleItem
from .views import _managed_body, _nav, _page, _run, _xlsx

# ---- rules, samples, analyses, results, administrators --------------------------------------------------------


def _liaison_body(request):
    body = _managed_body(request)
    if not perm.is_liaison(request.user, body):
        raise NotFound()
    return body


@login_required
@require_http_methods(["GET", "POST"])
def rulesets(request):
    body = _managed_body(request)
    if request.method == "POST":
        body = _liaison_body(request)
        copy = None
        if request.POST.get("copy_from"):
            copy = RuleSet.objects.filter(pk=request.POST.get("copy_from"), body=body).first()
        rs = _run(
            request,
            lambda: services.create_ruleset(
                actor=request.user, body=body, year=request.POST.get("year"), copy_from=copy
            ),
            _("A new draft version was made."),
        )
        if rs is not None:
            return redirect("duty:ruleset", pk=rs.pk)
        return redirect("duty:rules")
    return render(
        request,
        "duty/rules.html",
        {**_nav(request, body, "rules"), "rulesets": selectors.rulesets(body), "year": selectors.today().year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ruleset(request, pk):
    body = _managed_body(request)
    rs = RuleSet.objects.filter(pk=pk, body=body).first()
    if rs is None:
        raise NotFound()
    if request.method == "POST":
        body = _liaison_body(request)
        what = request.POST.get("do")
        if what == "rule":
            _run(
                request,
                lambda: services.set_rule(
                    actor=request.user,
                    ruleset=rs,
                    kind=request.POST.get("kind"),
                    outcome=request.POST.get("outcome"),
                    points=request.POST.get("points"),
                ),
                _("Saved."),
            )
        elif what == "cap":
            _run(
                request,
                lambda: services.set_cap(
                    actor=request.user, ruleset=rs, kind=request.POST.get("kind"), cap=request.POST.get("cap")
                ),
                _("Saved."),
            )
        elif what == "activate":
            _run(
                request,
                lambda: services.activate_ruleset(actor=request.user, ruleset=rs),
                _("The rules are in force; the year's points were recomputed."),
            )
        return redirect("duty:ruleset", pk=rs.pk)
    context = {
        **_nav(request, body, "rules"),
        "rs": rs,
        "rules": rs.rules.order_by("kind", "outcome"),
        "caps": rs.caps.order_by("kind"),
        "kinds": Kind.choices,
        "outcomes": Outcome.choices,
    }
    return render(request, "duty/ruleset.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def samples(request):
    body = _liaison_body(request)
    if request.method == "POST":
        sample = _run(
            request,
            lambda: services.draw_sample(
                actor=request.user,
                body=body,
                year=request.POST.get("year"),
                quarter=request.POST.get("quarter"),
                size=request.POST.get("size"),
            ),
            _("The sample was drawn."),
        )
        if sample is not None:
            return redirect("duty:sample", pk=sample.pk)
        return redirect("duty:samples")
    return render(
        request,
        "duty/samples.html",
        {**_nav(request, body, "samples"), "samples": selectors.samples(body), "year": selectors.today().year},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sample(request, pk):
    s = selectors.access_sample(request.user, pk)
    if request.method == "POST":
        _run(
            request,
            lambda: services.check_item(
                actor=request.user,
                item_id=request.POST.get("item"),
                result=request.POST.get("result"),
                note=request.POST.get("note"),
            ),
            _("Saved."),
        )
        return redirect("duty:sample", pk=s.pk)
    items = s.items.select_related("record", "record__member", "record__unit").order_by("record_id")
    return render(
        request,
        "duty/sample.html",
        {**_nav(request, s.body, "samples"), "sample": s, "items": items, "results": SampleItem.Result.choices[1:]},
    )


def _analysis(request, body):
    year = selectors.year_param(request.GET.get("year"))
    committee = None
    whole = perm.sees_whole_body(request.user, body)
    mine = perm.committees_of(request.user, body)
    wanted = request.GET.get("committee")
    if wanted and str(wanted).isdigit() and (whole or int(wanted) in mine):
        committee = OrgUnit.objects.filter(pk=int(wanted), body=body).first()
    elif not whole:
        if not mine:
            raise NotFound()
        committee = OrgUnit.objects.filter(pk=mine[0]).first()
    rs = services.ruleset_for(body, year)
    threshold = rs.threshold if rs else 0
    if str(request.GET.get("threshold", "")).isdigit():
        threshold = int(request.GET["threshold"])
    return year, committee, analyses.analyse(body=body, year=year, committee=committee, threshold=threshold)


@login_required
@require_GET
def analysis(request):
    body = _managed_body(request)
    year, committee, a = _analysis(request, body)
    context = {
        **_nav(request, body, "analysis"),
        "a": a,
        "year": year,
        "committee": committee,
        "committees": OrgUnit.objects.filter(body=body, kind=UnitKind.COMMITTEE, is_active=True)
        if perm.sees_whole_body(request.user, body)
        else [],
        "chart": charts.bar_chart(a.distribution, label=_("Distribution of points")),
    }
    return render(request, "duty/analysis.html", context)


@login_required
@require_GET
def analysis_export(request):
    body = _managed_body(request)
    year, committee, a = _analysis(request, body)
    title = _("Duty analysis %(year)s: %(scope)s") % {"year": year, "scope": committee.name if committee else body.name}
    return _xlsx(exports.analysis_workbook(a, title=title), f"duty-analysis-{year}.xlsx")


@login_required
@require_GET
def departments(request):
    body = _managed_body(request)
    if not perm.sees_whole_body(request.user, body):
        raise NotFound()
    year = selectors.year_param(request.GET.get("year"))
    return render(
        request,
        "duty/departments.html",
        {
            **_nav(request, body, "departments"),
            "year": year,
            "rows": analyses.department_evaluation(body=body, year=year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def results(request):
    body = _liaison_body(request)
    if request.method == "POST":
        year = selectors.year_param(request.POST.get("year"))
        out = _run(
            request,
            lambda: services.publish_results(
                actor=request.user, body=body, year=year, to_employers=request.POST.get("to_employers") == "1"
            ),
            _("The results are signed off and recorded; the year is frozen."),
        )
        if out is not None:
            return _xlsx(out[1], f"duty-results-{year}.xlsx")
        return redirect("duty:results")

    return render(
        request,
        "duty/results.html",
        {
            **_nav(request, body, "results"),
            "year": selectors.today().year,
            "publications": Publication.objects.filter(body=body).select_related("signed_off_by").order_by("-year"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def admins(request):
    body = _liaison_body(request)
    departments = OrgUnit.objects.filter(body=body, kind__in=[UnitKind.OFFICE, UnitKind.COMMITTEE], is_active=True)
    if request.method == "POST":
        dept = departments.filter(pk=request.POST.get("department") or 0).first()
        if dept is None:
            raise NotFound()
        _run(
            request,
            lambda: services.assign_admin(actor=request.user, department=dept, user_id=request.POST.get("user")),
            _("The administrator was named; the rights moved at once."),
        )
        return redirect("duty:admins")

    rows = [
        {
            "unit": d,
            "admin": services.current_admin(d),
            "people": User.objects.filter(unit=d, is_active=True).order_by("real_name"),
        }
        for d in departments
    ]
    return render(request, "duty/admins.html", {**_nav(request, body, "admins"), "rows": rows})


# ---- 人员管理 -------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def people(request):
    body = _managed_body(request)
    if not (perm.is_liaison(request.user, body) or perm.committees_of(request.user, body)):
        raise NotFound()
    if request.method == "POST":
        _run(
            request,
            lambda: services.enter_profile(
                actor=request.user, body=body, phone=request.POST.get("phone"), data=request.POST
            ),
            _("The profile was entered."),
        )
        return redirect("duty:people")
    q = safe_query(request.GET.get("q", ""), max_length=40)
    context = {
        **_nav(request, body, "people"),
        "page": _page(request, selectors.profiles(request.user, body, q=q)),
        "q": q,
        "committees": OrgUnit.objects.filter(body=body, kind=UnitKind.COMMITTEE, is_active=True),
        "sectors": OrgUnit.objects.filter(body=body, kind=UnitKind.SECTOR, is_active=True),
    }
    return render(request, "duty/people.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person(request, pk):
    profile = selectors.access_profile(request.user, pk)
    body = profile.body
    if request.method == "POST":
        if request.POST.get("do") == "retire":
            _run(
                request,
                lambda: services.retire_profile(actor=request.user, profile=profile, reason=request.POST.get("reason")),
                _("The profile was ended."),
            )
            return redirect("duty:people")
        _run(
            request,
            lambda: services.update_profile(actor=request.user, profile=profile, data=request.POST),
            _("Saved."),
        )
        return redirect("duty:person", pk=profile.pk)
    context = {
        **_nav(request, body, "people"),
        "profile": profile,
        "committees": OrgUnit.objects.filter(body=body, kind=UnitKind.COMMITTEE, is_active=True),
        "sectors": OrgUnit.objects.filter(body=body, kind=UnitKind.SECTOR, is_active=True),
        "liaison": perm.is_liaison(request.user, body),
        "year_row": MemberYear.objects.filter(body=body, member=profile.user, year=selectors.today().year).first(),
    }
    return render(request, "duty/person.html", context)
