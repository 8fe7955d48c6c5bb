"""Pages of public-opinion reports: the member's own (write, follow, rate), the staff queue, statistics, digests.

Thin: parse the request, call one selector or service, render. Business errors become the page's error text.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core import cache
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.paging import kept_page
from lvzhi.core.uploads import file_response
from lvzhi.workdays.calendar import add_working_days, due_date

from . import actions, exports, present, rules, selectors, services
from .forms import ReportForm, category_choices
from .models import HOTLINE_CATEGORIES, Category, Instruction, Report, Satisfaction
from .permissions import (
    is_author,
    may_edit,
    may_see_statistics,
    may_use_queue,
    may_view,
    may_write_reports,
)

S = Report.Status


def _page(request, qs):
    return Paginator(qs, rules.PAGE_SIZE).get_page(request.GET.get("page"))


def _nav(request, current):
    user = request.user
    return {
        "nav": current,
        "nav_write": may_write_reports(user),
        "nav_queue": may_use_queue(user),
        "nav_stats": may_see_statistics(user),
    }


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- the member ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def mine(request):
    tab = request.GET.get("tab", "mine")
    if tab not in selectors.MY_TABS:
        tab = "mine"
    page = _page(request, selectors.my_reports(request.user, tab=tab))
    context = {"page": page, "tab": tab, **_nav(request, "mine")}
    return render(request, "opinions/mine.html", context)


def _form_page(request, form, *, report=None, status=200):
    context = {
        "form": form,
        "report": report,
        "attachments": list(report.attachments.all()) if report else [],
        "hotline_categories": [Category(c).label for c in Category if c in HOTLINE_CATEGORIES],
        "guidance_scope": rules.GUIDANCE_SCOPE,
        "guidance_principles": rules.GUIDANCE_PRINCIPLES,
        "limits": {"content": rules.CONTENT_MAX, "title": rules.TITLE_MAX, "photos": rules.ATTACHMENTS_MAX},
        **_nav(request, "new"),
    }
    return render(request, "opinions/form.html", context, status=status)


FIELD_OF_CODE = {
    "title_required": "title",
    "title_too_long": "title",
    "content_required": "content",
    "content_too_long": "content",
    "content_too_short": "content",
    "invalid_category": "category",
    "location_too_long": "location",
    "invalid_co_reporter": "co_reporters",
    "ambiguous_co_reporter": "co_reporters",
    "too_many_co_reporters": "co_reporters",
    "attachment_too_large": "photos",
    "bad_file_type": "photos",
    "bad_image": "photos",
    "image_too_large": "photos",
    "empty_file": "photos",
    "too_many_attachments": "photos",
}


def _save_from_form(request, form, report=None):
    """Save (and maybe submit) from a bound, valid form; errors go onto the form. Returns the report or None."""
    data = form.cleaned_data
    submit = request.POST.get("do") == "submit"
    try:
        ids = selectors.resolve_co_reporters(request.user, data.get("co_reporters", ""))
        return services.create_report_with_photos(
            actor=request.user,
            title=data["title"],
            content=data["content"],
            category=data["category"],
            location=data["location"],
            co_reporter_ids=ids,
            photos=data.get("photos") or [],
            submit=submit,
            report=report,
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        form.add_error(FIELD_OF_CODE.get(exc.code), str(exc.message))
        return None


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    if not may_write_reports(request.user):
        raise NotFound()
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            report = _save_from_form(request, form)
            if report is not None:
                if report.status == S.SUBMITTED:
                    messages.success(request, _("Your report was sent to %(office)s.") % {"office": report.committee})
                    return redirect("opinions:detail", pk=report.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("opinions:edit", pk=report.pk)
        return _form_page(request, form, status=400)
    return _form_page(request, ReportForm())


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    report = selectors.access_report(request.user, pk)
    if not is_author(request.user, report):
        raise NotFound()
    if not may_edit(request.user, report):
        return redirect("opinions:detail", pk=report.pk)
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            saved = _save_from_form(request, form, report=report)
            if saved is not None:
                if saved.status == S.SUBMITTED:
                    messages.success(request, _("Your report was sent to %(office)s.") % {"office": saved.committee})
                    return redirect("opinions:detail", pk=saved.pk)
                messages.success(request, _("The report was saved."))
                return redirect("opinions:edit", pk=saved.pk)
        return _form_page(request, form, report=report, status=400)
    initial = {
        "title": report.title,
        "category": report.category,
        "content": report.content,
        "location": report.location,
        "co_reporters": selectors.co_reporters_text(report),
    }
    return _form_page(request, ReportForm(initial=initial), report=report)


@login_required
@require_POST
def discard(request, pk):
    report = selectors.access_report(request.user, pk)
    services.discard_draft(actor=request.user, report=report)
    messages.success(request, _("The draft was deleted."))
    return redirect(f"{_url('opinions:mine')}?tab=drafts")


def _url(name, **kwargs):
    return reverse(name, kwargs=kwargs or None)


@login_required
@require_POST
def remove_attachment(request, pk, aid):
    attachment = selectors.access_attachment(request.user, pk, aid)
    services.remove_attachment(actor=request.user, attachment=attachment)
    messages.success(request, _("The photo was removed."))
    return redirect("opinions:edit", pk=pk)


@login_required
@require_GET
def attachment(request, pk, aid):
    item = selectors.access_attachment(request.user, pk, aid)
    return file_response(item.file, filename=item.name, content_type=item.content_type)


# ---- one report --------------------------------------------------------------------------------------------------


# The member's own steps open on the page at once (withdrawing stays folded).
OPEN_AT_ONCE = {"rate", "answer_question"}
STEP_INPUTS = ("text", "category", "committee", "level", "title", "leader", "day", "instruction")
INSTRUCTION_STEPS = {"instruct", "correct_instruction"}


def _prefill(report, thread) -> dict:
    """The text a step's form starts with: the member's answer to verify, the hotline's result to pass on."""
    prefill = {}
    if report.status == S.VERIFYING:
        prefill["verified"] = next(
            (m.text for m in reversed(thread) if m.kind == "member_answer" and m.round == report.round), ""
        )
    if report.status == S.HOTLINE_DONE:
        prefill["answer"] = report.result
    return prefill


