"""/office/data-access/ (S0-4): operators ask for access to business data; the information office decides."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.orgs.models import OrgUnit, UnitKind

from . import grants
from .models import DataAccessGrant
from .permissions import active_assignments, is_administrator, may_decide_data_grant
from .roles import Role


def _bodies(user):
    ids = {a.unit.body_id or a.unit_id for a in active_assignments(user)}
    return OrgUnit.objects.filter(pk__in=ids, kind=UnitKind.BODY).order_by("path")


def _decidable(user):
    bodies = [a.unit.body_id or a.unit_id for a in active_assignments(user) if a.role == Role.INFO_OFFICE]
    qs = DataAccessGrant.objects.filter(body_id__in=bodies).select_related("requester", "body", "decided_by")
    return [g for g in qs[:100] if may_decide_data_grant(user, g)]


@login_required
@require_http_methods(["GET", "POST"])
def data_access(request):
    user = request.user
    operator = is_administrator(user)
    decidable = [] if operator else _decidable(user)
    if not operator and not decidable and not any(a.role == Role.INFO_OFFICE for a in active_assignments(user)):
        raise NotFound()
    error = None
    if request.method == "POST":
        if not operator:
            raise NotFound()
        try:
            body = _bodies(user).filter(pk=int(request.POST.get("body") or 0)).first()
            grants.request_grant(
                actor=user,
                body=body,
                access=request.POST.get("access", ""),
                target=request.POST.get("target", ""),
                purpose=request.POST.get("purpose", ""),
                hours=int(request.POST.get("hours") or 0),
            )
        except (ApplicationError, ValueError) as exc:
            error = getattr(exc, "message", _("The data given is not valid."))
        else:
            messages.success(request, _("Your request was sent to the information office."))
            return redirect("data_access")
    own = DataAccessGrant.objects.filter(requester=user).select_related("body", "decided_by")[:50] if operator else []
    context = {
        "operator": operator,
        "bodies": _bodies(user) if operator else [],
        "own": own,
        "decidable": decidable,
        "error": error,
        "access_choices": DataAccessGrant.Access.choices,
        "max_hours": grants.MAX_HOURS,
    }
    return render(request, "accounts/data_access.html", context, status=400 if error else 200)


@login_required
@require_POST
def decide(request, grant_id):
    grant = DataAccessGrant.objects.filter(pk=grant_id).select_related("body").first()
    if grant is None or not may_decide_data_grant(request.user, grant):
        raise NotFound()
    try:
        grants.decide_grant(
            actor=request.user,
            grant=grant,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The request was decided."))
    return redirect("data_access")
