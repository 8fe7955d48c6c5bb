"""Pages of personal-data change requests (S0-27): ask, follow, and the maintaining office's queue."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.accounts.permissions import may_see_identity
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.workdays.calendar import add_working_days
from lvzhi.workflow.selectors import deadline_of, history_of

from . import selectors
from . import services as dc
from .permissions import may_handle, may_use_queue
from .workflows import DEADLINE_KIND, Status

PAGE_SIZE = 20


class DataChangeForm(forms.Form):
    real_name = forms.CharField(label=selectors.FIELDS["real_name"][0], max_length=50, required=False)
    email = forms.CharField(
        label=selectors.FIELDS["email"][0], max_length=254, required=False, widget=forms.EmailInput()
    )
    title = forms.CharField(label=selectors.FIELDS["title"][0], max_length=100, required=False)
    id_card = forms.CharField(
        label=selectors.FIELDS["id_card"][0],
        max_length=18,
        required=False,
        help_text=gettext_lazy("Leave empty to keep the number on record."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    workplace = forms.CharField(label=selectors.FIELDS["workplace"][0], max_length=200, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=dc.REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, has_profile=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_profile:
            del self.fields["workplace"]


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=dc.NOTE_MAX, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for rejecting"), max_length=dc.NOTE_MAX)


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    user = request.user
    current = selectors.current_values(user)
    has_profile = selectors.member_profile_of(user) is not None
    initial = {k: v for k, v in current.items() if k != "id_card"}
    form = DataChangeForm(request.POST or None, initial=initial, has_profile=has_profile)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            reason = data.pop("reason")
            try:
                req = dc.submit_data_change(actor=user, changes=data, reason=reason)
            except ApplicationError as exc:
                for field, message in (exc.extra or {}).items():
                    if field in form.fields:
                        form.add_error(field, message)
                if not exc.extra:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your request was sent to the office that keeps your data."))
                return redirect("datachange:detail", pk=req.pk)
    context = {"form": form, "masked_id_card": user.masked_id_card}
    return render(request, "datachange/new.html", context, status=status)


@login_required
@require_GET
def mine(request):
    page = Paginator(selectors.data_changes_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "datachange/mine.html", {"page": page, "now": timezone.now()})


@login_required
@require_GET
def queue(request):
    if not may_use_queue(request.user):
        raise NotFound()
    state = request.GET.get("state", "open")
    if state not in selectors.QUEUE_STATES:
        state = "open"
    page = Paginator(selectors.data_change_queue(request.user, state=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    context = {"page": page, "state": state, "now": now, "soon": add_working_days(now, 1)}
    return render(request, "datachange/queue.html", context)


def _detail(request, req, *, decision_form=None, reject_form=None, status=200):
    user = request.user
    deadline = deadline_of(req, DEADLINE_KIND)
    context = {
        "req": req,
        "rows": selectors.display_rows(req, show_identity=may_see_identity(user, req.user)),
        "history": list(history_of(req)),
        "deadline": deadline,
        "now": timezone.now(),
        "may_handle": req.status == Status.SUBMITTED and may_handle(user, req),
        "decision_form": decision_form or DecisionForm(),
        "reject_form": reject_form or RejectForm(),
    }
    return render(request, "datachange/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk):
    return _detail(request, selectors.access_data_change(request.user, pk))


@login_required
@require_POST
def apply(request, pk):
    req = selectors.access_data_change(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            dc.apply_data_change(actor=request.user, request=req, note=form.cleaned_data["note"])
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The change was carried out and the user was told."))
            return redirect("datachange:detail", pk=req.pk)
    req.refresh_from_db()
    return _detail(request, req, decision_form=form, status=400)


@login_required
@require_POST
def reject(request, pk):
    req = selectors.access_data_change(request.user, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            dc.reject_data_change(actor=request.user, request=req, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The request was rejected and the user was told why."))
            return redirect("datachange:detail", pk=req.pk)
    req.refresh_from_db()
    return _detail(request, req, reject_form=form, status=400)
