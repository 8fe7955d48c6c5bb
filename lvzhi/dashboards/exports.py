"""A dashboard's figures as an Excel workbook: one sheet per chart, its data table (safe cells, `lvzhi.core.xlsx`)."""

import re

from openpyxl import Workbook

from lvzhi.core import xlsx

XLSX = xlsx.XLSX_CONTENT_TYPE
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def charts_xlsx(charts, *, title: str) -> bytes:
    book = Workbook(write_only=True)
    used = set()
    for chart in charts:
        name = _SHEET_BAD.sub(" ", chart.title)[:28] or chart.name
        while name in used:
            name = name[:26] + f"_{len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(xlsx.row(sheet, [title, chart.title]))
        sheet.append(xlsx.row(sheet, [chart.summary]))
        xlsx.header(sheet, chart.headers())
        for row in chart.rows():
            sheet.append(xlsx.row(sheet, row))
    return xlsx.save(book)
