"""Safe Excel cells for every .xlsx export: whatever text is stored, the export never fails and never runs a formula.

Text entering today is cleaned at the door (`lvzhi.core.validation.clean_text`), but rows stored before that (and
audit rows, which cannot be changed) may hold characters openpyxl refuses (`IllegalCharacterError`: C0 controls
such as BEL and ESC). They are written escaped as visible `\\x07`, so the export works and still shows what was
stored. Text a spreadsheet would read as a formula (starting with = + - @, or a tab/CR before one) is prefixed
with an apostrophe, and every text cell is typed as a string.

Use `text(sheet, value)` for a text cell, `value(sheet, v)` for any value, `row(sheet, values)` for a whole row,
`header(sheet, titles)` for a bold header row and `save(book)` for the bytes.
"""

import datetime as dt
import decimal
import io
import re

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What openpyxl refuses (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE) plus DEL/C1 controls and lone surrogates,
# which an XML writer cannot encode either.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_TRUNCATED = "…"


def _escape(match: re.Match) -> str:
    return f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100 else f"\\u{ord(match.group()):04x}"


def safe_text(value) -> str:
    """`value` as text an .xlsx cell can hold and a spreadsheet shows as text (never runs as a formula)."""
    text = "" if value is None else str(value)
    text = _ILLEGAL.sub(_escape, text)
    if text.startswith(_FORMULA_START):
        text = "'" + text
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + _TRUNCATED
    return text


def text(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    """A text cell (type string) holding `safe_text(value)`."""
    cell = WriteOnlyCell(sheet, value=None)
    cell.value = safe_text(value)
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def value(sheet, v):
    """Numbers and dates as they are (aware times in local time without zone); everything else as a text cell."""
    if v is None:
        return None
    if isinstance(v, bool):
        return text(sheet, v)
    if isinstance(v, int | float | decimal.Decimal):
        return v
    if isinstance(v, dt.datetime):
        return timezone.localtime(v).replace(tzinfo=None) if timezone.is_aware(v) else v
    if isinstance(v, dt.date):
        return v
    return text(sheet, v)


def row(sheet, values) -> list:
    return [value(sheet, v) for v in values]


def header(sheet, titles) -> None:
    sheet.append([text(sheet, t, bold=True) for t in titles])


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
