"""Pages of the register's archive handling (S0-10): the list with each item's archive state (overdue loans
visible), and one item with its loans and the forms to keep, lend, take back and destroy it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.params import query_int

from . import permissions as perms
from . import selectors_disclosure as sel
from . import services

PAGE_SIZE = 20


class KeepForm(forms.Form):
    location = forms.CharField(label=gettext_lazy("Kept at"), max_length=100)


class LendForm(forms.Form):
    borrower = forms.CharField(label=gettext_lazy("Borrower"), max_length=50)
    borrower_unit = forms.CharField(label=gettext_lazy("Borrower's unit"), max_length=100, required=False)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200, required=False)
    due_on = forms.DateField(label=gettext_lazy("Due back on"), widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DestroyForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for destruction"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DecideDestroyForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("1", gettext_lazy("Approve the destruction")), ("0", gettext_lazy("Refuse"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@login_required
@require_GET
def archive(request):
    user = request.user
    if not perms.may_see_register(user):
        raise NotFound()
    state = request.GET.get("state", "all")
    if state not in sel.ARCHIVE_STATES:
        state = "all"
    unit_id = query_int(request.GET.get("unit"))
    page = Paginator(sel.archive_entries(user, state=state, unit_id=unit_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "state": state,
        "states": _state_labels(),
        "unit": unit_id,
        "overdue": sel.overdue_count(user),
        "today": timezone.localdate(),
    }
    return render(request, "content/archive.html", context)


def _state_labels():
    return [
        ("all", _("All")),
        ("unfiled", _("Not yet filed")),
        ("kept", _("Kept")),
        ("lent", _("Lent")),
        ("overdue", _("Overdue loans")),
        ("destroy_req", _("Destruction requested")),
        ("destroyed", _("Destroyed")),
    ]


def _context(request, entry, **forms_):
    user = request.user
    record = sel.record_of(entry)
    version = {"version": record.version} if record else {}
    context = {
        "entry": entry,
        "record": record,
        "loans": sel.loans_of(record),
        "today": timezone.localdate(),
        "may_handle": perms.may_handle_archive(user, entry),
        "may_decide": record is not None and perms.may_approve_destruction(user, record),
        "keep_form": KeepForm(initial={"location": record.location if record else ""}),
        "lend_form": LendForm(initial=version),
        "return_form": VersionForm(initial=version),
        "destroy_form": DestroyForm(initial=version),
        "decide_form": DecideDestroyForm(initial=version),
    }
    context.update(forms_)
    return context


@login_required
@require_GET
def archive_item(request, pk):
    entry = sel.access_archive_entry(request.user, pk)
    return render(request, "content/archive_item.html", _context(request, entry))


def _keep(user, entry, data):
    return services.keep_archive(actor=user, entry=entry, location=data["location"])


def _lend(user, entry, data):
    return services.lend_archive(
        actor=user, entry=entry, borrower=data["borrower"], borrower_unit=data["borrower_unit"],
        purpose=data["purpose"], due_on=data["due_on"], expected_version=data["version"],
    )  # fmt: skip


def _return(user, entry, data):
    return services.return_archive(actor=user, entry=entry, expected_version=data["version"])


def _destroy(user, entry, data):
    return services.request_destruction(
        actor=user, entry=entry, reason=data["reason"], expected_version=data["version"]
    )


def _decide(user, entry, data):
    return services.decide_destruction(
        actor=user, entry=entry, approve=data["approve"], note=data["note"], expected_version=data["version"]
    )


# action -> (form class, context name, service call, success message)
ACTIONS = {
    "keep": (KeepForm, "keep_form", _keep, gettext_lazy("Filed in the archive.")),
    "lend": (LendForm, "lend_form", _lend, gettext_lazy("The loan is recorded.")),
    "return": (VersionForm, "return_form", _return, gettext_lazy("The return is recorded.")),
    "destroy": (DestroyForm, "destroy_form", _destroy, gettext_lazy("The destruction awaits approval.")),
    "decide": (DecideDestroyForm, "decide_form", _decide, gettext_lazy("The decision is recorded.")),
}


@login_required
@require_POST
def archive_action(request, pk, action):
    user = request.user
    entry = sel.access_archive_entry(user, pk)
    if action not in ACTIONS:
        raise NotFound()
    form_class, name, call, done = ACTIONS[action]
    form = form_class(request.POST)
    error = ""
    if form.is_valid():
        try:
            call(user, entry, form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            error = exc.message  # shown above the forms: the failed form may not be offered in this state
        else:
            messages.success(request, done)
            return redirect("content:archive_item", pk=entry.pk)
    entry = sel.access_archive_entry(user, pk)
    context = _context(request, entry, **{name: form}, error=error)
    return render(request, "content/archive_item.html", context, status=400)
