"""The duty report PDF (履职报告): a member's own (我的履职) and an office's copy for a member it may see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from . import selectors
from .report_pdf import PDF
from .services.reports import export_member_report
from .views import _managed_body


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_report(request):
    profiles = selectors.my_bodies(request.user)
    body = profiles[0].body if profiles else None
    year = selectors.year_param(request.GET.get("year"))
    return _pdf(*export_member_report(actor=request.user, body=body, year=year))


@login_required
@require_GET
def member_report(request, member_id):
    body = _managed_body(request)
    year = selectors.year_param(request.GET.get("year"))
    return _pdf(*export_member_report(actor=request.user, body=body, year=year, member_id=member_id))
