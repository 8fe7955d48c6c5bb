"""Screening of text before review (S2-21, S2-26, S2-27, S0-9): findings, HTML, masking. See the package."""

import html as html_lib
import re
from dataclasses import dataclass
from dataclasses import field as dc_field

from django.utils.translation import gettext as _

from lvzhi.security.models import Incident
from lvzhi.security.services import raise_after_request

from .. import defaults, detectors, engine
from ..models import ListKind

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


# S2-21, S0-9: secrecy terms, adverts and gambling spam, and links to non-government (commercial) sites keep a text
# from being submitted and published; sensitive terms are decided by the reviewer; personal data blocks publication
# until masked (content.services).
BLOCKING_LISTS = frozenset({ListKind.SECRET, ListKind.ADVERT})


def has_blocking(findings) -> bool:
    return any(f.blocking for f in findings)


def report_blocked(*, actor, findings, obj=None, org_unit=None) -> bool:
    """Call where a submission is refused for secrecy-list findings: the security administrators get an incident
    (S2-34) with references only (who, what object, how many blocking findings; never the terms or the text).
    The incident is written when the request ends, so the refusal's rollback does not take it along. Returns
    whether there was anything blocking."""
    blocking = sum(1 for f in findings if f.blocking)
    if not blocking:
        return False

    raise_after_request(
        kind=Incident.Kind.SCREENING_BLOCK,
        severity=Incident.Severity.HIGH,
        subject=obj,
        org_unit=getattr(org_unit, "pk", org_unit),
        detail={"actor": getattr(actor, "pk", None), "blocking_findings": blocking},
        key=f"actor:{getattr(actor, 'pk', '')}",
    )
    return True


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
        return _("Looks like gambling or advert spam: '%(term)s'. The text cannot be submitted with it.") % {
            "term": value
        }
    return _("Advert or gambling term: '%(term)s'. The text cannot be submitted with it.") % {"term": value}


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


def _excepted(norm: str, start: int, end: int) -> bool:
    """An advert term inside ordinary wording ("娱乐场所", "以下注意") is not a finding."""
    for word in defaults.advert_exceptions():
        left = max(0, end - len(word))
        position = norm.find(word, left, start + len(word))
        while position != -1 and position <= start:
            if position + len(word) >= end:
                return True
            position = norm.find(word, position + 1, start + len(word))
    return False


def _interleaved_adverts(norm: str, text: str, seen: set, body_path) -> list:
    """Advert terms written with spaces, digits, letters or symbols between their characters ("时1时2彩")."""
    packed = detectors.compact(norm)
    if packed is None:
        return []
    found = []
    for start, end, _term, entries in engine.matcher().iter(packed.text):
        if not any(kind == ListKind.ADVERT and _applies(path, body_path) for kind, path in entries):
            continue
        if _excepted(packed.text, start, end):
            continue
        first, last = packed.to_original(start, end)
        if last - first != end - start and (first, last) not in seen:
            found.append((first, last, ListKind.ADVERT, "term", text[first:last]))
    return found


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
    terms.extend(_interleaved_adverts(norm, text, {(s, e) for s, e, *_ in terms}, body_path))
    for start, end in detectors.advert_spans(norm):
        terms.append((start, end, ListKind.ADVERT, "pattern", text[start:end]))
    terms = [t for t in terms if t[2] != ListKind.ADVERT or not _excepted(norm, t[0], t[1])]
    for start, end, kind, category, _value in _drop_nested(terms):
        findings.append(
            Finding(
                kind=kind,
                category=category,
                start=start,
                end=end,
                excerpt=_excerpt(masked, start, end),
                blocking=kind in BLOCKING_LISTS,
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
                    blocking=True,
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
                blocking=True,
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
                blocking=True,
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
