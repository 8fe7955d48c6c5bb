"""Pages of the information resources library (S4-2.2.5): search and filters, a document with its versions, the
download of a version, reading lists of a session, and the staff's upload form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.core.uploads import file_response
from lvzhi.core.validation import safe_query

from . import permissions as perm
from . import rules, selectors, services
from .models import Audience, Source


class DocumentEditForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=rules.TITLE_MAX)
    source = forms.ChoiceField(label=gettext_lazy("Source"), choices=Source.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1949, max_value=2100)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=rules.TOPIC_MAX, required=False)
    audience = forms.ChoiceField(label=gettext_lazy("Who may read it"), choices=Audience.choices)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=rules.SUMMARY_MAX, required=False, widget=forms.Textarea
    )


class DocumentForm(DocumentEditForm):
    body = forms.ChoiceField(label=gettext_lazy("Body"))
    file = forms.FileField(label=gettext_lazy("File (PDF or Word .docx)"))
    field_order = ["body"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for withdrawing"), max_length=200, required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("New version (PDF or Word .docx)"))
    note = forms.CharField(label=gettext_lazy("What changed"), max_length=200, required=False)


def _upload(request) -> tuple[str, object]:
    """The uploaded file's name and the file itself: the service streams it to storage (never read whole here)."""
    upload = request.FILES.get("file")
    return (upload.name, upload) if upload is not None else ("", b"")


@login_required
@require_GET
def library(request):
    user = request.user
    query = safe_query(request.GET.get("q", ""))
    source = request.GET.get("source", "")
    source = source if source in Source.values else ""
    topic = safe_query(request.GET.get("topic", ""), max_length=rules.TOPIC_MAX)
    qs = selectors.library(user, query=query, source=source, year=request.GET.get("year"), topic=topic)
    page = Paginator(qs, rules.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": query,
        "source": source,
        "year": request.GET.get("year", ""),
        "topic": topic,
        "sources": Source.choices,
        "topics": selectors.topics_for(user),
        "manages": bool(perm.manager_bodies(user)),
        "reading_lists": selectors.reading_lists_for(user)[:10],
    }
    return render(request, "learning/library.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_document(request):
    bodies = list(selectors.managed_bodies(request.user))
    if not bodies:
        raise NotFound()
    form = DocumentForm(request.POST or None, request.FILES or None, initial={"year": local_date().year})
    form.fields["body"].choices = [(b.pk, b.name) for b in bodies]
    if request.method == "POST" and form.is_valid():
        body = next(b for b in bodies if str(b.pk) == form.cleaned_data["body"])
        name, data = _upload(request)
        try:
            doc = services.add_document(
                actor=request.user,
                body=body,
                filename=name,
                data=data,
                **{k: form.cleaned_data[k] for k in ("title", "source", "year", "topic", "summary", "audience")},
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The document was added to the library."))
            return redirect("learning:document", pk=doc.pk)
    return render(request, "learning/document_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def document(request, pk):
    doc = selectors.access_document(request.user, pk)
    manages = perm.may_manage(request.user, doc.body)
    form = VersionForm(request.POST or None, request.FILES or None) if manages and doc.is_active else None
    if request.method == "POST":
        if form is None:
            raise NotFound()
        if form.is_valid():
            name, data = _upload(request)
            try:
                services.add_version(actor=request.user, document=doc, filename=name, data=data,
                                     note=form.cleaned_data["note"])  # fmt: skip
            except ApplicationError as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("The new version was uploaded; the old ones are kept."))
                return redirect("learning:document", pk=doc.pk)
    context = {"doc": doc, "versions": selectors.versions_of(doc)[:50], "form": form, "manages": manages,
               "withdraw_form": WithdrawForm() if manages and doc.is_active else None}  # fmt: skip
    return render(request, "learning/document.html", context, status=400 if form is not None and form.errors else 200)


def _managed_document(request, pk):
    doc = selectors.access_document(request.user, pk)
    if not perm.may_manage(request.user, doc.body) or not doc.is_active:
        raise NotFound()
    return doc


@login_required
@require_http_methods(["GET", "POST"])
def edit_document(request, pk):
    """The keepers correct a document's title, source, year, topic, summary or readers (audited); a new file is a
    new version (the document page)."""
    doc = _managed_document(request, pk)
    fields = ("title", "source", "year", "topic", "summary", "audience")
    form = DocumentEditForm(request.POST or None, initial={f: getattr(doc, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_document(actor=request.user, document=doc, **{f: form.cleaned_data[f] for f in fields})
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The document was saved."))
            return redirect("learning:document", pk=doc.pk)
    context = {"form": form, "title": _("Edit “%(title)s”") % {"title": doc.title}}
    return render(request, "learning/form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def withdraw_document(request, pk):
    """Withdraw a document: members no longer find it in lists, reading lists or search; its versions are kept."""
    doc = _managed_document(request, pk)
    form = WithdrawForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationFailed(_("The reason has at most 200 characters."), code="reason_invalid")
        services.withdraw_document(actor=request.user, document=doc, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The document was withdrawn; its versions are kept."))
    return redirect("learning:document", pk=doc.pk)


@login_required
@require_GET
def download(request, pk, number):
    version = selectors.access_version(request.user, pk, number)
    return file_response(version.file, filename=version.filename, content_type=version.mime)


@login_required
@require_GET
def reading_list(request, pk):
    rl = selectors.access_reading_list(request.user, pk)
    page = Paginator(selectors.reading_list_documents(request.user, rl), rules.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "learning/reading_list.html", {"rl": rl, "page": page})
