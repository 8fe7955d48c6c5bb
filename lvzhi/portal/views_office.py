"""The office's pages: topics from the public and their answers, drafts (create, publish), moderation, adoption and
the exports. Only for the office of the body (others: 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.content.selectors import page_of
from lvzhi.core.errors import ApplicationError, NotFound

from . import exports, rules, selectors, services
from . import permissions as perm
from .actions import STEPS
from .forms import DraftForm


def _office(request):
    if not perm.office_body_ids(request.user):
        raise NotFound()


@login_required
def index(request):
    _office(request)
    status = request.GET.get("status", "new")
    topics = page_of(selectors.office_topics(request.user, status=status), request.GET.get("page", 1), rules.PAGE_SIZE)
    drafts = list(selectors.office_drafts(request.user)[:50])
    return render(request, "portal/office/index.html", {"topics": topics, "drafts": drafts, "status": status})


@login_required
def topic(request, pk):
    item = selectors.access_topic(request.user, pk)
    if request.method == "POST":
        try:
            STEPS.perform(actor=request.user, obj=item, name=request.POST.get("step", ""), data=request.POST)
            messages.success(request, _("Saved."))
            return redirect("portal:office_topic", pk=item.pk)
        except ApplicationError as error:
            messages.error(request, str(error))
    return render(request, "portal/office/topic.html", {"item": item, "steps": STEPS.available(request.user, item)})


@login_required
def draft_new(request):
    _office(request)
    bodies = sorted(perm.office_body_ids(request.user))
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = selectors.office_body(request.user, request.POST.get("body") or bodies[0])
            item = services.create_draft(actor=request.user, body=body, **form.cleaned_data)
            return redirect("portal:office_draft", pk=item.pk)
        except ApplicationError as error:
            form.add_error(None, str(error))
    return render(
        request, "portal/office/draft_new.html", {"form": form, "bodies": selectors.bodies_by_id(bodies)},
        status=400 if form.errors else 200,
    )  # fmt: skip


@login_required
def draft(request, pk):
    item = selectors.access_draft(request.user, pk)
    status = request.GET.get("status", "")
    comments = page_of(selectors.office_comments(item, status=status), request.GET.get("page", 1), 50)
    return render(
        request, "portal/office/draft.html",
        {"draft": item, "comments": comments, "status": status, "closed": timezone.now() >= item.closes_at,
         "adoptions": item.comments.model.Adoption.choices, "rows": selectors.adoption_report(item),
         "site": selectors.site_of_body(item.body)},
    )  # fmt: skip


@login_required
@require_POST
def draft_step(request, pk):
    item = selectors.access_draft(request.user, pk)
    step = request.POST.get("step", "")
    try:
        if step == "publish":
            services.publish_draft(actor=request.user, draft=item)
        elif step == "report":
            services.publish_report(actor=request.user, draft=item)
        elif step in ("show", "hide"):
            services.moderate(actor=request.user, comment_id=_comment_of(item, request), show=step == "show")
        elif step == "adoption":
            services.record_adoption(
                actor=request.user, comment_id=_comment_of(item, request), adoption=request.POST.get("adoption", ""),
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        else:
            raise NotFound()
        messages.success(request, _("Saved."))
    except ApplicationError as error:
        if error.status == 404:
            raise
        messages.error(request, str(error))
    return redirect("portal:office_draft", pk=item.pk)


def _comment_of(draft, request) -> int:
    found = selectors.office_comments(draft).filter(pk=_int(request.POST.get("comment"))).first()
    if found is None:
        raise NotFound()
    return found.pk


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound()


@login_required
@require_POST
def draft_export(request, pk, fmt):
    item = selectors.access_draft(request.user, pk)
    if fmt == "xlsx":
        data, kind, name = exports.comments_xlsx(actor=request.user, draft=item), exports.XLSX, "comments.xlsx"
    elif fmt != "pdf":
        raise NotFound()
    else:
        data, kind, name = exports.report_pdf(actor=request.user, draft=item), "application/pdf", "report.pdf"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="draft-{item.pk}-{name}"'
    return response
