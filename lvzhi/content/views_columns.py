"""Pages of content: a body's columns and the column changes a leader approves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.orgs.models import OrgUnit
from lvzhi.workflow.selectors import history_of

from . import permissions as perms
from . import selectors, services
from .forms import ColumnChangeForm, chain_text
from .models import ColumnChange
from .views import _form_error

# ---- columns -----------------------------------------------------------------------------------------------------


def _admin_body(request):
    ids = perms.column_admin_body_ids(request.user)
    if not ids:
        raise NotFound()
    wanted = request.GET.get("body") or request.POST.get("body")
    body_id = int(wanted) if wanted and wanted.isdigit() and int(wanted) in ids else None
    if body_id is None:
        own = perms.body_id_of(request.user)
        body_id = own if own in ids else min(ids)
    return OrgUnit.objects.get(pk=body_id), sorted(ids)


@login_required
@require_http_methods(["GET", "POST"])
def columns(request):
    user = request.user
    body, body_ids = _admin_body(request)  # default columns are installed when a body is created, never on a GET
    rows = list(selectors.columns_of_body(body))
    units = list(OrgUnit.objects.filter(body=body, is_active=True).exclude(pk=body.pk).order_by("path"))
    may_propose = perms.may_propose_column_change(user, body)
    form = ColumnChangeForm(request.POST or None, columns=rows, units=units)
    status = 200
    if request.method == "POST":
        if not may_propose:
            raise NotFound()
        status = 400
        if form.is_valid():
            column = next((c for c in rows if c.pk == form.cleaned_data["column"]), None)
            try:
                change = services.propose_column_change(
                    actor=user,
                    body=body,
                    action=form.cleaned_data["action"],
                    column=column,
                    payload=form.payload(),
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The change was proposed; it applies once a leader approves it."))
                return redirect("content:column_change", pk=change.pk)
    for column in rows:
        column.chain_text = chain_text(column)
    context = {
        "body": body,
        "bodies": OrgUnit.objects.filter(pk__in=body_ids),
        "rows": rows,
        "form": form,
        "may_propose": may_propose,
        "changes": selectors.column_changes(user, body)[:20],
    }
    return render(request, "content/columns.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def column_change(request, pk):
    user = request.user
    change = selectors.access_column_change(user, pk)
    error = None
    if request.method == "POST":
        try:
            services.decide_column_change(
                actor=user,
                change=change,
                approve=request.POST.get("decision") == "approve",
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            error = exc.message
        else:
            messages.success(request, _("Saved."))
            return redirect("content:column_change", pk=change.pk)
        change = selectors.access_column_change(user, pk)
    context = {
        "change": change,
        "history": list(history_of(change)),
        "may_decide": change.status == ColumnChange.Status.PROPOSED and perms.may_decide_column_change(user, change),
        "error": error,
    }
    return render(request, "content/column_change.html", context, status=400 if error else 200)
