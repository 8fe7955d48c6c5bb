"""The audit-log pages of the back office: for the audit administrator only (others get 404)."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.masking import mask_phone
from lvzhi.core.params import query_int

from . import selectors, services
from .export import EXPORT_LIMIT, build_workbook
from .forms import AuditFilterForm, describe_filters

_int = query_int


def _pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) if value is not None else ""


def _decorate(rows):
    names = selectors.unit_names(r.org_unit_id for r in rows)
    for r in rows:
        r.actor_masked_phone = mask_phone(r.actor_phone)
        r.org_unit_name = names.get(r.org_unit_id, "")
    return rows


@login_required
@require_GET
def events(request):
    selectors.audit_events(request.user)  # 404 before anything else for everyone but the audit administrator
    form = AuditFilterForm(request.GET or None)
    filters = form.as_filters() if form.is_bound and form.is_valid() else {}
    page = selectors.Page([], None, None)
    if not form.is_bound or form.is_valid():
        qs = selectors.audit_events(request.user, filters=filters)
        page = selectors.keyset_page(qs, before=_int(request.GET.get("before")), after=_int(request.GET.get("after")))
        _decorate(page.rows)
        services.log_view(actor=request.user, filters=describe_filters(filters))
    query = urlencode({k: v for k, v in request.GET.items() if k not in ("before", "after")})
    return render(
        request,
        "audit/events.html",
        {"form": form, "page": page, "query": query, "export_limit": EXPORT_LIMIT},
    )


@login_required
@require_GET
def event_detail(request, event_id: int):
    event = selectors.access_audit_event(request.user, event_id)
    _decorate([event])
    services.log_view(actor=request.user, event=event, filters={"id": event.pk})
    return render(
        request,
        "audit/event_detail.html",
        {"event": event, "before_json": _pretty(event.before), "after_json": _pretty(event.after)},
    )


@login_required
@require_GET
def export(request):
    selectors.audit_events(request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        raise ValidationFailed("；".join(str(e) for errors in form.errors.values() for e in errors))
    filters = form.as_filters()
    qs = selectors.audit_events(request.user, filters=filters)
    count = qs.count()
    if count > EXPORT_LIMIT:
        raise ValidationFailed(
            _("%(count)d events match; export at most %(limit)d at a time (narrow the date range).")
            % {"count": count, "limit": EXPORT_LIMIT},
            code="export_too_large",
        )
    content = build_workbook(qs)
    services.log_export(actor=request.user, filters=describe_filters(filters), count=count)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.xlsx"'
    return response
