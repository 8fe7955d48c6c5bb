"""The publication register export (S0-10)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from lvzhi.audit.services import record
from lvzhi.core import xlsx

from ..models import Grade


@transaction.atomic
def export_register(*, actor, entries, filters: dict) -> bytes:
    """The register rows as an Excel workbook; the export is audited."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Publication register"))
    xlsx.header(
        sheet,
        [
            _("Published"),
            _("Title"),
            _("Column"),
            _("Department"),
            _("Grade"),
            _("Drafted by"),
            _("Drafted"),
            _("Reviewed by"),
            _("Approved by"),
            _("Published by"),
            _("Status"),
            pgettext("register column", "Ended"),
            _("Ended by"),
            _("Reason"),
            _("Disclosure category"),
        ],
    )
    count = 0
    tz = timezone.get_current_timezone()
    for e in entries:
        sheet.append(
            xlsx.row(
                sheet,
                [
                    timezone.localtime(e.published_at, tz).strftime("%Y-%m-%d %H:%M"),
                    e.title,
                    e.column_name,
                    e.unit.name,
                    str(Grade(e.grade).label),
                    e.drafted_by,
                    timezone.localtime(e.drafted_at, tz).strftime("%Y-%m-%d %H:%M"),
                    e.reviewed_by,
                    e.approved_by,
                    e.published_by,
                    str(e.get_status_display()),
                    timezone.localtime(e.ended_at, tz).strftime("%Y-%m-%d %H:%M") if e.ended_at else "",
                    e.ended_by,
                    e.end_reason,
                    e.category_name,
                ],
            )
        )
        count += 1
    data = xlsx.save(book)
    record("content.register.export", actor=actor, after={"filters": filters, "count": count})
    return data
