"""The website crawler (issue 16): crawls one registered site within a politeness budget and reports problems.

Pure: no database. `crawl(start_url, budget=..., screen=..., registered_hosts=..., today=...)` fetches with httpx
and parses with lxml, and returns a `CrawlResult` with one `Problem` per finding (kind codes of `kinds.KINDS`),
each with evidence (URL, excerpt, an HTML snippet, counts). The services turn them into findings.

Politeness: robots.txt (`urllib.robotparser`, our user agent), at most `rate` requests a second to the host,
a timeout per request, a page cap and a request cap, same host only, and a size cap per response (read as a
stream, cut beyond it). Links are checked only on the site's own host (no requests to other sites).
"""

import datetime as dt
import re
import time
import urllib.robotparser
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

import httpx
import lxml.html
from lxml import etree

USER_AGENT = "LvzhiMonitor/1.0 (+government website inspection)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
DATE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
HIDING = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d])|text-indent\s*:\s*-\d{3,}"
    r"|(?:left|top)\s*:\s*-\d{3,}px|(?:height|width)\s*:\s*0(?:px)?\s*;[^}]*overflow\s*:\s*hidden",
    re.I,
)
CLASS_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}")
RESOURCE_TAGS = {"img": "src", "script": "src", "iframe": "src", "audio": "src", "video": "src", "source": "src",
                 "embed": "src", "link": "href"}  # fmt: skip
ERROR_ENTRY_WORDS = ("纠错", "找错")
MAP_WORDS = ("地图", "map")
MAP_NUMBER_WORD = "审图号"


@dataclass(frozen=True)
class Budget:
    max_pages: int = 200
    max_requests: int = 400
    rate: float = 2.0  # requests per second to the host
    timeout: float = 15.0  # seconds per request (the indicators count a visit failing after 15 s)
    max_bytes: int = 2 * 1024 * 1024
    stale_days: int = 14
    slow_ms: int = 15_000
    hidden_links_min: int = 3  # fewer hidden links (a "skip to content" link) are not a link farm


@dataclass
class Problem:
    kind: str
    url: str
    summary: str
    evidence: dict = field(default_factory=dict)


@dataclass
class PageResult:
    url: str
    status: int | None
    ms: int
    links: list = field(default_factory=list)
    error: str = ""


@dataclass
class CrawlResult:
    start_url: str
    reachable: bool = False
    response_ms: int | None = None
    pages: int = 0
    requests: int = 0
    problems: list = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


def _norm(url: str) -> str:
    return urldefrag(url)[0]


def _snippet(element) -> str:
    try:
        return lxml.html.tostring(element, encoding="unicode")[:500]
    except (TypeError, ValueError):
        return ""


def _text(element) -> str:
    return re.sub(r"\s+", " ", element.text_content() or "").strip()


def host_allowed(host: str, suffixes) -> bool:
    host = (host or "").lower().rstrip(".")
    return any(host == s or host.endswith("." + s) for s in suffixes)


class Fetcher:
    """One host, one client: robots.txt, the rate, the caps."""

    def __init__(self, start_url: str, budget: Budget, client: httpx.Client | None = None):
        self.budget = budget
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(start_url))
        self.host = urlsplit(start_url).netloc.lower()
        self.client = client or httpx.Client(
            timeout=budget.timeout, follow_redirects=True, max_redirects=3, headers={"User-Agent": USER_AGENT}
        )
        self.requests = 0
        self._last = 0.0
        self.robots = urllib.robotparser.RobotFileParser()
        self.robots.parse([])

    def _wait(self):
        gap = 1.0 / self.budget.rate if self.budget.rate > 0 else 0.0
        delay = self._last + gap - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        self._last = time.monotonic()

    def can_request(self) -> bool:
        return self.requests < self.budget.max_requests

    def get(self, url: str) -> tuple[int | None, str, bytes, int, str]:
        """(status, content type with its parameters, body up to max_bytes, milliseconds, error)."""
        self._wait()
        self.requests += 1
        began = time.monotonic()
        try:
            with self.client.stream("GET", url) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= self.budget.max_bytes:
                        break
                if urlsplit(str(response.url)).netloc.lower() != self.host:
                    return None, "", b"", int((time.monotonic() - began) * 1000), "redirected to another host"
                kind = response.headers.get("content-type", "").strip().lower()
                return response.status_code, kind, b"".join(chunks)[: self.budget.max_bytes], _ms(began), ""
        except httpx.HTTPError as exc:
            return None, "", b"", _ms(began), type(exc).__name__

    def load_robots(self) -> None:
        status, _kind, body, _ms_, _error = self.get(self.origin + "/robots.txt")
        if status == 200:
            self.robots.parse(body.decode("utf-8", "replace").splitlines())

    def allowed(self, url: str) -> bool:
        return self.robots.can_fetch(USER_AGENT, url)

    def close(self):
        self.client.close()


def _ms(began: float) -> int:
    return int((time.monotonic() - began) * 1000)


