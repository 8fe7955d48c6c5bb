"""Pages of content: feeds, reading, search, favourites; writing and review. The register and reports are in
`views_register`, columns in `views_columns`.

Views are thin: they parse input, call one selector or service, and render. Business errors raised by services
are shown on the page (a form error) or, where they escape, as the error page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound, PermissionDenied
from lvzhi.core.paging import kept_page
from lvzhi.core.uploads import file_response
from lvzhi.workflow.selectors import history_of

from . import permissions as perms
from . import selectors, services, views_policy
from .forms import (
    ArticleForm,
    AttachmentForm,
    DecisionForm,
    PublishForm,
    ReasonForm,
    repost_initial,
)
from .models import Article, Attachment, StepKind
from .sanitize import text_to_html

PAGE_SIZE = 20
REVISABLE = (Article.Status.PUBLISHED, Article.Status.WITHDRAWN, Article.Status.ARCHIVED)


def _form_error(form, exc: ApplicationError):
    if exc.status == 404:
        raise exc
    form.add_error(None, exc.message)


# ---- reading ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def feed(request, code=None):
    user = request.user
    column = selectors.access_column(user, code) if code else None
    page = selectors.page_of(selectors.feed(user, column=column), request.GET.get("page"), PAGE_SIZE, reader=user)
    context = {"columns": selectors.visible_columns(user), "column": column, "page": page}
    return render(request, "content/feed.html", context)


@login_required
@require_GET
def search(request):
    query = (request.GET.get("q") or "").strip()[:100]
    order = "relevance" if request.GET.get("sort") == "relevance" else "recent"
    results = selectors.search_articles(request.user, query, order=order)
    page = selectors.page_of(results, request.GET.get("page"), PAGE_SIZE, reader=request.user)
    return render(request, "content/search.html", {"query": query, "page": page, "order": order})


@login_required
@require_GET
def article(request, pk):
    user = request.user
    item = selectors.access_article_page(user, pk)
    if not perms.may_read(user, item):
        return redirect("content:work", pk=item.pk)
    services.record_read(actor=user, article=item)
    revision = item.published_revision
    context = {
        "article": item,
        "revision": revision,
        "attachments": [a for a in selectors.published_attachments(item) if a.kind == Attachment.Kind.FILE],
        "is_favourite": item.favourites.filter(user=user).exists(),
        "may_work": perms.may_work_on(user, item),
        "may_take_down": perms.may_take_down(user, item),
        **views_policy.article_context(user, item),  # S1-4.1
    }
    return render(request, "content/article.html", context)


@login_required
@require_POST
def read_time(request, pk):
    item = selectors.access_live_article(request.user, pk)
    services.record_reading_time(actor=request.user, article=item, seconds=request.POST.get("seconds"))
    return HttpResponse(status=204)


@login_required
@require_POST
def favourite(request, pk):
    user = request.user
    item = selectors.access_live_article(user, pk)
    add = request.POST.get("action") != "remove"
    try:
        if add:
            services.add_favourite(actor=user, article=item)
        else:
            services.remove_favourite(actor=user, article=item)
    except ApplicationError as exc:
        if exc.code not in ("already_favourite", "not_favourite"):
            raise
    if request.htmx:
        return render(request, "content/_favourite.html", {"article": item, "is_favourite": add})
    return redirect("content:article", pk=item.pk)


@login_required
@require_GET
def favourites(request):
    page = selectors.page_of(selectors.favourites_of(request.user), request.GET.get("page"), PAGE_SIZE)
    return render(request, "content/favourites.html", {"page": page})


@login_required
@require_GET
def file(request, pk):
    attachment = Attachment.objects.select_related("article").filter(pk=pk, removed_at__isnull=True).first()
    if attachment is None:
        raise NotFound()
    item = attachment.article
    if not perms.may_work_on(request.user, item) and not (
        perms.may_read(request.user, item) and selectors.published_attachments(item).filter(pk=attachment.pk).exists()
    ):
        raise NotFound()
    return file_response(attachment.file, filename=attachment.name, content_type=attachment.mime)


# ---- writing -----------------------------------------------------------------------------------------------------


def _article_kwargs(form) -> dict:
    data = form.cleaned_data
    body = data["body_html"] or ""
    if "<" not in body:
        body = text_to_html(body)
    return {
        "title": data["title"],
        "summary": data["summary"],
        "body_html": body,
        "source": data["source"],
        "is_repost": data["is_repost"],
        "grade": data["grade"],
        "topic": data.get("topic") or "",
        "publish_at": data["publish_at"],
        "expires_at": data["expires_at"],
        "repost_source": data.get("repost_source"),  # S2-27
        "original_title": data.get("original_title") or "",
        "source_other_reason": data.get("source_other_reason") or "",
        "urgency": data.get("urgency") or "",  # S2-29
        "event_noted_at": data.get("event_noted_at"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def write(request):
    user = request.user
    columns = selectors.writable_columns(user)
    if not perms.may_write(user):
        raise NotFound()
    column = None
    column_id = request.POST.get("column") or request.GET.get("column")
    if column_id:
        column = next((c for c in columns if str(c.pk) == str(column_id)), None)
        if column is None:
            raise NotFound()
    if column is None:
        return render(request, "content/write_choose.html", {"columns": columns})
    units = perms.draft_units(user, column)
    form = ArticleForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            unit = next((u for u in units if u.pk == form.cleaned_data.get("unit")), None)
            try:
                item = services.create_draft(
                    actor=user,
                    column=column,
                    unit=unit,
                    client_token=form.cleaned_data["client_token"],
                    **_article_kwargs(form),
                )
            except ApplicationError as exc:
                if exc.code == "duplicate_submission":
                    existing = Article.objects.filter(
                        author=user, client_token=form.cleaned_data["client_token"]
                    ).first()
                    if existing is not None:
                        messages.warning(request, exc.message)
                        return redirect("content:work", pk=existing.pk)
                _form_error(form, exc)
            else:
                messages.success(request, _("The draft was saved. Check the screening results, then submit it."))
                return redirect("content:work", pk=item.pk)
    return render(request, "content/write.html", {"form": form, "column": column}, status=status)


@login_required
@require_GET
def mine(request):
    state = request.GET.get("state", "open")
    if state not in ("open", "published", "closed", "all"):
        state = "open"
    page = Paginator(selectors.my_articles(request.user, state=state), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "content/mine.html", {"page": page, "state": state})


def _work_context(request, item, **forms):
    user = request.user
    steps = selectors.steps_of(item) if item.revision_no else []
    current = item.current_step
    context = {
        "article": item,
        "steps": steps,
        "history": list(history_of(item)),
        "revisions": list(selectors.revisions_of(item)),
        "attachments": list(item.attachments.filter(removed_at__isnull=True).order_by("id")),
        "may_edit": perms.may_edit(user, item) and item.status in services.EDITABLE,
        "may_review": perms.may_review(user, item),
        "may_publish": perms.may_publish(user, item),
        "may_return": perms.may_return(user, item),
        "may_take_down": item.is_live and perms.may_take_down(user, item),
        "may_revise": perms.may_edit(user, item) and item.status in REVISABLE,
        "may_unschedule": False,
        "personal_findings": [f for f in item.findings if f.get("kind") == "personal_data"],
        "current": current,
        "reading": selectors.reading_stats(item) if item.published_revision_id else None,
        "readers": list(selectors.readers_of(item)[:50]) if item.published_revision_id else [],
        "decision_form": forms.get("decision_form")
        or DecisionForm(initial={"expected_step": getattr(current, "pk", 0)}),
        "publish_form": forms.get("publish_form")
        or PublishForm(initial={"expected_step": getattr(current, "pk", 0), "publish_at": item.publish_at}),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(initial={"version": item.version}),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
        "error": forms.get("error") or _first_error(forms),
        **views_policy.work_context(user, item),  # S1-4.1
    }
    if item.status == Article.Status.SCHEDULED:
        publish_step = next((s for s in steps if s.kind == StepKind.PUBLISH), None)
        context["may_unschedule"] = publish_step is not None and perms.holds_step(user, publish_step)
    return context


def _first_error(forms):
    for key in ("decision_form", "publish_form", "withdraw_form"):
        form = forms.get(key)
        if form is not None and form.is_bound and form.non_field_errors():
            return form.non_field_errors()[0]
    return None


@login_required
@require_GET
def work(request, pk):
    item = selectors.access_work_article(request.user, pk)
    return render(request, "content/work.html", _work_context(request, item))


@login_required
@require_GET
def revision(request, pk, number):
    item = selectors.access_work_article(request.user, pk)
    rev = selectors.revisions_of(item).filter(number=number).first()
    if rev is None:
        raise NotFound()
    return render(
        request, "content/revision.html", {"article": item, "revision": rev, "steps": selectors.steps_of(item, number)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    user = request.user
    item = selectors.access_work_article(user, pk)
    if not perms.may_edit(user, item) or item.status not in services.EDITABLE:
        raise PermissionDenied(_("Only a draft or an article returned for changes can be edited."))
    initial = {
        "title": item.title,
        "summary": item.summary,
        "body_html": item.body_html,
        "source": item.source,
        "is_repost": item.is_repost,
        "grade": item.grade,
        "topic": item.topic,
        "publish_at": timezone.localtime(item.publish_at) if item.publish_at else None,
        "expires_at": timezone.localtime(item.expires_at) if item.expires_at else None,
        "version": item.version,
        "client_token": "-",
    }
    initial.update(repost_initial(item))
    form = ArticleForm(
        request.POST or None, initial=initial, body=item.body, upload_url=reverse("content:editor_image", args=[pk])
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.update_draft(
                    actor=user, article=item, expected_version=form.cleaned_data["version"], **_article_kwargs(form)
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("content:work", pk=item.pk)
    return render(request, "content/write.html", {"form": form, "column": item.column, "article": item}, status=status)


def _act(request, item, fn, success, **kwargs):
    """Run a service for a POST button on the work page; a business error is shown on that page."""
    try:
        fn(actor=request.user, article=item, **kwargs)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        item = selectors.access_work_article(request.user, item.pk)
        return render(request, "content/work.html", _work_context(request, item, error=exc.message), status=exc.status)
    messages.success(request, success)
    return redirect("content:work", pk=item.pk)


def _version(request):
    value = request.POST.get("version")
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def submit(request, pk):
    item = selectors.access_work_article(request.user, pk)
    return _act(request, item, services.submit, _("Submitted for review."), expected_version=_version(request))


@login_required
@require_POST
def mask(request, pk):
    item = selectors.access_work_article(request.user, pk)
    return _act(request, item, services.mask_personal_data, _("The personal data was masked."))


@login_required
@require_POST
def attach(request, pk):
    user = request.user
    item = selectors.access_work_article(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.add_attachment(
                actor=user,
                article=item,
                name=upload.name,
                data=upload.read(),
                as_cover=form.cleaned_data["as_cover"],
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The file was added."))
            return redirect("content:work", pk=item.pk)
    item.refresh_from_db()
    return render(request, "content/work.html", _work_context(request, item, attachment_form=form), status=400)


@login_required
@require_POST
def detach(request, pk):
    attachment = Attachment.objects.select_related("article").filter(pk=pk, removed_at__isnull=True).first()
    if attachment is None:
        raise NotFound()
    item = selectors.access_work_article(request.user, attachment.article_id)
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    return redirect("content:work", pk=item.pk)


@login_required
@require_POST
def decide(request, pk):
    user = request.user
    item = selectors.access_work_article(user, pk)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.decide(
                actor=user,
                article=item,
                approve=approve,
                checklist=form.checklist(),
                secrecy_reviewed=form.cleaned_data["secrecy_reviewed"],
                secrecy_note=form.cleaned_data["secrecy_note"],
                findings_accepted=form.cleaned_data["findings_accepted"],
                comment=form.cleaned_data["comment"],
                raise_grade=form.cleaned_data["raise_grade"] or None,
                expected_step=form.cleaned_data["expected_step"],
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Approved.") if approve else _("Returned for changes."))
            return redirect("content:queue")
    item = selectors.access_work_article(user, pk)
    return render(request, "content/work.html", _work_context(request, item, decision_form=form), status=400)


@login_required
@require_POST
def publish(request, pk):
    user = request.user
    item = selectors.access_work_article(user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            item = services.publish(
                actor=user,
                article=item,
                publish_at=form.cleaned_data["publish_at"],
                expected_step=form.cleaned_data["expected_step"],
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            if item.status == Article.Status.SCHEDULED:
                messages.success(request, _("Scheduled: it goes live at the time set."))
            else:
                messages.success(request, _("Published."))
            return redirect("content:work", pk=item.pk)
    item = selectors.access_work_article(user, pk)
    return render(request, "content/work.html", _work_context(request, item, publish_form=form), status=400)


@login_required
@require_POST
def unschedule(request, pk):
    item = selectors.access_work_article(request.user, pk)
    return _act(request, item, services.unschedule, _("The schedule was cancelled."))


@login_required
@require_POST
def withdraw(request, pk):
    user = request.user
    item = selectors.access_article(user, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.withdraw(
                actor=user, article=item, reason=form.cleaned_data["reason"], secrecy=bool(request.POST.get("secrecy"))
            )
        except ApplicationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("The article was withdrawn; the author and the approvers were told."))
            if perms.may_work_on(user, item):
                return redirect("content:work", pk=item.pk)
            return redirect("content:feed")
    if not perms.may_work_on(user, item):
        return render(request, "content/withdraw.html", {"article": item, "form": form}, status=400)
    return render(request, "content/work.html", _work_context(request, item, withdraw_form=form), status=400)


@login_required
@require_POST
def revise(request, pk):
    item = selectors.access_work_article(request.user, pk)
    return _act(request, item, services.revise, _("A correction was opened: edit it and submit it for review."))


@login_required
@require_POST
def discard(request, pk):
    item = selectors.access_work_article(request.user, pk)
    return _act(request, item, services.discard, _("The draft was discarded."))


@login_required
@require_GET
def queue(request):
    page = kept_page(request, "content.queue", lambda: selectors.review_queue(request.user), PAGE_SIZE)
    return render(request, "content/queue.html", {"page": page})
