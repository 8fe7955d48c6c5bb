"""Back-office pages of the screening word lists (/office/screening/): thin views over selectors and services.
Lists the user may not see are "not found"."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.accounts.permissions import active_assignments
from lvzhi.core.errors import ApplicationError, NotFound

from . import defaults, forms, selectors, services
from .models import ListKind
from .permissions import SCREENING_ROLES, kinds_for, may_keep_global_lists, may_manage_list, may_use_screening

LIST_PAGE_SIZE = 20
TERM_PAGE_SIZE = 50
ERROR_FIELDS = {
    "name_required": "name",
    "name_too_long": "name",
    "description_too_long": "description",
    "duplicate_list": "name",
    "unknown_kind": "kind",
    "secret_lists_only_secrecy": "kind",
    "scope_not_allowed": "scope",
    "term_too_short": "term",
    "term_too_long": "term",
    "term_invalid": "term",
    "duplicate_term": "term",
    "import_invalid_line": "text",
    "import_too_long": "text",
    "import_empty": "text",
}


def _show_error(form, exc: ApplicationError) -> None:
    """A business error as a form error; "forbidden" and "not found" become the error page."""
    if exc.status in (403, 404) and exc.code not in ERROR_FIELDS:
        raise exc
    field = ERROR_FIELDS.get(exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))


def screening_page(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_use_screening(request.user):
            raise NotFound()
        return view(request, *args, **kwargs)

    return wrapper


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_http_methods(["GET"])
@screening_page
def lists(request):
    form = forms.ListFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = selectors.lists_for(
        request.user, kind=filters.get("kind") or "", q=filters.get("q") or "", status=filters.get("status") or "active"
    )
    page = Paginator(qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    for word_list in page.object_list:
        word_list.may_manage = may_manage_list(request.user, word_list)
    return render(
        request,
        "screening/lists.html",
        {
            "form": form,
            "page": page,
            "query": _query_without_page(request),
            "kind_labels": dict(ListKind.choices),
            "may_import_defaults": any(may_keep_global_lists(request.user, kind) for kind in ListKind.values),
        },
    )


@require_POST
@screening_page
def import_defaults(request):
    """Re-import the default lists from their data files (after an update of the platform)."""
    reports = defaults.import_defaults(actor=request.user)
    added = sum(r.added for r in reports)
    removed = sum(r.removed for r in reports)
    messages.success(
        request,
        _("The default lists were imported from their data files: %(added)d terms added, %(removed)d retired.")
        % {"added": added, "removed": removed},
    )
    return redirect("screening:lists")


@require_http_methods(["GET", "POST"])
@screening_page
def list_new(request):
    bodies = list(selectors.creatable_bodies(request.user))
    form = forms.ListForm(request.POST or None, user=request.user, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            word_list = services.create_list(
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                body=form.cleaned_data["scope"],
                description=form.cleaned_data["description"],
            )
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The list '%(name)s' was created.") % {"name": word_list.name})
            return redirect("screening:list", list_id=word_list.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/list_form.html", {"form": form}, status=status)


def _detail(request, word_list, *, term_form=None, import_form=None, status=200):
    filters = {"q": (request.GET.get("q") or "")[:50], "status": request.GET.get("status") or "active"}
    qs = selectors.terms_of(word_list, q=filters["q"], status=filters["status"])
    page = Paginator(qs, TERM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/list_detail.html",
        {
            "list": word_list,
            "kind_labels": dict(ListKind.choices),
            "may_manage": may_manage_list(request.user, word_list),
            "term_form": term_form or forms.TermForm(),
            "import_form": import_form or forms.ImportForm(),
            "page": page,
            "filters": filters,
            "status_choices": forms.STATUS_CHOICES,
            "query": _query_without_page(request),
        },
        status=status,
    )


@require_http_methods(["GET"])
@screening_page
def list_detail(request, list_id):
    return _detail(request, selectors.access_list(request.user, list_id))


@require_POST
@screening_page
def term_add(request, list_id):
    word_list = selectors.access_list(request.user, list_id)
    form = forms.TermForm(request.POST)
    if form.is_valid():
        try:
            term = services.add_term(actor=request.user, word_list=word_list, term=form.cleaned_data["term"])
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("'%(term)s' was added.") % {"term": term.text})
            return redirect("screening:list", list_id=word_list.pk)
    return _detail(request, word_list, term_form=form, status=400)


@require_POST
@screening_page
def term_import(request, list_id):
    word_list = selectors.access_list(request.user, list_id)
    form = forms.ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.import_terms(actor=request.user, word_list=word_list, text=form.cleaned_data["all_text"])
        except ApplicationError as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request,
                _("Imported: %(added)d added, %(restored)d restored, %(duplicates)d already on the list.")
                % {"added": result.added, "restored": result.restored, "duplicates": result.duplicates},
            )
            return redirect("screening:list", list_id=word_list.pk)
    return _detail(request, word_list, import_form=form, status=400)


@require_POST
@screening_page
def term_retire(request, list_id, term_id):
    word_list = selectors.access_list(request.user, list_id)
    term = selectors.access_term(request.user, word_list, term_id)
    services.retire_term(actor=request.user, term=term)
    messages.success(request, _("'%(term)s' was retired.") % {"term": term.text})
    return redirect("screening:list", list_id=word_list.pk)


@require_POST
@screening_page
def list_retire(request, list_id):
    word_list = selectors.access_list(request.user, list_id)
    services.retire_list(actor=request.user, word_list=word_list)
    messages.success(request, _("The list '%(name)s' was retired.") % {"name": word_list.name})
    return redirect("screening:list", list_id=word_list.pk)


@require_POST
@screening_page
def list_restore(request, list_id):
    word_list = selectors.access_list(request.user, list_id)
    services.restore_list(actor=request.user, word_list=word_list)
    messages.success(request, _("The list '%(name)s' is active again.") % {"name": word_list.name})
    return redirect("screening:list", list_id=word_list.pk)


def _check_body(user):
    """The body whose scoped lists apply in the check page: the user's (first) body holding a screening role."""
    for assignment in active_assignments(user):
        if assignment.role in SCREENING_ROLES:
            return assignment.unit
    return None


@require_http_methods(["GET", "POST"])
@screening_page
def check(request):
    """Try the screening on a text: what an author would be shown."""
    form = forms.CheckForm(request.POST or None)
    findings = None
    if request.method == "POST" and form.is_valid():
        findings = services.scan(form.cleaned_data["text"], body=_check_body(request.user))
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request,
        "screening/check.html",
        {"form": form, "findings": findings, "kinds": kinds_for(request.user)},
        status=status,
    )