def _hidden_classes(doc) -> set[str]:
    classes = set()
    for style in doc.iter("style"):
        for name, body in CLASS_RULE.findall(style.text or ""):
            if HIDING.search(body):
                classes.add(name)
    return classes


def _is_hidden(element, classes: set[str]) -> bool:
    if HIDING.search(element.get("style") or "") or element.get("hidden") is not None:
        return True
    return bool(classes) and bool(classes.intersection((element.get("class") or "").split()))


def _hidden_blocks(doc):
    """Outermost hidden elements (document order: a parent comes before its children)."""
    classes = _hidden_classes(doc)
    blocks, inside = [], set()
    for element in doc.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "template", "head", "meta"):
            continue
        if any(id(a) in inside for a in element.iterancestors()):
            continue
        if _is_hidden(element, classes):
            blocks.append(element)
            inside.add(id(element))
    return blocks


META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)


def _charset(html: bytes, declared: str = "") -> str:
    """The page's encoding: the Content-Type header's, else the <meta charset>, else UTF-8 (gbk pages say so)."""
    if declared:
        return declared
    found = META_CHARSET.search(html[:4096])
    return found.group(1).decode("ascii", "replace") if found else "utf-8"


def _dates(text: str) -> list[dt.date]:
    found = []
    for y, m, d in DATE.findall(text):
        try:
            found.append(dt.date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return found


class Analyser:
    def __init__(self, *, start_url, budget: Budget, screen, registered_hosts, today):
        self.start_url = _norm(start_url)
        self.host = urlsplit(start_url).netloc.lower()
        self.budget = budget
        self.screen = screen or (lambda text: [])
        self.registered = tuple(h.lower() for h in registered_hosts)
        self.today = today
        self.problems: list[Problem] = []

    def page(self, url: str, html: bytes, charset: str = "") -> list[str]:
        """Analyse one HTML page; return its same-host links (absolute, without fragment)."""
        try:
            doc = lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(encoding=_charset(html, charset)))
        except (etree.ParserError, ValueError, LookupError):
            return []
        links, external = [], []
        for a in doc.iter("a"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("javascript:", "mailto:", "tel:", "#")):
                continue
            target = _norm(urljoin(url, href))
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https"):
                continue
            if parts.netloc.lower() == self.host:
                links.append(target)
            elif not host_allowed(parts.hostname or "", self.registered):
                external.append(target)
        self._hidden(url, doc)
        self._spam(url, doc)
        self._stale(url, doc)
        self._mixed(url, doc)
        self._maps(url, doc)
        if url == self.start_url:
            self._error_entry(url, doc)
        if external:
            hosts = sorted({urlsplit(u).hostname or "" for u in external})
            self.add("unregistered_link", url, f"{len(hosts)} unregistered domain(s) linked", {
                "url": url, "hosts": hosts[:20], "count": len(external), "links": external[:20]})  # fmt: skip
        return list(dict.fromkeys(links))

    def add(self, kind, url, summary, evidence):
        self.problems.append(Problem(kind, url, summary, evidence))

    def _hidden(self, url, doc):
        farm, spam = [], []
        for block in _hidden_blocks(doc):
            anchors = [a for a in block.iter("a") if a.get("href")]
            text = _text(block)
            hits = self.screen(" ".join([text, *[a.get("href", "") for a in anchors]]))
            if hits:
                spam.append((block, hits))
            if anchors:
                farm.append((block, anchors))
        if spam:
            block, hits = spam[0]
            self.add("injected_spam", url, "Hidden gambling or advert spam", {
                "url": url, "excerpt": _text(block)[:300], "html": _snippet(block), "terms": hits[:10],
                "count": len(spam), "hidden": True})  # fmt: skip
        count = sum(len(anchors) for _b, anchors in farm)
        if count >= self.budget.hidden_links_min or (count and spam):
            block, anchors = farm[0]
            self.add("hidden_links", url, f"{count} hidden link(s)", {
                "url": url, "count": count, "links": [a.get("href") for a in anchors][:20],
                "excerpt": _text(block)[:300], "html": _snippet(block)})  # fmt: skip

    def _spam(self, url, doc):
        body = doc.find("body")
        if body is None:
            return
        title = doc.findtext(".//title") or ""
        hits = self.screen(title + " " + _text(body)[:20000])
        if hits and not any(p.kind == "injected_spam" and p.url == url for p in self.problems):
            text = title + " " + _text(body)
            at = max(0, min((text.find(h) for h in hits if h in text), default=0) - 40)
            self.add("injected_spam", url, "Gambling or advert spam in the page", {
                "url": url, "excerpt": text[at : at + 200], "terms": hits[:10], "hidden": False})  # fmt: skip

    def _stale(self, url, doc):
        body = doc.find("body")
        dates = [d for d in _dates(_text(body) if body is not None else "") if d <= self.today]
        if len(dates) < 3:
            return  # an article or a page without a list of dated items: not a column page
        newest = max(dates)
        age = (self.today - newest).days
        if age > self.budget.stale_days:
            kind = "home_not_updated" if url == self.start_url else "stale_column"
            title = (doc.findtext(".//title") or "").strip()[:80]
            evidence = {"url": url, "newest": newest.isoformat(), "age_days": age, "dates": len(dates), "title": title}
            self.add(kind, url, f"Newest item {newest.isoformat()} ({age} days)", evidence)

    def _mixed(self, url, doc):
        if not url.startswith("https://"):
            return
        insecure = []
        for tag, attr in RESOURCE_TAGS.items():
            for element in doc.iter(tag):
                value = (element.get(attr) or "").strip()
                if value.startswith("http://") and (tag != "link" or "stylesheet" in (element.get("rel") or "")):
                    insecure.append(value)
        if insecure:
            self.add("mixed_content", url, f"{len(insecure)} insecure resource(s)", {
                "url": url, "count": len(insecure), "resources": insecure[:20]})  # fmt: skip

    def _maps(self, url, doc):
        page_text = _text(doc)
        if MAP_NUMBER_WORD in page_text:
            return
        for img in doc.iter("img"):
            words = " ".join((img.get("alt") or "", img.get("title") or "", img.get("src") or "")).lower()
            if any(w in words for w in MAP_WORDS):
                self.add("map_without_review_number", url, "Map image without 审图号", {
                    "url": url, "image": img.get("src", ""), "html": _snippet(img)})  # fmt: skip
                return

    def _error_entry(self, url, doc):
        for a in doc.iter("a"):
            words = _text(a) + (a.get("title") or "")
            if any(w in words for w in ERROR_ENTRY_WORDS):
                return
        self.add("no_error_entry", url, "No 纠错 entry on the home page", {"url": url})

    def dead_links(self, pages: dict[str, PageResult]):
        for page in pages.values():
            known = [link for link in page.links if link in pages]
            dead = [link for link in known if pages[link].error or (pages[link].status or 0) >= 400]
            if dead:
                ratio = round(len(dead) / len(known), 3)
                self.add("dead_links", page.url, f"{len(dead)} of {len(known)} checked links dead", {
                    "url": page.url, "dead": dead[:20], "count": len(dead), "checked": len(known), "ratio": ratio,
                    "statuses": {d: pages[d].status or pages[d].error for d in dead[:20]}})  # fmt: skip


