"""The text of an uploaded PDF (pypdf) or Word document (python-docx), for the search index. Bounded: at most
`rules.PDF_PAGES_MAX` pages and `rules.TEXT_INDEX_MAX` characters; a document whose text cannot be read is stored
all the same (it is found by its title), and the failure is logged."""

import io
import logging

import docx
from pypdf import PdfReader

from . import rules

logger = logging.getLogger("lvzhi.learning")


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    parts, length = [], 0
    for number, page in enumerate(reader.pages):
        if number >= rules.PDF_PAGES_MAX or length >= rules.TEXT_INDEX_MAX:
            break
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts, length = [], 0
    for paragraph in document.paragraphs:
        if length >= rules.TEXT_INDEX_MAX:
            break
        parts.append(paragraph.text)
        length += len(paragraph.text)
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def document_text(data: bytes, mime: str) -> str:
    try:
        text = _pdf_text(data) if mime == "application/pdf" else _docx_text(data)
    except Exception:  # noqa: BLE001 — a damaged or unusual file: stored, found by its title only
        logger.warning("learning: the text of an uploaded %s could not be read", mime, exc_info=True)
        return ""
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")[: rules.TEXT_INDEX_MAX]
