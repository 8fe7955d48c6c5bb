"""p95 of the public portal's pages, cached and uncached, against a running server (`make run` after `lvzhi demo`).

    .venv/bin/python bench/portal_pages.py http://127.0.0.1:8106 [requests]

Cached: the same page again and again (served from the page cache); uncached: a new query string each time (a miss,
rendered from the database). Prints p50/p95 in milliseconds per page."""

import statistics
import sys
import time
import urllib.request
import uuid


def timed(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - start) * 1000


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def main():
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8106"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    for path in ("/site/jianghai/", "/site/jianghai/drafts/", "/site/xishan/"):
        timed(base + path)  # warm the cache
        cached = [timed(base + path) for _ in range(n)]
        missed = [timed(f"{base}{path}?v={uuid.uuid4().hex}") for _ in range(max(20, n // 5))]
        print(
            f"{path}: cached p50 {statistics.median(cached):.1f} ms p95 {p95(cached):.1f} ms; "
            f"uncached p50 {statistics.median(missed):.1f} ms p95 {p95(missed):.1f} ms"
        )


if __name__ == "__main__":
    main()
