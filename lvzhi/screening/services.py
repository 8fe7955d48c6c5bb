"""Screening of text before review (S2-21, S2-26, S2-27, S0-9), and the writes on the word lists.

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

import html as html_lib
import re
import uuid
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text

from . import detectors, engine
from .models import ListKind, ScreeningState, Term, WordList
from .permissions import kinds_for, may_create_list, may_manage_list, may_view_list

# ---- findings --------------------------------------------------------------------------------------------------


class Kind:
    SECRET = "secret"
    SENSITIVE = "sensitive"
    ADVERT = "advert"
    PERSONAL_DATA = "personal_data"
    EXTERNAL_LINK = "external_link"
    UNSOURCED_REPOST = "unsourced_repost"


@dataclass(frozen=True)
class Finding:
    kind: str  # Kind.*: "secret" | "sensitive" | "advert" | "personal_data" | "external_link" | "unsourced_repost"
    category: str  # "term", "pattern", "id_card", "mobile", "bank_card", "address", "link", "embed", "repost"
    start: int  # offsets into the scanned text (the title, the body's text, the source) or, for "link"/"embed",
    end: int  # into the body's HTML
    excerpt: str  # the finding in its context, personal data masked
    blocking: bool  # True for the secrecy list: the text may not be submitted
    label: str  # what a clerk reads, translated
    field: str = "text"  # "text" for scan(); "title", "body", "source", "link" for scan_article()
    value: str = dc_field(default="", compare=False)  # the term or the link found; "" for personal data

    @property
    def is_personal(self) -> bool:
        return self.kind == Kind.PERSONAL_DATA

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "excerpt": self.excerpt,
            "blocking": self.blocking,
            "label": self.label,
            "field": self.field,
            "value": self.value,
        }


def has_blocking(findings) -> bool:
    return any(f.blocking for f in findings)


_EXCERPT_CONTEXT = 12
_PERSONAL_LABELS = {
    "id_card": lambda: _("ID-card number"),
    "mobile": lambda: _("Mobile number"),
    "bank_card": lambda: _("Bank card number"),
    "address": lambda: _("Home address"),
}


def _term_label(kind: str, category: str, value: str) -> str:
    if kind == Kind.SECRET:
        return _("Term on the secrecy list: '%(term)s'. The text cannot be submitted with it.") % {"term": value}
    if kind == Kind.SENSITIVE:
        return _("Sensitive term: '%(term)s'") % {"term": value}
    if category == "pattern":
        return _("Looks like gambling or advert spam: '%(term)s'") % {"term": value}
    return _("Advert or gambling term: '%(term)s'") % {"term": value}


def _excerpt(masked: str, start: int, end: int) -> str:
    left = max(0, start - _EXCERPT_CONTEXT)
    right = min(len(masked), end + _EXCERPT_CONTEXT)
    text = masked[left:right]
    text = re.sub(r"\s+", " ", text).strip()
    return ("…" if left > 0 else "") + text + ("…" if right < len(masked) else "")


def _applies(path: str, body_path: str | None) -> bool:
    return not path or (body_path is not None and body_path.startswith(path))


def _drop_nested(found: list[tuple[int, int, str, str, str]]) -> list[tuple[int, int, str, str, str]]:
    """Of overlapping terms keep the outer one, unless the inner one is more severe ("网上赌博" ⊃ "赌博")."""
    found.sort(key=lambda item: (item[0], -item[1]))
    kept = []
    cover_end, cover_sev = -1, 0
    for item in found:
        end, kind = item[1], item[2]
        severity = engine.SEVERITY[kind]
        if end <= cover_end and severity <= cover_sev:
            continue
        kept.append(item)
        if end > cover_end:
            cover_end, cover_sev = end, severity
    return kept


def _personal_spans(norm: str) -> list[detectors.Span]:
    spans = detectors.number_spans(norm) + detectors.address_spans(norm)
    spans.sort(key=lambda s: (s.start, -s.end))
    kept, last_end = [], -1
    for span in spans:
        if span.start >= last_end:
            kept.append(span)
            last_end = span.end
    return kept


def _masked_text(text: str, spans) -> str:
    if not spans:
        return text
    parts, position = [], 0
    for span in spans:
        parts.append(text[position : span.start])
        parts.append(detectors.mask_span(span.category, text[span.start : span.end]))
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def _scan(text: str, *, body=None, field: str = "text", links: bool = True) -> list[Finding]:
    if not text:
        return []
    norm = detectors.normalise(text)
    body_path = getattr(body, "path", None)
    personal = _personal_spans(norm)
    masked = _masked_text(text, personal)
    findings: list[Finding] = []

    # Word lists: one pass of the automaton.
    terms = []
    for start, end, _term, entries in engine.matcher().iter(norm):
        kinds = [kind for kind, path in entries if _applies(path, body_path)]
        if kinds:
            kind = max(kinds, key=engine.SEVERITY.__getitem__)
            terms.append((start, end, kind, "term", text[start:end]))
    for start, end in detectors.advert_spans(norm):
        terms.append((start, end, ListKind.ADVERT, "pattern", text[start:end]))
    for start, end, kind, category, _value in _drop_nested(terms):
        findings.append(
            Finding(
                kind=kind,
                category=category,
                start=start,
                end=end,
                excerpt=_excerpt(masked, start, end),
                blocking=kind == ListKind.SECRET,
                label=_term_label(kind, category, masked[start:end]),
                field=field,
                value=masked[start:end],
            )
        )
    for span in personal:
        findings.append(
            Finding(
                kind=Kind.PERSONAL_DATA,
                category=span.category,
                start=span.start,
                end=span.end,
                excerpt=_excerpt(masked, span.start, span.end),
                blocking=False,
                label=_PERSONAL_LABELS[span.category](),
                field=field,
            )
        )
    if links:
        for link in detectors.link_spans(text):
            findings.append(
                Finding(
                    kind=Kind.EXTERNAL_LINK,
                    category="link",
                    start=link.start,
                    end=link.end,
                    excerpt=_excerpt(masked, link.start, link.end),
                    blocking=False,
                    label=_("Link to a site that is not a government site: %(host)s") % {"host": link.host},
                    field=field,
                    value=link.url,
                )
            )
    findings.sort(key=lambda f: (f.start, f.end))
    return findings


def scan(text: str, *, body=None) -> list[Finding]:
    """Every finding in a plain text, in text order. `body`: the org unit whose scoped lists apply."""
    return _scan(text or "", body=body, field="text")


# ---- HTML ------------------------------------------------------------------------------------------------------

_TAG_RE = re.compile(r"<!--.*?-->|<(script|style)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.S | re.I)
_TAG_NAME_RE = re.compile(r"<\s*/?\s*([a-zA-Z][a-zA-Z0-9]*)")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_ATTR_RE = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header hr li "  # noqa: SIM905
    "main nav ol p pre section table tbody td tfoot th thead tr ul".split()
)


@dataclass
class _HtmlText:
    text: str
    starts: list[int]  # for each character of `text`: where it begins in the HTML (-1: a line break we added)
    ends: list[int]
    links: list[tuple[str, str, int, int]]  # (attribute, value, start, end) of every href/src


def _html_text(body_html: str) -> _HtmlText:
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    links = []

    def add_text(segment_start: int, segment_end: int):
        position = segment_start
        for entity in _ENTITY_RE.finditer(body_html, segment_start, segment_end):
            for offset in range(position, entity.start()):
                chars.append(body_html[offset])
                starts.append(offset)
                ends.append(offset + 1)
            for char in html_lib.unescape(entity.group()):
                chars.append(char)
                starts.append(entity.start())
                ends.append(entity.end())
            position = entity.end()
        for offset in range(position, segment_end):
            chars.append(body_html[offset])
            starts.append(offset)
            ends.append(offset + 1)

    position = 0
    for tag in _TAG_RE.finditer(body_html):
        add_text(position, tag.start())
        position = tag.end()
        name = _TAG_NAME_RE.match(tag.group())
        if name and name.group(1).lower() in _BLOCK_TAGS and chars and chars[-1] != "\n":
            chars.append("\n")
            starts.append(-1)
            ends.append(-1)
        if name and not tag.group(1):
            for attr in _ATTR_RE.finditer(tag.group()):
                group = 2 if attr.group(2) is not None else 3 if attr.group(3) is not None else 4
                links.append(
                    (
                        attr.group(1).lower(),
                        html_lib.unescape(attr.group(group)),
                        tag.start() + attr.start(group),
                        tag.start() + attr.end(group),
                    )
                )
    add_text(position, len(body_html))
    return _HtmlText("".join(chars), starts, ends, links)


def html_text(body_html: str) -> str:
    """The text of an HTML body as a reader sees it (block elements on their own lines)."""
    return _html_text(body_html or "").text


def _link_findings(links, seen_urls: set[str]) -> list[Finding]:
    allowed = detectors.allowed_hosts()
    findings = []
    for attribute, url, start, end in links:
        host = detectors.link_host(url)
        if not host or detectors.host_allowed(host, allowed) or url in seen_urls:
            continue
        seen_urls.add(url)
        if attribute == "src":
            label = _("Image or media from a site that is not a government site: %(host)s") % {"host": host}
        else:
            label = _("Link to a site that is not a government site: %(host)s") % {"host": host}
        findings.append(
            Finding(
                kind=Kind.EXTERNAL_LINK,
                category="embed" if attribute == "src" else "link",
                start=start,
                end=end,
                excerpt=url if len(url) <= 80 else url[:79] + "…",
                blocking=False,
                label=label,
                field="link",
                value=url,
            )
        )
    return findings


def scan_article(*, title: str, body_html: str, source: str = "", is_repost: bool = False, body=None) -> list[Finding]:
    """Findings of an article: in its title, its body (as text), its source, its links and embedded media, and
    a repost without a named source (S2-27). Title findings first, then body, source, links."""
    title = title or ""
    body_html = body_html or ""
    source = (source or "").strip()
    parsed = _html_text(body_html)
    findings = _scan(title, body=body, field="title")
    body_findings = _scan(parsed.text, body=body, field="body")
    findings += body_findings
    if source:
        findings += _scan(source, body=body, field="source", links=False)
    seen = {f.value for f in body_findings if f.kind == Kind.EXTERNAL_LINK}
    findings += _link_findings(parsed.links, seen)
    if is_repost and not re.search(r"\w", source):
        findings.append(
            Finding(
                kind=Kind.UNSOURCED_REPOST,
                category="repost",
                start=0,
                end=0,
                excerpt="",
                blocking=False,
                label=_("A repost must name its source."),
                field="source",
            )
        )
    return findings


# ---- masking ---------------------------------------------------------------------------------------------------


def _spans_to_mask(text: str, findings, fields) -> list[detectors.Span]:
    """The personal data in `text` to mask: all of it, or only the `findings` (of `fields`, None: any field)
    that are still where they were found (a stale finding masks nothing)."""
    spans = _personal_spans(detectors.normalise(text))
    if findings is None:
        return spans
    wanted = {
        (f.category, f.start, f.end)
        for f in findings
        if f.kind == Kind.PERSONAL_DATA and (fields is None or f.field in fields)
    }
    return [s for s in spans if (s.category, s.start, s.end) in wanted]


def mask(text: str, findings=None, *, field: str | None = None) -> str:
    """`text` with its personal data masked (S2-26): all of it, or only the personal-data `findings` (from scanning
    this same text; give `field` to pick those of one field of scan_article). Numbers keep their first and last
    digits (as lvzhi.core.masking does); addresses lose their house, building and room numbers."""
    text = text or ""
    return _masked_text(text, _spans_to_mask(text, findings, None if field is None else {field}))


def mask_html(body_html: str, findings=None) -> str:
    """The HTML body with the personal data in its text masked; tags and attributes are left as they are.
    `findings`: only those personal-data findings of scan_article (field "body"); None: all personal data."""
    body_html = body_html or ""
    parsed = _html_text(body_html)
    spans = _spans_to_mask(parsed.text, findings, {"body", "text"})
    replacements: dict[int, tuple[int, str]] = {}
    for span in spans:
        value = parsed.text[span.start : span.end]
        masked = detectors.mask_span(span.category, value)
        for index, (before, after) in enumerate(zip(value, masked, strict=True)):
            if before != after and parsed.starts[span.start + index] >= 0:
                replacements[parsed.starts[span.start + index]] = (parsed.ends[span.start + index], after)
    if not replacements:
        return body_html
    parts, position = [], 0
    for start in sorted(replacements):
        end, char = replacements[start]
        if start < position:
            continue
        parts.append(body_html[position:start])
        parts.append(char)
        position = end
    parts.append(body_html[position:])
    return "".join(parts)


def mask_article(*, title: str, body_html: str) -> tuple[str, str]:
    """Title and HTML body with all their personal data masked."""
    return mask(title), mask_html(body_html)


# ---- the word lists (writes) ------------------------------------------------------------------------------------

NAME_MAX = 100
DESCRIPTION_MAX = 300
TERM_MIN, TERM_MAX = 2, 50
IMPORT_MAX_LINES = 10_000
IMPORT_MAX_CHARS = 400_000


def _changed() -> None:
    """Tell every process that the lists changed: a new version and stamp (same transaction as the change)."""
    updated = ScreeningState.objects.filter(pk=1).update(
        version=F("version") + 1, stamp=uuid.uuid4().hex, changed_at=timezone.now()
    )
    if not updated:
        ScreeningState.objects.create(pk=1, version=1, stamp=uuid.uuid4().hex, changed_at=timezone.now())


def normalise_term(raw: str) -> str:
    """The stored form of a term: trimmed, single spaces, ASCII in lower case, full-width as half-width."""
    return re.sub(r"\s+", " ", detectors.normalise(raw or "")).strip()


def _check_term(term: str) -> None:
    if len(term) < TERM_MIN:
        raise ValidationFailed(
            _("A term needs at least %(min)d characters.") % {"min": TERM_MIN}, code="term_too_short"
        )
    if len(term) > TERM_MAX:
        raise ValidationFailed(_("A term has at most %(max)d characters.") % {"max": TERM_MAX}, code="term_too_long")
    if any(ord(char) < 32 or 0x7F <= ord(char) < 0xA0 for char in term):
        raise ValidationFailed(_("A term cannot contain control characters."), code="term_invalid")


def _list_state(word_list: WordList) -> dict:
    return {
        "name": word_list.name,
        "kind": word_list.kind,
        "body": word_list.body_id,
        "is_active": word_list.is_active,
    }


def _term_audit(word_list: WordList, term: Term) -> dict:
    """Secrecy terms are not written into the audit log (its readers are not the secrecy office)."""
    if word_list.kind == ListKind.SECRET:
        return {"list": word_list.pk, "term_id": term.pk, "length": len(term.text)}
    return {"list": word_list.pk, "term_id": term.pk, "term": term.text}


def _locked_list(actor, word_list: WordList) -> WordList:
    locked = WordList.objects.select_for_update(of=("self",)).select_related("body").filter(pk=word_list.pk).first()
    if locked is None or not may_view_list(actor, locked):
        raise NotFound()
    if not may_manage_list(actor, locked):
        raise PermissionDenied(_("You may read this list but not change it."), code="list_read_only")
    return locked


@transaction.atomic
def create_list(*, actor, name: str, kind: str, body=None, description: str = "") -> WordList:
    """A new word list of `kind`, applying to `body` and the bodies below (None: everywhere)."""
    name = clean_text(name, field="name", max_length=10_000, label=_("The name"), required=False)
    description = clean_text(
        description, field="description", max_length=10_000, label=_("The description"), required=False, multiline=True
    )
    if kind not in ListKind.values:
        raise ValidationFailed(_("Choose the kind of list."), code="unknown_kind")
    if not name:
        raise ValidationFailed(_("Enter a name."), code="name_required")
    if len(name) > NAME_MAX:
        raise ValidationFailed(_("A name has at most %(max)d characters.") % {"max": NAME_MAX}, code="name_too_long")
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(
            _("A description has at most %(max)d characters.") % {"max": DESCRIPTION_MAX}, code="description_too_long"
        )
    if not may_create_list(actor, kind, body):
        if kind not in kinds_for(actor):
            if kind == ListKind.SECRET:
                raise PermissionDenied(
                    _("Only the secrecy office keeps secrecy terms."), code="secret_lists_only_secrecy"
                )
            raise NotFound()
        if body is None:
            raise PermissionDenied(
                _("Platform-wide lists are kept at the top-level body; choose your body."), code="scope_not_allowed"
            )
        raise NotFound()
    if WordList.objects.filter(is_active=True, kind=kind, body=body, name=name).exists():
        raise Conflict(_("An active list of this kind with this name already exists here."), code="duplicate_list")
    word_list = WordList.objects.create(name=name, kind=kind, body=body, description=description, created_by=actor)
    _changed()
    record("screening.list.create", actor=actor, obj=word_list, org_unit=body, after=_list_state(word_list))
    return word_list


@transaction.atomic
def retire_list(*, actor, word_list: WordList) -> WordList:
    """The list no longer screens anything; its terms are kept (and come back with it)."""
    word_list = _locked_list(actor, word_list)
    if not word_list.is_active:
        raise Conflict(_("This list is already retired."), code="already_retired")
    before = _list_state(word_list)
    word_list.is_active = False
    word_list.retired_at = timezone.now()
    word_list.retired_by = actor
    word_list.save(update_fields=["is_active", "retired_at", "retired_by"])
    _changed()
    record(
        "screening.list.retire",
        actor=actor,
        obj=word_list,
        org_unit=word_list.body,
        before=before,
        after=_list_state(word_list),
    )
    return word_list


@transaction.atomic
def restore_list(*, actor, word_list: WordList) -> WordList:
    word_list = _locked_list(actor, word_list)
    if word_list.is_active:
        raise Conflict(_("This list is active."), code="already_active")
    if WordList.objects.filter(
        is_active=True, kind=word_list.kind, body_id=word_list.body_id, name=word_list.name
    ).exists():
        raise Conflict(_("An active list of this kind with this name already exists here."), code="duplicate_list")
    before = _list_state(word_list)
    word_list.is_active = True
    word_list.retired_at = None
    word_list.retired_by = None
    word_list.save(update_fields=["is_active", "retired_at", "retired_by"])
    _changed()
    record(
        "screening.list.restore",
        actor=actor,
        obj=word_list,
        org_unit=word_list.body,
        before=before,
        after=_list_state(word_list),
    )
    return word_list


def _require_active(word_list: WordList) -> None:
    if not word_list.is_active:
        raise Conflict(_("This list is retired; restore it first."), code="list_retired")


@transaction.atomic
def add_term(*, actor, word_list: WordList, term: str) -> Term:
    """Add one term (or bring back a retired one)."""
    word_list = _locked_list(actor, word_list)
    _require_active(word_list)
    text = normalise_term(term)
    _check_term(text)
    row = Term.objects.select_for_update().filter(word_list=word_list, text=text).first()
    if row is not None and row.is_active:
        raise Conflict(_("This term is already on the list."), code="duplicate_term")
    if row is None:
        try:
            with transaction.atomic():
                row = Term.objects.create(word_list=word_list, text=text, created_by=actor)
        except IntegrityError:
            raise Conflict(_("This term is already on the list."), code="duplicate_term")
        event = "screening.term.add"
    else:
        row.is_active = True
        row.retired_at = None
        row.retired_by = None
        row.save(update_fields=["is_active", "retired_at", "retired_by"])
        event = "screening.term.restore"
    _changed()
    record(event, actor=actor, obj=word_list, org_unit=word_list.body, after=_term_audit(word_list, row))
    return row


@dataclass(frozen=True)
class ImportResult:
    added: int
    restored: int
    duplicates: int


@transaction.atomic
def import_terms(*, actor, word_list: WordList, text: str) -> ImportResult:
    """Bulk import: one term per line. Blank lines are skipped, terms already on the list are counted as
    duplicates; one invalid line rejects the whole import (nothing is half-imported) and names the line."""
    word_list = _locked_list(actor, word_list)
    _require_active(word_list)
    text = (text or "").lstrip("\ufeff")
    if len(text) > IMPORT_MAX_CHARS:
        raise ValidationFailed(
            _("The import is too long: at most %(max)d characters.") % {"max": IMPORT_MAX_CHARS},
            code="import_too_long",
        )
    lines = text.splitlines()
    if len(lines) > IMPORT_MAX_LINES:
        raise ValidationFailed(
            _("The import has too many lines: at most %(max)d.") % {"max": IMPORT_MAX_LINES}, code="import_too_long"
        )
    wanted: list[str] = []
    seen: set[str] = set()
    duplicates = 0
    for number, line in enumerate(lines, start=1):
        term = normalise_term(line)
        if not term:
            continue
        try:
            _check_term(term)
        except ValidationFailed as exc:
            raise ValidationFailed(
                _("Line %(line)d: %(error)s") % {"line": number, "error": exc.message}, code="import_invalid_line"
            )
        if term in seen:
            duplicates += 1
            continue
        seen.add(term)
        wanted.append(term)
    if not wanted:
        raise ValidationFailed(_("Enter at least one term, one per line."), code="import_empty")
    existing: dict[str, tuple[int, bool]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for pk, term, active in Term.objects.filter(word_list=word_list, text__in=chunk).values_list(
            "pk", "text", "is_active"
        ):
            existing[term] = (pk, active)
    new = [t for t in wanted if t not in existing]
    restore_ids = [pk for pk, active in existing.values() if not active]
    duplicates += sum(1 for _pk, active in existing.values() if active)
    Term.objects.bulk_create([Term(word_list=word_list, text=t, created_by=actor) for t in new], batch_size=1000)
    for start in range(0, len(restore_ids), 500):
        Term.objects.filter(pk__in=restore_ids[start : start + 500]).update(
            is_active=True, retired_at=None, retired_by=None
        )
    result = ImportResult(added=len(new), restored=len(restore_ids), duplicates=duplicates)
    if new or restore_ids:
        _changed()
    after = {"list": word_list.pk, "added": result.added, "restored": result.restored, "duplicates": duplicates}
    if word_list.kind != ListKind.SECRET:
        after["terms"] = new[:200]
    record("screening.term.import", actor=actor, obj=word_list, org_unit=word_list.body, after=after)
    return result


@transaction.atomic
def retire_term(*, actor, term: Term) -> Term:
    """The term no longer screens anything (kept for the record; adding it again brings it back)."""
    word_list = _locked_list(actor, term.word_list)
    row = Term.objects.select_for_update().filter(pk=term.pk, word_list=word_list).first()
    if row is None:
        raise NotFound()
    if not row.is_active:
        raise Conflict(_("This term is already retired."), code="already_retired")
    row.is_active = False
    row.retired_at = timezone.now()
    row.retired_by = actor
    row.save(update_fields=["is_active", "retired_at", "retired_by"])
    _changed()
    record(
        "screening.term.retire",
        actor=actor,
        obj=word_list,
        org_unit=word_list.body,
        before=_term_audit(word_list, row),
    )
    return row
