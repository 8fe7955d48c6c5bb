"""Pages of 意见反馈: the form every page links to (signed in or not), a visitor's look-up by code, the user's own
feedback, and the information office's log with its figures and Excel export. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.cache import hit
from lvzhi.core.errors import ApplicationError, NotFound, RateLimited
from lvzhi.core.netaddr import client_ip
from lvzhi.core.params import query_date
from lvzhi.core.validation import safe_query

from . import actions, exports, rules, selectors, services
from . import permissions as perm
from .models import Feedback
from .present import CLOSE_REASON_LABELS, present

LOOKUPS_PER_IP_PER_HOUR = 30


def _ip(request) -> str:
    return client_ip(request) or ""


@require_http_methods(["GET", "POST"])
def give(request):
    user = request.user
    if not perm.may_give(user):
        raise NotFound()
    signed_in = user.is_authenticated
    page = safe_query(request.POST.get("page") or request.GET.get("page", ""), max_length=rules.PAGE_MAX)
    context = {
        "kinds": Feedback.Kind.choices,
        "page_path": page,
        "bodies": [] if signed_in else list(selectors.bodies_for_visitors()[:200]),
        "values": request.POST,
    }
    if request.method == "POST":
        try:
            body = None if signed_in else selectors.body_for_visitor(request.POST.get("body"))
        except NotFound:
            body = None
        try:
            feedback = services.give_feedback(
                actor=user,
                kind=request.POST.get("kind", ""),
                text=request.POST.get("text", ""),
                page=page,
                body=body,
                phone=request.POST.get("phone", ""),
                ip=_ip(request),
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            context["error"] = exc.message
            return render(request, "feedback/give.html", context, status=exc.status)
        messages.success(request, _("Thank you. The information office will answer within the time limit."))
        if signed_in:
            return redirect("feedback:detail", pk=feedback.pk)
        return redirect(f"/feedback/lookup/?code={feedback.lookup_code}")
    return render(request, "feedback/give.html", context)


@require_GET
def lookup(request):
    code = safe_query(request.GET.get("code", ""), max_length=8)
    context = {"code": code, "item": None}
    if code:
        if hit(f"feedback:lookup:{_ip(request)}", window_seconds=3600) > LOOKUPS_PER_IP_PER_HOUR:
            raise RateLimited(_("Too many look-ups from this address; please try again in an hour."))
        try:
            context["item"] = present(request.user, selectors.by_lookup_code(code))
        except NotFound:
            context["not_found"] = True
    return render(request, "feedback/lookup.html", context)


@login_required
@require_GET
def mine(request):
    page = Paginator(selectors.mine(request.user), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/mine.html", {"page": page})


@login_required
@require_GET
def detail(request, pk):
    feedback = selectors.access(request.user, pk)
    context = {
        "item": present(request.user, feedback),
        "steps": actions.available_actions(request.user, feedback),
        "reasons": [(code, label()) for code, label in CLOSE_REASON_LABELS.items()],
    }
    return render(request, "feedback/detail.html", context)


@login_required
@require_POST
def step(request, pk, name):
    feedback = selectors.access(request.user, pk)
    actions.STEPS.perform_on_page(request, feedback, name)
    return redirect("feedback:detail", pk=feedback.pk)


def _filters(request) -> dict:
    return {
        "status": request.GET.get("status", ""),
        "kind": request.GET.get("kind", ""),
        "since": query_date(request.GET.get("since")),
        "until": query_date(request.GET.get("until")),
    }


@login_required
@require_GET
def office(request):
    if not perm.handles_any(request.user):
        raise NotFound()
    filters = _filters(request)
    qs = selectors.log(request.user, **filters)
    context = {
        "page": Paginator(qs, rules.PAGE_SIZE).get_page(request.GET.get("page")),
        "figures": selectors.figures(qs),
        "filters": filters,
        "statuses": Feedback.Status.choices,
        "kinds": Feedback.Kind.choices,
        "now": timezone.now(),
    }
    return render(request, "feedback/office.html", context)


@login_required
@require_GET
def office_export(request):
    if not perm.handles_any(request.user):
        raise NotFound()
    filters = _filters(request)
    qs = selectors.log(request.user, **filters)[: rules.EXPORT_ROWS_MAX]
    data = exports.feedback_xlsx(actor=request.user, rows=qs, filters={k: str(v or "") for k, v in filters.items()})
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = (
        "attachment; filename=\"feedback.xlsx\"; filename*=UTF-8''%E6%84%8F%E8%A7%81%E5%8F%8D%E9%A6%88.xlsx"
    )
    return response
