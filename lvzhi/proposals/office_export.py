"""The proposals office's list as an .xlsx workbook (issue 10 item 13): the rows the office sees with the filters
it chose, streamed (write-only, a bounded number of queries whatever the rows), cells through `core.xlsx` (never a
formula), no personal data beyond the proposer's name, and the export audited with its filters and row count."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from lvzhi.audit.services import record
from lvzhi.core import xlsx

MAX_ROWS = 50_000
CHUNK = 1000


@transaction.atomic
def export_office_list(*, actor, items, filters: dict) -> bytes:
    """`items`: the office's flow as selected (`selectors.office_flow`), ordered."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Proposals office"))
    xlsx.header(
        sheet,
        [
            _("Reference"),
            pgettext("proposal", "Kind"),
            _("Title"),
            _("Proposer"),
            _("Body"),
            _("Submitted"),
            _("Status"),
            _("Key supervision"),
        ],
    )
    rows = 0
    for p in items[:MAX_ROWS].iterator(chunk_size=CHUNK):
        sheet.append(
            xlsx.row(
                sheet,
                [
                    p.reference or "",
                    p.get_kind_display(),
                    p.title,
                    p.proposer.real_name if p.proposer_id else "",
                    p.body.name,
                    p.submitted_at,
                    p.get_status_display(),
                    _("Yes") if p.key_supervision else "",
                ],
            )
        )
        rows += 1
    record("proposals.office.export", actor=actor, after={"filters": filters, "rows": rows})
    return xlsx.save(book)
