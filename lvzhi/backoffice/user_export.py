"""The back office's user list as an .xlsx workbook (issue 10 item 13): the users the actor may manage with the
filters of the list page, personal data masked (mobile number and ID-card number as on the page), cells through
`core.xlsx`, streamed in chunks (a bounded number of queries whatever the rows) and audited with the filters and
the row count. Exported by POST (an audited export is never a side effect of a GET)."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from lvzhi.audit.services import record
from lvzhi.core import xlsx
from lvzhi.core.errors import NotFound

from . import forms, permissions, selectors

MAX_ROWS = 50_000
CHUNK = 500


def _status(user) -> str:
    if not user.is_active:
        return _("Left")
    return _("Frozen") if user.is_frozen else _("Active")


@transaction.atomic
def export_users(*, actor, users, filters: dict) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Users"))
    xlsx.header(
        sheet, [_("Real name"), _("Mobile number"), _("ID-card number"), _("Unit"), _("Body"), _("Roles"), _("Status")]
    )
    rows = 0
    for user in users[:MAX_ROWS].iterator(chunk_size=CHUNK):  # the prefetch runs once per chunk
        unit = user.unit
        sheet.append(
            xlsx.row(
                sheet,
                [
                    user.real_name,
                    user.masked_phone,
                    user.masked_id_card,
                    unit.name if unit else "",
                    unit.body.name if unit and unit.body_id else "",
                    "、".join(str(a.get_role_display()) for a in user.active_roles),
                    _status(user),
                ],
            )
        )
        rows += 1
    record("backoffice.users.export", actor=actor, after={"filters": filters, "rows": rows})
    return xlsx.save(book)


@login_required
@require_POST
def users_export(request):
    actor = request.user
    if not (permissions.may_enter_backoffice(actor) and permissions.may_list_users(actor)):
        raise NotFound()
    form = forms.UserFilterForm(request.GET or None, units=selectors.user_filter_units(actor))
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {
        "q": cleaned.get("q") or "",
        "unit": cleaned.get("unit"),
        "role": cleaned.get("role") or "",
        "status": cleaned.get("status") or "",
    }
    users = selectors.users_for(actor, **filters)
    audited = {**filters, "unit": filters["unit"].pk if filters["unit"] else None, "q": bool(filters["q"])}
    data = export_users(actor=actor, users=users, filters=audited)
    response = HttpResponse(data, content_type=xlsx.XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="users-{stamp}.xlsx"'
    return response
