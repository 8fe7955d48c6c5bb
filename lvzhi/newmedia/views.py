"""Pages of the new-media registry (政务新媒体): the matrix, registering an account, one account, one filing with
its steps and exports, the office's queue, duplicates and closure list, the accountability list, and the public
notices (no login). Thin: parse, call one selector or service, render; business errors become the page's message."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.accounts.permissions import has_role
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound
from lvzhi.core.pages import run_on_page as _run  # (request, fn, success message)
from lvzhi.core.xlsx import XLSX_CONTENT_TYPE

from . import actions, exports, forms, present, selectors, services
from . import permissions as perm
from .models import Duty, FilingKind, Platform


def _registry_user(request):
    if not perm.is_registry_user(request.user):
        raise NotFound()


def _nav(request, current):

    return {"nav": current, "nav_office": has_role(request.user, Role.NM_COMPETENT)}


@login_required
@require_GET
def matrix(request):
    _registry_user(request)
    page, table = selectors.matrix(request.user, page=request.GET.get("page"))
    context = {
        **_nav(request, "matrix"),
        "page": page,
        "table": table,
        "platforms": Platform,
        "warnings": present.WARNINGS,
        "may_register": bool(selectors.host_units(request.user)),
    }
    return render(request, "newmedia/matrix.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    units = selectors.host_units(request.user)
    if not units:
        raise NotFound()
    unit = next((u for u in units if str(u.pk) == request.GET.get("unit", "")), units[0])
    if request.method == "POST":
        data = forms.registration(request.POST, request.FILES, units)
        outlet = _run(
            request,
            lambda: services.register_outlet(actor=request.user, **data),
            _("Registered; file it with the government office within the limit."),
        )
        if outlet is not None:
            return redirect("newmedia:outlet", outlet.pk)
        unit = data["host_unit"] or unit
    context = {
        **_nav(request, "register"),
        "units": units,
        "unit": unit,
        "platforms": Platform.choices,
        "duties": Duty.choices,
        "eligible": selectors.eligible_people(unit),
        "post": request.POST,
    }
    return render(request, "newmedia/register.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def outlet(request, pk):
    obj = selectors.access_outlet(request.user, pk)
    context = {
        **_nav(request, "matrix"),
        "outlet": obj,
        "people": obj.people.select_related("user").order_by("duty", "pk"),
        "filings": selectors.filings_of(obj),
        "may_manage": perm.may_manage(request.user, obj),
        "may_review": perm.may_review(request.user, obj),
        "kinds": [(k.value, k.label) for k in FilingKind if k != FilingKind.OPEN],
        "units": selectors.host_units(request.user),
    }
    return render(request, "newmedia/outlet.html", context)


@login_required
@require_POST
def propose(request, pk):
    obj = selectors.access_outlet(request.user, pk)
    data = forms.proposal(request.POST, obj)
    merge_id = data.pop("merge_id")
    merge = selectors.access_outlet(request.user, merge_id) if merge_id else None
    filing = _run(
        request,
        lambda: services.propose(actor=request.user, outlet=obj, merge_into=merge, **data),
        _("Decision recorded; file it with the government office within the limit."),
    )
    return redirect("newmedia:filing", filing.pk) if filing is not None else redirect("newmedia:outlet", obj.pk)


@login_required
@require_POST
def outlet_step(request, pk, name):
    obj = selectors.access_outlet(request.user, pk)
    steps = {
        "approve_name": lambda: services.decide_name(actor=request.user, outlet=obj, approve=True),
        "refuse_name": lambda: services.decide_name(actor=request.user, outlet=obj, approve=False),
        "outside_matrix": lambda: services.set_in_matrix(actor=request.user, outlet=obj, in_matrix=False),
        "in_matrix": lambda: services.set_in_matrix(actor=request.user, outlet=obj, in_matrix=True),
    }
    if name not in steps:
        raise NotFound()
    _run(request, steps[name], _("Saved."))
    return redirect("newmedia:outlet", obj.pk)


@login_required
@require_GET
def filing(request, pk):
    obj = selectors.access_filing(request.user, pk)
    context = {
        **_nav(request, "matrix"),
        "filing": obj,
        "outlet": obj.outlet,
        "steps": actions.available_actions(request.user, obj),
        "rejections": obj.rejections.select_related("issued_by"),
        "history": present.history(obj),
        "may_review": perm.may_review(request.user, obj.outlet),
    }
    return render(request, "newmedia/filing.html", context)


@login_required
@require_POST
def filing_step(request, pk, name):
    obj = selectors.access_filing(request.user, pk)
    _run(
        request,
        lambda: actions.perform(actor=request.user, obj=obj, name=name, data={"text": request.POST.get("text", "")}),
        _("Done."),
    )
    return redirect("newmedia:filing", obj.pk)


@login_required
@require_GET
def filing_form(request, pk, fmt):
    obj = selectors.access_filing(request.user, pk)
    if fmt == "json":
        body = json.dumps(present.form_json(obj), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(exports.form_workbook(obj), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="newmedia-filing-{obj.pk}.{fmt}"'
    return response


@login_required
@require_GET
def rejection(request, pk):
    doc = selectors.access_rejection(request.user, pk)
    return render(request, "newmedia/rejection.html", {**_nav(request, "matrix"), "doc": doc, "filing": doc.filing})


@login_required
@require_GET
def queue(request):
    _registry_user(request)
    page = selectors.office_queue(request.user, page=request.GET.get("page"))
    return render(request, "newmedia/queue.html", {**_nav(request, "queue"), "page": page})


@login_required
@require_GET
def cleanup(request):
    _registry_user(request)
    context = {
        **_nav(request, "cleanup"),
        "pairs": selectors.duplicates(request.user)[:100],
        "page": selectors.closure_list(request.user, page=request.GET.get("page")),
    }
    return render(request, "newmedia/cleanup.html", context)


@login_required
@require_GET
def accountability(request):
    _registry_user(request)
    page = selectors.accountability(request.user, page=request.GET.get("page"))
    return render(request, "newmedia/accountability.html", {**_nav(request, "accountability"), "page": page})


@require_GET
def notices(request):
    """The public notices of changes, closings and cancellations (S2-17): the portal links this page."""
    page = selectors.public_notices(page=request.GET.get("page"))
    return render(request, "newmedia/notices.html", {"page": page})
