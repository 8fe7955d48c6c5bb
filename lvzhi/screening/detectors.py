"""The fixed detectors of screening: personal data, external links and advert-spam patterns.

All of them work on the *normalised* text (`normalise()`): ASCII letters in lower case and full-width forms as
half-width, one character for one character, so offsets into the normalised text are offsets into the original.
Each detector is one regular-expression pass over the text (none has nested unbounded repetition).
"""

import bisect
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from lvzhi.core.validation import valid_id_card  # GB 11643 (18 characters, or an old 15-digit number)

# ---- normalisation (length-preserving) -------------------------------------------------------------------------

_TABLE = {code: code + 32 for code in range(ord("A"), ord("Z") + 1)}
_TABLE.update({code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)})  # full-width ASCII forms
_TABLE.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})  # full-width A-Z → a-z
_TABLE[0x3000] = ord(" ")  # ideographic space


_NEEDS_NORMALISING = re.compile(r"[A-Z\uff01-\uff5e\u3000]+")


def _translate(match: re.Match) -> str:
    return match.group().translate(_TABLE)


def normalise(text: str) -> str:
    """Lower-case ASCII letters, full-width → half-width. Same length as `text`, character for character."""
    return _NEEDS_NORMALISING.sub(_translate, text)


# ---- interleaved characters (spam written "时 时 彩", "时1时2彩", "博.彩", "娱ｘ乐ｘ城") -----------------------------

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# What spammers put between Chinese characters: spaces, Latin letters (pinyin), digits, symbols, invisible characters.
# Sentence punctuation (，。、；：！？ — half-width after `normalise`) is not a filler: it keeps words apart.
_FILL = "0-9a-z \t._\\-*|/\\\\~#@&+=^`'\"·•・★☆※\u200b-\u200d\u2060\ufeff"
_FILLER_RE = re.compile(rf"[{_FILL}](?<=[{_CJK}][{_FILL}])[{_FILL}]{{0,3}}(?=[{_CJK}])")


@dataclass(frozen=True)
class Compact:
    """The normalised text without short fillers between Chinese characters, and the way back to offsets."""

    text: str
    compact_starts: tuple[int, ...]  # where each kept segment begins in `text`
    starts: tuple[int, ...]  # … and in the normalised text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        first = bisect.bisect_right(self.compact_starts, start) - 1
        last = bisect.bisect_right(self.compact_starts, end - 1) - 1
        return (
            self.starts[first] + start - self.compact_starts[first],
            self.starts[last] + end - self.compact_starts[last],
        )


def compact(norm: str) -> Compact | None:
    """`norm` with every run of one to four filler characters between two Chinese characters removed, or None
    when there is none (then the text was already scanned as it is)."""
    pieces, compact_starts, starts = [], [], []
    position = length = 0
    for match in _FILLER_RE.finditer(norm):
        pieces.append(norm[position : match.start()])
        compact_starts.append(length)
        starts.append(position)
        length += match.start() - position
        position = match.end()
    if not pieces:
        return None
    pieces.append(norm[position:])
    compact_starts.append(length)
    starts.append(position)
    return Compact("".join(pieces), tuple(compact_starts), tuple(starts))


# ---- personal data -----------------------------------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def valid_bank_card(digits: str) -> bool:
    """13–19 digits, a card-scheme first digit (UnionPay 62…, Visa 4…, Mastercard 5…, Amex/JCB 3…, old domestic
    9…), not one repeated digit, passing the Luhn check."""
    return (
        13 <= len(digits) <= 19
        and digits.isdigit()
        and digits[0] in "345689"
        and len(set(digits)) > 2
        and luhn_ok(digits)
    )


def valid_mobile(digits: str) -> bool:
    return len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in "3456789"


# A run of digits, possibly grouped by single spaces or hyphens, possibly "+86" in front and "x" at the end
# (the check character of an ID card). Not inside a longer run of digits or letters.
# (Each pattern starts with a plain character class and checks what precedes it after the first character, so that
# the regular-expression engine can skip ahead quickly through Chinese text.)
_RUN_RE = re.compile(r"(?:\+(?<![0-9a-z]\+)86[ -]?\d|\d(?<![0-9a-z]\d))(?:\d|[ -](?=\d))*x?(?![0-9a-z])")
_SEP_RE = re.compile(r"[ -]")


