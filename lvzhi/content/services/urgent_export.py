"""The export of emergency and rumour response times (S2-29); audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.audit.services import record
from lvzhi.core import xlsx

from ..models import Urgency


def _at(value, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M") if value else ""


@transaction.atomic
def export_response_times(*, actor, items, year: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Response times"))
    xlsx.header(
        sheet,
        [_("Kind"), _("Title"), _("Department"), _("Event noticed"), _("Submitted"), _("Published"), _("Minutes")],
    )
    tz = timezone.get_current_timezone()
    count = 0
    for a in items:
        sheet.append(
            xlsx.row(
                sheet,
                [
                    str(Urgency(a.urgency).label),
                    a.display_title,
                    a.unit.name,
                    _at(a.event_noted_at, tz),
                    _at(a.submitted_at, tz),
                    _at(a.published_at, tz) if a.response_minutes is not None else "",
                    a.response_minutes if a.response_minutes is not None else "",
                ],
            )
        )
        count += 1
    data = xlsx.save(book)
    record("content.response_times.export", actor=actor, after={"year": year, "count": count})
    return data
