"""Pulling a watched website's feeds and sitemap into its item log (part of the crawl job, same politeness:
the crawler's fetcher with its robots.txt, rate, timeout and size cap)."""

from lvzhi.screening import services as screening

from .. import crawler, feeds
from ..models import ItemSource, Watch
from .items import add_item


def pull_feeds(watch: Watch, *, budget=None, client=None) -> int:
    urls = [(u, ItemSource.FEED) for u in (watch.feed_urls or [])[:5]]
    if watch.sitemap_url:
        urls.append((watch.sitemap_url, ItemSource.SITEMAP))
    if not urls:
        return 0
    fetcher = crawler.Fetcher(urls[0][0], budget or crawler.Budget(), client)
    made = 0
    try:
        fetcher.load_robots()
        for url, source in urls:
            if not fetcher.allowed(url):
                continue
            status, _kind, body, _ms, _error = fetcher.get(url)
            if status != 200:
                continue
            parsed = feeds.parse_feed(body) if source == ItemSource.FEED else feeds.parse_sitemap(body)
            for item in parsed:
                if item.published_at is None or not (item.url or item.title):
                    continue
                _item, created = add_item(
                    outlet=watch.outlet, source=source, ref=item.url or item.title, title=item.title,
                    url=item.url, published_at=item.published_at, text=screening.html_text(item.text),
                )  # fmt: skip
                made += int(created)
    finally:
        if client is None:
            fetcher.close()
    return made