@dataclass(frozen=True)
class Span:
    category: str
    start: int
    end: int


def _classify(token: str) -> str | None:
    """The category of one number as written (with its separators), or None."""
    prefix_86 = token.startswith("+86")
    body = token[3:].lstrip(" -") if prefix_86 else token
    groups = [g for g in _SEP_RE.split(body) if g]
    digits = "".join(groups)
    if len(groups) == 1 and not prefix_86 and valid_id_card(digits):
        return "id_card"
    if valid_mobile(digits) and (len(groups) == 1 or [len(g) for g in groups] in ([3, 4, 4], [3, 8], [7, 4])):
        return "mobile"
    if not prefix_86 and all(len(g) >= 3 for g in groups) and valid_bank_card(digits):
        return "bank_card"
    return None


def number_spans(norm: str) -> list[Span]:
    """ID-card, mobile and bank-card numbers."""
    spans = []
    for match in _RUN_RE.finditer(norm):
        token = match.group()
        category = _classify(token)
        if category:
            spans.append(Span(category, match.start(), match.end()))
            continue
        # "13800138000 2024": try each group on its own.
        offset = match.start()
        for part in re.finditer(r"[^ -]+", token):
            category = _classify(part.group())
            if category:
                spans.append(Span(category, offset + part.start(), offset + part.end()))
    return spans


_NUM = r"[0-9一二三四五六七八九十百零〇]{1,4}"
_UNIT = rf"(?:\s?[-之]?\s?{_NUM}\s?(?:栋|幢|号楼|座|单元|层|楼|室|号房|户))"
_ADDRESS_RE = re.compile(
    rf"(?:路|街|巷|胡同|弄|大道|道|里|村|组|屯)\s?\d{{1,5}}\s?号(?:院)?(?:\s?\d{{1,3}}-\d{{1,3}}-\d{{2,4}})?{_UNIT}{{0,4}}"
    rf"|(?:小区|花园|公寓|苑|家园|新村|新城|大厦|社区|宿舍)\s?{_NUM}\s?(?:栋|幢|号楼|座|期|区){_UNIT}{{0,4}}"
)
_HOME_CONTEXT_RE = re.compile(r"住址|家住|住在|居住|家庭住址|家庭地址|现住|户籍|住所|住宅|家在")
_UNIT_MARK_RE = re.compile(r"栋|幢|号楼|单元|室|号房|户|小区|花园|公寓|苑|家园|新村|宿舍")
_ADDRESS_STOP_RE = re.compile(r"[^\u4e00-\u9fff0-9a-z]")
_SENTENCE_END_RE = re.compile(r"[。！？；;!?\n]")


def address_spans(norm: str) -> list[Span]:
    """Home addresses: a road and house number with a building/unit/room, or an estate with a building number, or
    any road and house number right after words such as 住址, 家住, 户籍. Office addresses (a road and number
    only) are not flagged."""
    spans = []
    for match in _ADDRESS_RE.finditer(norm):
        start, end = match.start(), match.end()
        window = norm[max(0, start - 24) : start]
        stops = list(_ADDRESS_STOP_RE.finditer(window))
        if stops:
            window = window[stops[-1].end() :]
        sentence = norm[max(0, start - 30) : start]
        ends = list(_SENTENCE_END_RE.finditer(sentence))
        if ends:
            sentence = sentence[ends[-1].end() :]
        context = _HOME_CONTEXT_RE.search(sentence)
        in_window = list(_HOME_CONTEXT_RE.finditer(window))
        if in_window:
            window = window[in_window[-1].end() :]
        if not (context or _UNIT_MARK_RE.search(match.group())):
            continue
        spans.append(Span("address", start - len(window), end))
    return spans


# ---- links -------------------------------------------------------------------------------------------------------

