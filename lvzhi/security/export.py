"""The security incidents as a real .xlsx workbook (openpyxl, write-only); every cell is text, never a formula."""

import io
import json

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

EXPORT_LIMIT = 50_000


def _cell(sheet, value) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", "" if value is None else str(value))
    cell.data_type = "s"
    return cell


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def build_workbook(incidents) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Security incidents"))
    headers = [
        _("ID"),
        _("Kind"),
        _("Severity"),
        _("Status"),
        _("First seen"),
        _("Last seen"),
        _("Occurrences"),
        _("Subject"),
        _("Org unit"),
        _("IP address"),
        _("Details"),
        _("Acknowledged by"),
        _("Closed by"),
    ]
    sheet.append([_cell(sheet, h) for h in headers])
    for i in incidents:
        row = [
            i.pk,
            i.get_kind_display(),
            i.get_severity_display(),
            i.get_status_display(),
            _time(i.first_seen_at),
            _time(i.last_seen_at),
            i.occurrences,
            f"{i.subject_type} #{i.subject_id}" if i.subject_type else "",
            i.org_unit.name if i.org_unit else "",
            i.ip or "",
            json.dumps(i.detail, ensure_ascii=False, sort_keys=True),
            str(i.acknowledged_by) if i.acknowledged_by else "",
            str(i.closed_by) if i.closed_by else "",
        ]
        sheet.append([_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
