"""The text of a stored PDF (pypdf) or Word document (python-docx), for the search index. Bounded: at most
`rules.PDF_PAGES_MAX` pages and `rules.TEXT_INDEX_MAX` characters; a document whose text cannot be read is stored
all the same (it is found by its title), and the failure is logged."""

import logging

import docx
from pypdf import PdfReader

from . import rules

logger = logging.getLogger("lvzhi.learning")


def _pdf_text(handle) -> str:
    reader = PdfReader(handle)
    parts, length = [], 0
    for number, page in enumerate(reader.pages):
        if number >= rules.PDF_PAGES_MAX or length >= rules.TEXT_INDEX_MAX:
            break
        text = page.extract_text() or ""
        parts.append(text)
        length += len(text)
    return "\n".join(parts)


def _docx_text(handle) -> str:
    document = docx.Document(handle)
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


def document_text(fieldfile, mime: str) -> str:
    """The text of the stored file (read from storage, seeking as the format needs, not loaded whole)."""
    try:
        with fieldfile.open("rb") as handle:
            text = _pdf_text(handle) if mime == "application/pdf" else _docx_text(handle)
    except Exception:  # noqa: BLE001 — a damaged or unusual file: stored, found by its title only
        logger.warning("learning: the text of an uploaded %s could not be read", mime, exc_info=True)
        return ""
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")[: rules.TEXT_INDEX_MAX]