def _html_charset(status: int | None, kind: str) -> str | None:
    """The charset of a 200 HTML answer ("" when its Content-Type names none); None for anything else (not parsed)."""
    media, _sep, params = kind.partition(";")
    if status != 200 or media.strip() not in HTML_TYPES:
        return None
    return params.split("charset=")[-1].strip() if "charset=" in params else ""


def _site_problems(analyser: Analyser, result: CrawlResult, pages: dict[str, PageResult], budget: Budget) -> None:
    """The whole-site findings once the crawl is over: unreachable (then only that), else dead links and slowness."""
    start_url = result.start_url
    if not result.reachable:
        analyser.problems = [Problem("site_unreachable", start_url, "Home page unreachable",
                                     {"url": start_url, "error": result.error, "ms": result.response_ms})]  # fmt: skip
        return
    analyser.dead_links(pages)
    if (result.response_ms or 0) > budget.slow_ms:
        analyser.add("slow_response", start_url, "Home page slow", {"url": start_url, "ms": result.response_ms})


def crawl(
    start_url: str, *, budget: Budget | None = None, screen: Callable[[str], list] | None = None,
    registered_hosts=(), today: dt.date | None = None, client: httpx.Client | None = None,
) -> CrawlResult:  # fmt: skip
    budget = budget or Budget()
    began = time.monotonic()
    result = CrawlResult(start_url=start_url)
    fetcher = Fetcher(start_url, budget, client)
    hosts = (urlsplit(start_url).hostname or "", *registered_hosts)
    analyser = Analyser(start_url=start_url, budget=budget, screen=screen, registered_hosts=hosts,
                        today=today or dt.date.today())  # fmt: skip
    pages: dict[str, PageResult] = {}
    try:
        fetcher.load_robots()
        queue, queued = deque([_norm(start_url)]), {_norm(start_url)}
        while queue and len(pages) < budget.max_pages and fetcher.can_request():
            url = queue.popleft()
            if not fetcher.allowed(url):
                continue
            status, kind, body, ms, error = fetcher.get(url)
            page = PageResult(url=url, status=status, ms=ms, error=error)
            pages[url] = page
            if url == analyser.start_url:
                result.reachable = status is not None and status < 400
                result.response_ms = ms
                if not result.reachable:
                    result.error = error or f"HTTP {status}"
                    break
            charset = _html_charset(status, kind)
            if charset is not None:
                page.links = analyser.page(url, body, charset)
                for link in page.links:
                    if link not in queued:
                        queued.add(link)
                        queue.append(link)
    finally:
        if client is None:
            fetcher.close()
    _site_problems(analyser, result, pages, budget)
    result.pages = len(pages)
    result.requests = fetcher.requests
    result.problems = analyser.problems
    result.seconds = round(time.monotonic() - began, 3)
    return result
