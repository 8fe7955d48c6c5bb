"""S2-5 in the back office: a unit's named responsible leaders (主要负责人, 分管领导), recorded on the unit's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lvzhi.core.errors import ApplicationError
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import UnitLeader

from . import forms, selectors
from . import permissions as perms
from .views import backoffice, require, show_error


@require_http_methods(["GET", "POST"])
@backoffice
def unit_leader(request, unit_id, duty):
    actor = request.user
    unit = selectors.access_unit(actor, unit_id)
    require(perms.may_manage_units(actor, unit) and duty in UnitLeader.Duty.values)
    current = UnitLeader.objects.filter(unit=unit, duty=duty).first()
    initial = {"name": current.name, "post": current.post} if current else {}
    form = forms.UnitLeaderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            org_services.set_unit_leader(
                actor=actor, unit=unit, duty=duty, name=form.cleaned_data["name"], post=form.cleaned_data["post"]
            )
        except ApplicationError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The responsible leader was recorded."))
            return redirect("backoffice:unit", unit_id=unit.pk)
    return render(
        request,
        "backoffice/unit_leader.html",
        {"form": form, "unit": unit, "duty_label": UnitLeader.Duty(duty).label},
    )
