"""Streaming readers for the import files: .xlsx through openpyxl's read-only mode (rows as they are parsed, never
the whole sheet in memory), .csv through the csv module with the encoding detected (UTF-8 with or without BOM,
else GB18030, which reads GBK and GB2312 too). Rows come as dicts keyed by the column keys of `columns.py`."""

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from lvzhi.core.errors import ValidationFailed

from .columns import Column

XLSX_MAGIC = b"PK\x03\x04"
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
_SNIFF = 64 * 1024


def file_format(name: str, head: bytes) -> str:
    """ "xlsx" or "csv" from the first bytes (the name decides nothing but the error message)."""
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if b"\x00" in head[:_SNIFF]:
        raise ValidationFailed(_("The file is neither an Excel workbook (.xlsx) nor a CSV file."), code="file_invalid")
    return "csv"


def detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and len(head) >= _SNIFF:  # a character cut at the sniff boundary
            return "utf-8"
    try:
        head.decode("gb18030")
    except UnicodeDecodeError:
        raise ValidationFailed(_("The CSV file is neither UTF-8 nor GBK text."), code="encoding_invalid") from None
    return "gb18030"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _header_map(header: list, columns: tuple[Column, ...]) -> dict[str, int]:
    names = [_cell_text(h) for h in header]
    positions = {}
    for column in columns:
        if column.header in names:
            positions[column.key] = names.index(column.header)
        elif column.required:
            raise ValidationFailed(
                _("The first row must hold the template's headers; the column “%(name)s” is missing.")
                % {"name": column.header},
                code="header_missing",
            )
    return positions


def _rows(raw_rows: Iterator, columns) -> Iterator[tuple[int, dict]]:
    header = next(raw_rows, None)
    if header is None:
        raise ValidationFailed(_("The file is empty."), code="file_empty")
    positions = _header_map(list(header), columns)
    for number, raw in enumerate(raw_rows, start=2):
        cells = list(raw or ())
        values = {key: _cell_text(cells[i]) if i < len(cells) else "" for key, i in positions.items()}
        if not any(values.values()):
            continue
        if number - 1 > MAX_ROWS:
            raise ValidationFailed(_("At most 50,000 rows per file."), code="too_many_rows")
        yield number, values


def read_rows(handle, columns: tuple[Column, ...]) -> Iterator[tuple[int, dict]]:
    """(row number, {key: text}) for every non-empty data row of the open binary file `handle`."""
    head = handle.read(_SNIFF)
    handle.seek(0)
    if file_format("", head) == "xlsx":
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise ValidationFailed(
                _("The file is not a readable Excel workbook (.xlsx)."), code="file_invalid"
            ) from None
        try:
            yield from _rows(book.worksheets[0].iter_rows(values_only=True), columns)
        finally:
            book.close()
        return
    text = io.TextIOWrapper(handle, encoding=detect_encoding(head), newline="")
    try:
        yield from _rows(csv.reader(text), columns)
    except (UnicodeDecodeError, csv.Error):
        raise ValidationFailed(_("The CSV file could not be read to its end."), code="file_invalid") from None
    finally:
        text.detach()
