"""Request throughput of the home page and /api/v1/me against a bare Django view, on one gunicorn server.

Usage:  .venv/bin/python bench/throughput.py [--workers 2] [--seconds 10] [--connections 16]
Needs `wrk` (Debian package) and the demo data (`lvzhi migrate && lvzhi demo`); uses DATABASE_URL if set.
The bare view is /healthz (no database, no session work): the ceiling of this server and machine.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def wait_for(url, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def session_cookie(base, phone, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/")
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"phone": phone, "password": password, "csrfmiddlewaretoken": csrf}).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"})
    opener.open(request)
    cookie = next((c.value for c in jar if c.name == "sessionid"), None)
    if cookie is None:
        raise SystemExit("login failed: no session cookie")
    return cookie


def api_token(base, phone, password):
    body = json.dumps({"phone": phone, "password": password, "device": "bench"}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return json.loads(response.read())["token"]


def wrk(url, seconds, connections, header=None):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if header:
        cmd[1:1] = ["-H", header]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p50, p99, int(non2xx.group(1)) if non2xx else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8011)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()
    from lvzhi.web.demo import DEMO_PASSWORD, MEMBERS

    phone = MEMBERS[0][0]  # a demo CPPCC member
    env = dict(os.environ, DEBUG="false", LOG_LEVEL="ERROR")
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "lvzhi.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(f"{base}/healthz")
        cookie = session_cookie(base, phone, DEMO_PASSWORD)
        token = api_token(base, phone, DEMO_PASSWORD)
        rows = [
            ("bare view /healthz", f"{base}/healthz", None),
            ("home page / (logged in)", f"{base}/", f"Cookie: sessionid={cookie}"),
            ("/api/v1/me (bearer token)", f"{base}/api/v1/me", f"Authorization: Bearer {token}"),
        ]
        print(f"gunicorn sync workers={args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, 127.0.0.1")
        print(f"{'endpoint':32} {'req/s':>9} {'p50':>9} {'p99':>9} {'non-2xx':>8}")
        for label, url, header in rows:
            wrk(url, 2, args.connections, header)  # warm up
            rps, p50, p99, bad = wrk(url, args.seconds, args.connections, header)
            print(f"{label:32} {rps:9.0f} {p50:>9} {p99:>9} {bad:8d}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