_URL_RE = re.compile(
    r"(?:https?://|w(?<![a-z0-9.@/_-]w)ww\.)[^\s<>\"'\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+"
    r"|[a-z0-9](?<![a-z0-9.@/:_-][a-z0-9])[a-z0-9-]{1,62}(?:\.[a-z0-9-]{1,63})*"
    r"\.(?:com|net|cc|vip|top|xyz|bet|casino|club|info|biz|me|tv|io|co)(?![a-z0-9_-]|\.[a-z0-9])",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\""

DEFAULT_ALLOWED_HOSTS = ("gov.cn",)


def allowed_hosts() -> tuple[str, ...]:
    """Government and own domains: links there are fine. A name covers its sub-domains ("gov.cn" covers
    "www.xx.gov.cn"). Set LVZHI_SCREENING_ALLOWED_HOSTS (settings or environment, comma-separated) to extend the
    list; the platform's own ALLOWED_HOSTS are always included."""

    extra = getattr(settings, "LVZHI_SCREENING_ALLOWED_HOSTS", None)
    if extra is None:
        extra = os.environ.get("LVZHI_SCREENING_ALLOWED_HOSTS", "")
    if isinstance(extra, str):
        extra = extra.split(",")
    own = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    hosts = [h.strip().lower().lstrip(".") for h in (*DEFAULT_ALLOWED_HOSTS, *extra, *own)]
    return tuple(h for h in hosts if h)


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    host = host.lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in allowed)


def link_host(url: str) -> str | None:
    """The host of an absolute http(s) link (or www.… / bare domain), else None (relative links, mailto:…)."""
    candidate = url.strip()
    lower = candidate.lower()
    if lower.startswith("//"):
        candidate = "http:" + candidate
    elif not lower.startswith(("http://", "https://")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", lower):
            return None  # mailto:, tel:, javascript: … are not links to sites
        if not re.match(r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/:?#]|$)", lower):
            return None  # a relative link
        candidate = "http://" + candidate
    try:
        host = urlsplit(candidate).hostname
    except ValueError:
        return None
    return host or None


@dataclass(frozen=True)
class LinkSpan:
    start: int
    end: int
    url: str
    host: str


def link_spans(original: str) -> list[LinkSpan]:
    """External links written in the text whose host is not on the allow-list. (Matched on the original text:
    full-width punctuation such as "，" ends a link.)"""
    allowed = allowed_hosts()
    spans = []
    for match in _URL_RE.finditer(original):
        start, end = match.start(), match.end()
        while end > start and original[end - 1] in _TRAILING:
            end -= 1
        url = original[start:end]
        host = link_host(url)
        if host and not host_allowed(host, allowed):
            spans.append(LinkSpan(start, end, url, host))
    return spans


# ---- advert and gambling spam patterns (no brand names: shapes) -----------------------------------------------

_ADVERT_RE = re.compile(
    r"\d(?<![a-z0-9]\d)\d{1,3}\s?bet(?![a-z])"  # "<digits>bet…" betting brands
    r"|b(?<![a-z]b)et\s?\d{2,4}(?![0-9])"
    r"|(?:注册|开户|充值|首存)\s?(?:就送|送|推荐码|邀请码|彩金|返水)"
    r"|(?:体育|娱乐|真人|棋牌|电子)(?:官网|投注|开户)"
    r"|彩票(?:官网|平台|投注|开户)"
    r"|娱乐城|真人荷官|在线赌场"
)


def advert_spans(norm: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _ADVERT_RE.finditer(norm)]


# ---- masking (length-preserving, so masked text keeps every offset) --------------------------------------------

_MASKABLE_DIGIT = re.compile(r"[0-9x]")
_CN_NUMERALS = set("一二三四五六七八九十百零〇")


def mask_span(category: str, value: str) -> str:
    """`value` with its identifying characters replaced by "*", same length. For plain numbers it agrees with
    lvzhi.core.masking (ID card: first and last four kept; mobile: 138****8000; bank card: first and last four)."""
    if category == "address":
        chars = []
        for index, char in enumerate(value):
            if char.isdigit() or (char in _CN_NUMERALS and index > 0):
                chars.append("*")
            else:
                chars.append(char)
        return "".join(chars)
    keep_head, keep_tail = {"mobile": (3, 4), "id_card": (4, 4), "bank_card": (4, 4)}.get(category, (0, 0))
    positions = [i for i, char in enumerate(value) if char.isdigit() or char in "xX"]
    if value.startswith("+86"):
        positions = positions[2:]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join("*" if i in hidden else char for i, char in enumerate(value))
