"""A same-origin crawler for the browser tests: log in as a demo user, follow every link from the home page and
the navigation (breadth first, up to a bound) and collect what a user must never meet: a 500, a console error,
or English words left untranslated on a Chinese page.

Used by `test_crawl.py` (every demo role) and handy by hand against a running `make run`.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlparse

from lvzhi.web.demo import DEMO_PASSWORD, DEMO_TOTP_KEY

# Links that change state or leave the user's session (a GET must never write, but these end the crawl early).
SKIP = re.compile(
    r"/accounts/logout/|/i18n/|/static/|/media/|\.(xlsx|csv|pdf|png|jpe?g|svg|ico)$|/export|/download|/files?/\d+"
)
# Words that may stay in Latin letters on a Chinese page: abbreviations and product names.
ALLOWED_WORDS = {
    "api",
    "app",
    "csv",
    "english",
    "excel",
    "html",
    "http",
    "https",
    "id",
    "ip",
    "jpg",
    "json",
    "lvzhi",
    "mb",
    "kb",
    "pdf",
    "png",
    "qr",
    "sms",
    "totp",
    "url",
    "xlsx",
    "www",
    "gov",
    "cn",
    "sm",
    "ok",
    "pc",
    "ca",
    "gb",
    "docx",
    "doc",
    "xls",
    "zip",
    "jpeg",
    "gif",
    "webp",
    "iso",
    "txt",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


@dataclass
class CrawlResult:
    visited: list = field(default_factory=list)  # (url, status)
    problems: list = field(default_factory=list)  # (url, what)


def totp_now(key_hex: str = DEMO_TOTP_KEY) -> str:
    """The demo administrators' current TOTP code (RFC 6238, 30 s, 6 digits)."""
    import hashlib
    import hmac
    import struct
    import time

    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def log_in(page, base_url: str, phone: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=phone]", phone)
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/otp/" in page.url:
        page.fill("input[name=token], input[name=code], input[name=otp_token]", totp_now())
        page.click("main form button[type=submit]")
        page.wait_for_load_state()


def untranslated_words(text: str) -> list[str]:
    return sorted(
        {
            w
            for w in WORD.findall(text)
            if w.lower() not in ALLOWED_WORDS and len(w) > 1 and not (w.isupper() and len(w) <= 4)  # SQ…, A/B/C/D
        }
    )


def page_problems(page) -> list[str]:
    """English words in the visible text (outside the language switch, code, text areas holding data, and user
    data marked data-user-text)."""
    text = page.evaluate(
        """() => {
            const clone = document.body.cloneNode(true);
            const skip = '.lang-switch, script, style, [data-user-text], pre, code, textarea';
            clone.querySelectorAll(skip).forEach(n => n.remove());
            return clone.innerText;
        }"""
    )
    words = untranslated_words(text)
    return [f"untranslated: {' '.join(words[:12])}"] if words else []


def _page_kind(url: str) -> str:
    """The URL's path with its ids as N (and "?" for a query): one page of each kind is visited, not every object's."""
    return re.sub(r"/\d+/", "/N/", urlparse(url).path) + ("?" if urlparse(url).query else "")


def _links(page, origin: str) -> list[str]:
    """The page's links to pages of this site worth visiting (http(s), same host, not SKIP), fragments dropped."""
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    targets = []
    for href in hrefs:
        target = urldefrag(urljoin(page.url, href))[0]
        parsed = urlparse(target)
        if parsed.scheme in ("http", "https") and parsed.netloc == origin and not SKIP.search(parsed.path):
            targets.append(target)
    return targets


def crawl(page, base_url: str, *, start: str = "/", limit: int = 60) -> CrawlResult:
    """Visit up to `limit` same-origin pages reachable from `start` by links, breadth first."""
    result = CrawlResult()
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: console.append(str(exc)))
    origin = urlparse(base_url).netloc
    queue, seen = [urljoin(base_url, start)], set()
    while queue and len(result.visited) < limit:
        url = queue.pop(0)
        key = _page_kind(url)
        if url in seen or key in seen:
            continue
        seen.update({url, key})
        console.clear()
        response = page.goto(url)
        status = response.status if response is not None else 0
        result.visited.append((url, status))
        if status not in (200, 302, 403, 404):
            result.problems.append((url, f"status {status}"))
            continue
        if status == 200 and "text/html" in (response.headers.get("content-type") or ""):
            result.problems += [(url, p) for p in page_problems(page)]
            queue += [target for target in _links(page, origin) if target not in seen]
        page.wait_for_timeout(50)
        if status != 200:  # the browser logs the 403/404 of the page itself as a console error
            console[:] = [c for c in console if "the server responded with a status of" not in c]
        result.problems += [(url, f"console: {c}") for c in console]
    return result


def accept_confirmations(page):
    """Answer "OK" to every confirmation (submit, withdraw, send…) as the user would, keeping their texts in
    `page.confirmations` so a test can assert that the question was asked."""
    page.confirmations = []

    def answer(dialog):
        page.confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    return page
