"""Screening of text before review (S2-21, S2-26, S2-27, S0-9), and the writes on the word lists.

A package: `scanning` (findings, HTML, masking) and `lists` (the word lists); every public name is re-exported
here, so callers import `lvzhi.screening.services` as before.

Public interface (stable):

    scan(text, *, body=None) -> list[Finding]
    scan_article(*, title, body_html, source="", is_repost=False, body=None) -> list[Finding]
    mask(text, findings=None, *, field=None) -> str
    mask_html(body_html, findings=None) -> str
    mask_article(*, title, body_html) -> tuple[str, str]
    has_blocking(findings) -> bool
    html_text(body_html) -> str

`scan` makes ONE pass over the text with an Aho–Corasick automaton of every active term (cached per process,
rebuilt when the lists change), plus one regular-expression pass per fixed detector: ID-card numbers (valid
GB 11643 check digit), mobile numbers, bank-card numbers (Luhn), home addresses, links to non-government sites and
gambling/advert spam shapes. A list scoped to a body applies when `body` is that body or one below it; lists
without scope always apply. Findings of the secrecy list are `blocking`: the text may not be submitted.

Excerpts never show personal data: they are cut from the text with every personal-data finding masked.
"""

from .lists import (
    DESCRIPTION_MAX,
    IMPORT_MAX_CHARS,
    IMPORT_MAX_LINES,
    NAME_MAX,
    TERM_MAX,
    TERM_MIN,
    ImportResult,
    _changed,
    add_term,
    create_list,
    import_terms,
    normalise_term,
    restore_list,
    retire_list,
    retire_term,
)
from .scanning import (
    Finding,
    Kind,
    has_blocking,
    html_text,
    mask,
    mask_article,
    mask_html,
    report_blocked,
    scan,
    scan_article,
)

__all__ = [
    "DESCRIPTION_MAX",
    "IMPORT_MAX_CHARS",
    "IMPORT_MAX_LINES",
    "NAME_MAX",
    "TERM_MAX",
    "TERM_MIN",
    "Finding",
    "ImportResult",
    "Kind",
    "_changed",
    "add_term",
    "create_list",
    "has_blocking",
    "html_text",
    "import_terms",
    "mask",
    "report_blocked",
    "mask_article",
    "mask_html",
    "normalise_term",
    "restore_list",
    "retire_list",
    "retire_term",
    "scan",
    "scan_article",
]
