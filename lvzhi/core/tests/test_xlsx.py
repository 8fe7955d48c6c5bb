"""Finding 1: stored text with control characters never breaks an .xlsx export, and never becomes a formula."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from lvzhi.core import xlsx

BAD = "标题\u0007\u001b[31m"


def _roundtrip(values):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("t")
    sheet.append(xlsx.row(sheet, values))
    return list(load_workbook(io.BytesIO(xlsx.save(book))).active.iter_rows(values_only=True))[0]


@pytest.mark.req("S2-34", "S2-22")
def test_control_characters_are_escaped_visibly_and_the_workbook_opens():
    (cell,) = _roundtrip([BAD])
    assert cell == "标题\\x07\\x1b[31m"


@pytest.mark.req("S2-34", "S2-22")
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t=", "\r="])
def test_text_a_spreadsheet_would_run_is_kept_as_text(start):
    (cell,) = _roundtrip([start + 'HYPERLINK("http://x")'])
    assert cell.startswith("'")
    assert xlsx.text(None, start + "1").data_type == "s"


@pytest.mark.req("S2-34")
def test_numbers_dates_and_long_text():
    import datetime as dt

    long = "长" * 40_000
    number, empty, day, text = _roundtrip([3, None, dt.date(2026, 1, 2), long])
    assert number == 3 and day.date() == dt.date(2026, 1, 2) and empty is None
    assert len(text) == xlsx.MAX_CELL_CHARS and text.endswith("…")
