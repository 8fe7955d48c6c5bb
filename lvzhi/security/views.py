"""The security administrator's incident pages in the back office (everyone else gets 404)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lvzhi.core.errors import ValidationFailed

from . import selectors, services
from .export import EXPORT_LIMIT, build_workbook
from .models import Incident

PAGE_SIZE = 30


def _status(request) -> str:
    status = request.GET.get("status", "")
    return status if status in Incident.Status.values else ""


@login_required
@require_GET
def incidents(request):
    status = _status(request)
    qs = selectors.incidents_for(request.user, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"status": status}) if status else ""
    return render(
        request,
        "security/incidents.html",
        {"page": page, "status": status, "statuses": Incident.Status.choices, "query": query},
    )


@login_required
@require_GET
def incident_detail(request, incident_id: int):
    incident = selectors.access_incident(request.user, incident_id)
    detail = json.dumps(incident.detail, ensure_ascii=False, indent=2, sort_keys=True)
    return render(request, "security/incident_detail.html", {"incident": incident, "detail_json": detail})


@login_required
@require_POST
def incident_step(request, incident_id: int, step: str):
    incident = selectors.access_incident(request.user, incident_id)
    if step == "acknowledge":
        services.acknowledge(actor=request.user, incident=incident)
        messages.success(request, _("The incident is acknowledged."))
    elif step == "close":
        services.close(actor=request.user, incident=incident)
        messages.success(request, _("The incident is closed."))
    else:
        raise ValidationFailed(code="unknown_step")
    return redirect("security:incident", incident_id=incident.pk)


@login_required
@require_GET
def export(request):
    status = _status(request)
    qs = selectors.incidents_for(request.user, status=status)
    count = qs.count()
    if count > EXPORT_LIMIT:
        raise ValidationFailed(
            _("At most %(n)s incidents can be exported at once; choose a status.") % {"n": EXPORT_LIMIT},
            code="export_too_large",
        )
    data = build_workbook(qs.iterator(chunk_size=2000))
    services.record_export(actor=request.user, status=status, count=count)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="security-incidents-{stamp}.xlsx"'
    return response
