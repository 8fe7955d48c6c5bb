"""Export of a filtered audit log to a real .xlsx workbook (openpyxl, write-only: rows are streamed)."""

import json

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.core import xlsx
from lvzhi.core.masking import mask_phone

from .selectors import unit_names

EXPORT_LIMIT = 50_000
CHUNK = 2000


_text = xlsx.text  # always text, control characters escaped, never a formula


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def build_workbook(queryset) -> bytes:
    """The events of `queryset` (newest first) as .xlsx bytes. The caller has checked the row count."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Audit log"))
    headers = [
        _("ID"),
        _("Time"),
        _("Event"),
        _("Actor"),
        _("Mobile number"),
        _("Org unit"),
        _("Object type"),
        _("Object ID"),
        _("Object"),
        _("Before"),
        _("After"),
        _("IP address"),
        _("Hash"),
    ]
    sheet.append([_text(sheet, h) for h in headers])
    batch = []

    def flush(rows):
        names = unit_names(r.org_unit_id for r in rows)
        for r in rows:
            sheet.append(
                [
                    r.pk,
                    timezone.localtime(r.at).replace(tzinfo=None),
                    _text(sheet, r.event),
                    _text(sheet, r.actor_label),
                    _text(sheet, mask_phone(getattr(r, "actor_phone", None))),
                    _text(sheet, names.get(r.org_unit_id, r.org_unit_id or "")),
                    _text(sheet, r.object_type),
                    _text(sheet, r.object_id),
                    _text(sheet, r.object_repr),
                    _text(sheet, _json(r.before)),
                    _text(sheet, _json(r.after)),
                    _text(sheet, r.ip or ""),
                    _text(sheet, r.hash),
                ]
            )

    for row in queryset.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) >= CHUNK:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    return xlsx.save(book)
