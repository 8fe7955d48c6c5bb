"""The feedback log as an Excel workbook (safe cells from lvzhi.core.xlsx); the export itself is audited."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.audit.services import record
from lvzhi.core import xlsx
from lvzhi.core.masking import mask_phone

from .present import close_reason_label

XLSX = xlsx.XLSX_CONTENT_TYPE


def feedback_xlsx(*, actor, rows, filters: dict) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Feedback"))
    xlsx.header(
        sheet,
        [
            _("No."),
            _("Body"),
            _("Given"),
            _("By"),
            _("Kind"),
            _("Page"),
            _("Feedback"),
            _("Status"),
            _("Answered"),
            _("In time"),
            _("Answer"),
            _("What changed"),
            _("Closed because"),
        ],
    )
    count = 0
    for f in rows.iterator(chunk_size=1000):
        count += 1
        by = f.author.real_name if f.author_id else (mask_phone(f.contact_phone) or _("A visitor"))
        in_time = "" if f.answered_in_time is None else (_("Yes") if f.answered_in_time else _("No"))
        sheet.append(
            xlsx.row(
                sheet,
                [
                    f.pk,
                    f.body.name,
                    f.created_at,
                    by,
                    f.get_kind_display(),
                    f.page,
                    f.text,
                    f.get_status_display(),
                    f.answered_at,
                    in_time,
                    f.answer,
                    f.change_note,
                    close_reason_label(f.close_reason),
                ],
            )
        )
    record("feedback.export", actor=actor, after={"filters": filters, "rows": count})
    return xlsx.save(book)
