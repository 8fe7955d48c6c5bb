"""Reading a website's RSS/Atom feeds and its sitemap into item records (pure: no database). Parsed with lxml
without network access or entity expansion (`resolve_entities=False`, `no_network=True`)."""

import datetime as dt
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
MAX_ITEMS = 500


@dataclass
class FeedItem:
    title: str
    url: str
    published_at: dt.datetime | None
    text: str = ""


def _time(value: str | None) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _root(data: bytes):
    try:
        return etree.fromstring(data, PARSER)
    except etree.XMLSyntaxError:
        return None


def parse_feed(data: bytes) -> list[FeedItem]:
    root = _root(data)
    if root is None:
        return []
    items = []
    for item in root.iter("item"):  # RSS 2.0
        title, link = (item.findtext("title") or "").strip(), (item.findtext("link") or "").strip()
        text = (item.findtext("description") or "").strip()
        items.append(FeedItem(title=title, url=link, published_at=_time(item.findtext("pubDate")), text=text))
    for entry in root.iter(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        items.append(FeedItem(
            title=(entry.findtext(f"{ATOM}title") or "").strip(),
            url=(link.get("href") if link is not None else "") or "",
            published_at=_time(entry.findtext(f"{ATOM}published") or entry.findtext(f"{ATOM}updated")),
            text=(entry.findtext(f"{ATOM}summary") or entry.findtext(f"{ATOM}content") or "").strip()))  # fmt: skip
    return items[:MAX_ITEMS]


def parse_sitemap(data: bytes) -> list[FeedItem]:
    root = _root(data)
    if root is None:
        return []
    items = []
    for url in root.iter(f"{SITEMAP}url"):
        loc = (url.findtext(f"{SITEMAP}loc") or "").strip()
        moment = _time(url.findtext(f"{SITEMAP}lastmod"))
        if loc and moment:
            items.append(FeedItem(title=loc, url=loc, published_at=moment))
    return items[:MAX_ITEMS]
