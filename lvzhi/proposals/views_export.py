"""Export of the proposals office's list (a POST: the export is audited, so it is never a side effect of a GET).
The filters are those of the list page, posted with the form."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lvzhi.core import xlsx
from lvzhi.core.errors import NotFound
from lvzhi.core.params import query_year

from . import selectors
from .models import Kind
from .office_export import export_office_list


def office_filters(params) -> dict:
    """The list's filters as the office page reads them (an unknown state is the whole flow)."""
    state = params.get("state", "all")
    if state not in selectors.OFFICE_STATES:
        state = "all"
    kind = params.get("kind", "")
    return {
        "state": state,
        "kind": kind if kind in Kind.values else "",
        "year": query_year(params.get("year")),
        "q": " ".join(params.get("q", "").split())[:50],
    }


@login_required
@require_POST
def office_export(request):
    user = request.user
    if not selectors.offices_of(user):
        raise NotFound()
    filters = office_filters(request.POST)
    items = selectors.office_flow(user, **filters)
    data = export_office_list(actor=user, items=items, filters=filters)
    response = HttpResponse(data, content_type=xlsx.XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="proposals-{stamp}.xlsx"'
    return response
