"""Crawl a local generated site of N pages (default 2,000) within the politeness budget; print pages/second and
peak memory. Run: `.venv/bin/python bench/crawl.py [--pages 2000] [--rate 100]` (no database needed)."""

import argparse
import resource
import sys
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lvzhi.monitoring import crawler  # noqa: E402


def page(i: int, n: int) -> bytes:
    links = "".join(
        f'<li><a href="/p{(i * 7 + k) % n}.html">第{k}条</a> 2026-11-{1 + k % 28:02d}</li>' for k in range(10)
    )
    return (f"<html><head><title>页面{i}</title></head><body><a href='/jiucuo/'>纠错</a><ul>{links}</ul>"
            + "<p>政务公开内容。</p>" * 40 + "</body></html>").encode()  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0)
    args = parser.parse_args()
    n = args.pages

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            path = self.path
            if path == "/":
                path = "/p0.html"
            body, status = (page(int(path[2:-5]), n), 200) if path.startswith("/p") else (b"", 404)
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    budget = crawler.Budget(max_pages=n + 1, max_requests=n + 10, rate=args.rate, timeout=10)
    tracemalloc.start()
    began = time.monotonic()
    result = crawler.crawl(url, budget=budget)
    seconds = time.monotonic() - began
    _current, peak = tracemalloc.get_traced_memory()
    server.shutdown()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages {result.pages}, requests {result.requests}, {seconds:.1f} s, {result.pages / seconds:.1f} pages/s "
          f"(budget {args.rate:g} requests/s), peak traced memory {peak / 1e6:.1f} MB, max RSS {rss:.0f} MB, "
          f"problems {len(result.problems)}")  # fmt: skip


if __name__ == "__main__":
    main()
