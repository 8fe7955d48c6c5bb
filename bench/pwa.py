"""The phone app on a slow network (issue 19): each page's weight (HTML + CSS + JS, gzip-compressed) and the home
page's repeat visit under Chromium's "Slow 3G" network profile, with the service worker serving the app shell.

Usage:  .venv/bin/python bench/pwa.py [--base http://127.0.0.1:8000] [--phone 13800000001] [--runs 5]
Needs a running server with the demo data (`make run`) and Chromium at /usr/bin/chromium. The server should compress
as nginx does in production (deploy/nginx.conf: gzip); the weights below are computed compressed either way.
Target: every page under 100 KB; the home page usable (DOMContentLoaded) in under 3 s on a repeat visit.
"""

import argparse
import asyncio
import gzip
import re
import statistics
import threading
import time
import urllib.parse

from playwright.sync_api import sync_playwright

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
LATENCY_S = 2.0  # Chromium's "Slow 3G": 2 s added to each request, 400 kbit/s (50 KB/s) each way
BYTES_PER_S = 50 * 1024
PAGES = ["/", "/todo/", "/opinions/", "/opinions/new/", "/proposals/", "/inbox/", "/scan/", "/duty/"]


def weights(page, base):
    rows = []
    for path in PAGES:
        response = page.request.get(base + path)
        html = response.body()
        total = len(gzip.compress(html))
        for asset in set(re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html)):
            total += len(gzip.compress(page.request.get(base + asset.decode()).body()))
        rows.append((path, response.status, total))
    return rows


def slow_proxy(target_port: int, listen_port: int):
    """A TCP proxy in a thread that makes every answer wait LATENCY_S, then trickle at BYTES_PER_S: the network of a
    phone on Slow 3G, for every request the browser or its service worker makes (DevTools' throttling would miss the
    worker's own fetches)."""

    async def pipe(reader, writer, slow, asked):
        try:
            while data := await reader.read(16384):
                if not slow:
                    asked.set()  # a request went out: its answer waits the latency
                else:
                    if asked.is_set():
                        asked.clear()
                        await asyncio.sleep(LATENCY_S)
                    await asyncio.sleep(len(data) / BYTES_PER_S)
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def handle(client_reader, client_writer):
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", target_port)
        asked = asyncio.Event()
        await asyncio.gather(
            pipe(client_reader, server_writer, False, asked), pipe(server_reader, client_writer, True, asked)
        )

    def run():
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(asyncio.start_server(handle, "127.0.0.1", listen_port))
        loop.run_until_complete(server.serve_forever())

    threading.Thread(target=run, daemon=True).start()
    time.sleep(0.5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--phone", default="13800000001")
    parser.add_argument("--password", default="Lvzhi@2026demo")
    parser.add_argument("--runs", type=int, default=5)
    opts = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
        page = context.new_page()
        page.goto(opts.base + "/accounts/login/")
        page.fill("input[name=phone]", opts.phone)
        page.fill("input[name=password]", opts.password)
        page.click("main form button[type=submit]")
        page.wait_for_url(urllib.parse.urljoin(opts.base, "/"))
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.reload()  # the first visit installs the worker and its shell

        print("page                 status   HTML+CSS+JS gzip")
        for path, status, total in weights(page, opts.base):
            print(f"{path:20} {status:>6}   {total / 1024:7.1f} KB {'OK' if total < 100 * 1024 else 'OVER'}")

        direct = []
        for _ in range(opts.runs):
            start = time.perf_counter()
            page.goto(opts.base + "/", wait_until="domcontentloaded")
            direct.append(time.perf_counter() - start)
        print(
            f"home page, repeat visit, no throttling: median {statistics.median(direct):.2f} s (the server's own time)"
        )

        # The same phone through the slow network: log in there once (its own origin, its own worker), then measure.
        port = urllib.parse.urlsplit(opts.base).port or 80
        slow_proxy(port, port + 1000)
        slow = f"http://127.0.0.1:{port + 1000}"
        page.goto(slow + "/accounts/login/")
        page.fill("input[name=phone]", opts.phone)
        page.fill("input[name=password]", opts.password)
        page.click("main form button[type=submit]")
        page.wait_for_url(slow + "/", timeout=120000)
        page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
        page.reload(timeout=120000)
        times = []
        for _ in range(opts.runs):
            start = time.perf_counter()
            page.goto(slow + "/", wait_until="domcontentloaded", timeout=120000)
            times.append(time.perf_counter() - start)
        print(f"home page, repeat visit, Slow 3G (2 s latency, 400 kbit/s): median {statistics.median(times):.2f} s, "
              f"max {max(times):.2f} s over {opts.runs} runs (target < 3 s)")  # fmt: skip
        browser.close()


if __name__ == "__main__":
    main()