def _detail(request, report, *, failed=None, error=None, posted=None, status=200):
    user = request.user
    view = present.report_view(user, report)
    available = view["steps"]
    now = timezone.now()
    prefill = _prefill(report, view["thread"])
    action_forms = [
        {
            "action": a,
            "text": (posted or {}).get("text", "") if failed == a.name else prefill.get(a.name, ""),
            "open": failed == a.name or (a.style != "danger" and (a.name in OPEN_AT_ONCE or len(available) == 1)),
        }
        for a in available
    ]
    # irreversible steps (withdraw) come last, below the report, never as the first thing offered
    main_actions = [f for f in action_forms if f["action"].style != "danger"]
    danger_actions = [f for f in action_forms if f["action"].style == "danger"]
    context = {
        **view,
        "report": report,
        "action_forms": main_actions,
        "danger_actions": danger_actions,
        "failed": failed,
        "error": error,
        "posted": posted or {},
        "now": now,
        "soon": add_working_days(now, 1),
        "categories": category_choices(blank=False),
        "levels": Satisfaction.choices,
        "transfer_targets": list(selectors.transfer_targets(report))
        if any(a.has("committee") for a in available)
        else [],
        "instructions": selectors.instructions_of(report),
        "recorded_instructions": selectors.recorded_instructions(report),
        "instruction_levels": Instruction.Level.choices,
        "instruction_leaders": selectors.instruction_leaders(report)
        if any(a.name in INSTRUCTION_STEPS for a in available)
        else [],
        "may_edit": may_edit(user, report),
        **_nav(request, "queue" if view["staff_view"] else "mine"),
    }
    return render(request, "opinions/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    return _detail(request, selectors.access_report(request.user, pk))


@login_required
@require_POST
def step(request, pk, name):
    report = selectors.access_report(request.user, pk)
    action = actions.get_action(name)
    data = {key: request.POST.get(key, "") for key in STEP_INPUTS}
    try:
        actions.perform(actor=request.user, report=report, name=action.name, data=data)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        report = selectors.access_report(request.user, pk) if may_view(request.user, report) else report
        return _detail(request, report, failed=action.name, error=exc.message, posted=data, status=exc.status)
    messages.success(request, _("Done: %(step)s.") % {"step": action.label})
    try:
        selectors.access_report(request.user, pk)
    except NotFound:
        return redirect("opinions:queue")
    return redirect("opinions:detail", pk=pk)


# ---- staff -----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def queue(request):
    if not may_use_queue(request.user):
        raise NotFound()
    filters = selectors.parse_queue_filters(request.GET)
    query = lambda: selectors.queue(request.user, filters)  # noqa: E731
    variant = tuple(sorted(filters.as_dict.items()))
    page = kept_page(request, "opinions.queue", query, rules.PAGE_SIZE, variant=variant)
    for item in page:  # at most a page of rows, no queries: the last day of the earliest open time limit
        due = item.next_due_at
        item.last_day = due_date(due) if due else None
    now = timezone.now()
    context = {
        "page": page,
        "filters": filters,
        "query": urlencode(filters.as_dict),
        "statuses": [(v, label) for v, label in S.choices if v != S.DRAFT],
        "categories": category_choices(blank=False),
        "units": cache.cached(
            cache.WRITES_KEY,
            lambda: list(selectors.queue_units(request.user)),
            timeout=600,
            variant=("opinions.queue_units", request.user.pk),
        ),
        "now": now,
        "soon": add_working_days(now, 1),
        **_nav(request, "queue"),
    }
    return render(request, "opinions/queue.html", context)


@login_required
@require_GET
def queue_export(request):
    if not may_use_queue(request.user):
        raise NotFound()
    filters = selectors.parse_queue_filters(request.GET)
    data, count = exports.queue_workbook(selectors.queue(request.user, filters))
    services.log_export(actor=request.user, what="queue", count=count, filters=filters.as_dict)
    return _xlsx(data, f"opinions-{timezone.localdate():%Y%m%d}.xlsx")


@login_required
@require_GET
def stats(request):
    if not may_see_statistics(request.user):
        raise NotFound()
    period = selectors.parse_period(request.GET)
    rows = selectors.statistics(selectors.statistics_units(request.user), period)
    context = {
        "rows": rows,
        "period": period,
        "query": urlencode({"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()}),
        **_nav(request, "stats"),
    }
    return render(request, "opinions/stats.html", context)


@login_required
@require_GET
def stats_export(request):
    if not may_see_statistics(request.user):
        raise NotFound()
    period = selectors.parse_period(request.GET)
    rows = selectors.statistics(selectors.statistics_units(request.user), period)
    services.log_export(
        actor=request.user,
        what="statistics",
        count=len(rows),
        filters={"date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()},
    )
    return _xlsx(exports.statistics_workbook(rows, period), f"opinions-statistics-{period.date_from:%Y%m%d}.xlsx")


@login_required
@require_GET
def digests(request):
    if not may_see_statistics(request.user):
        raise NotFound()
    page = _page(request, selectors.digests(request.user))
    return render(request, "opinions/digests.html", {"page": page, **_nav(request, "digests")})


@login_required
@require_GET
def digest_xlsx(request, pk):
    digest = selectors.access_digest(request.user, pk)
    services.log_export(actor=request.user, what="digest", count=1, filters={"digest": digest.pk})
    return _xlsx(exports.digest_workbook(digest), f"opinions-digest-{digest.committee_id}-{digest.month:%Y%m}.xlsx")


@login_required
@require_GET
def topics(request):
    page = _page(request, selectors.pending_topics(request.user))
    return render(request, "opinions/topics.html", {"page": page, **_nav(request, "topics")})
