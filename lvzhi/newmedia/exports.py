"""The provincial filing form (S1-A) of one filing as an Excel workbook, through `lvzhi.core.xlsx`."""

from django.utils.translation import gettext as _
from openpyxl import Workbook

from lvzhi.core import xlsx

from .present import FORM_FIELDS, form_values


def form_workbook(filing) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Filing form"))
    values = form_values(filing)
    xlsx.header(sheet, [_("Field"), _("Value")])
    for key, label in FORM_FIELDS:
        sheet.append(xlsx.row(sheet, [str(label), values[key]]))
    return xlsx.save(book)
