"""Throughput of Lvzhi's key pages as a share of a bare Django page, measured side by side in one run (issue 12).

Usage:  .venv/bin/python bench/throughput.py [--server gunicorn|granian] [--workers 2] [--seconds 5]
                                              [--rounds 3] [--connections 16] [--port 8170] [--only PATTERN]
Needs `wrk` (Debian package) and the demo data (`lvzhi migrate && lvzhi demo`); uses DATABASE_URL if set.

The bare page (bench/bare.py: 20 ORM rows rendered in a template behind Django's session, auth and CSRF
middleware) is served by the same server process with the same settings (bench/wsgi.py). The machine is shared,
so absolute numbers drift: each round measures the bare page right before the pages, every page's share is
taken against the bare page of its own round, and the table gives the median and the range over the rounds.
Every page is requested with the same logged-in session cookie as its user (the bare page with the member's).
Goal: every page ≥ 50 % of the bare page.
"""

import argparse
import datetime as dt
import fnmatch
import http.cookiejar
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
GOAL = 0.50

MEMBER = "13800000001"  # 金文博, CPPCC member
OPINIONS_CLERK = "13900000003"  # 吴若兰, committee clerk: the reports queue
PROPOSALS_CLERK = "13900000004"  # 郑海波, proposals committee: the proposals office
HANDLING_UNIT = "13900000010"  # 蒋志刚, 市住建局: the unit queue
EDITOR = "13900000015"  # 秦主编: the content review queue
DUTY_HEAD = "13900000802"  # 李振华, head of a committee: duty review queue and ranking


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_for(url, seconds=120):
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
        raise SystemExit(f"login failed for {phone}: no session cookie")
    return f"Cookie: sessionid={cookie}; csrftoken={csrf}"


def api_token(base, phone, password):
    body = json.dumps({"phone": phone, "password": password, "device": "bench"}).encode()
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token", data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return f"Authorization: Bearer {json.loads(response.read())['token']}"


def check_ok(url, header):
    """The page must answer 200 itself (no redirect to a login or password page): else the number means nothing."""
    name, value = header.split(": ", 1)
    request = urllib.request.Request(url, headers={name: value})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200")


def wrk(url, seconds, connections, header):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "--latency", "-H", header, url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non2xx:
        raise SystemExit(f"{url}: {non2xx.group(1)} responses were not 2xx/3xx")
    return rps


def first_article():
    """A live article of the member's body; the demo has none yet, so the bench publishes 30 of its own once."""
    from django.db import transaction
    from django.utils import timezone

    from lvzhi.accounts.models import User
    from lvzhi.content import services
    from lvzhi.content.models import Article, Column
    from lvzhi.orgs.selectors import unit_by_function
    from lvzhi.search import services as search

    body = User.objects.get(phone=MEMBER).unit.body
    article = Article.objects.filter(body=body, is_live=True).order_by("-published_at").first()
    if article is not None:
        return article.pk
    services.ensure_default_columns(actor=None, body=body)
    columns = list(Column.objects.filter(body=body, is_active=True))
    office = unit_by_function(body, "general_office") or body
    now = timezone.now()
    with transaction.atomic():
        for i in range(30):
            title = f"关于协商民主和委员履职工作的情况通报（基准第{i + 1}号）"
            text = "各单位认真落实协商民主部署，推进委员履职和调研工作。" * 20
            article = Article.objects.create(
                column=columns[i % len(columns)],
                body=body,
                unit=office,
                title=title,
                body_html=f"<p>{text}</p>",
                status=Article.Status.PUBLISHED,
                is_live=True,
                published_title=title,
                published_summary=text[:100],
                published_at=now - dt.timedelta(hours=i),
                revision_no=1,
            )
            search.index(article, title=title, text=text)
    return article.pk


def page_list(article: int) -> list[tuple[str, str, str]]:
    """(label, path, who) of every page measured; `who` names the logged-in user (`token`: the member's bearer)."""
    search = urllib.parse.quote("协商")
    return [
        ("member home /", "/", "member"),
        ("my reports /opinions/", "/opinions/", "member"),
        ("my proposals /proposals/", "/proposals/", "member"),
        ("an article /content/a/<id>/", f"/content/a/{article}/", "member"),
        ("search /content/search/?q=协商", f"/content/search/?q={search}", "member"),
        ("inbox /inbox/", "/inbox/", "member"),
        ("reports queue /opinions/queue/", "/opinions/queue/", "clerk"),
        ("proposals office /proposals/office/", "/proposals/office/", "office"),
        ("unit queue /proposals/units/", "/proposals/units/", "unit"),
        ("review queue /content/review/", "/content/review/", "editor"),
        ("my duty /duty/", "/duty/", "member"),
        ("duty review /duty/review/", "/duty/review/", "duty"),
        ("duty ranking /duty/ranking/", "/duty/ranking/", "duty"),
        ("/api/v1/me (bearer)", "/api/v1/me", "token"),
        ("/api/v1/opinions/mine (bearer)", "/api/v1/opinions/mine", "token"),
    ]


def server_command(server, workers, port):
    if server == "granian":
        return [
            str(BIN / "granian"),
            "--interface",
            "wsgi",
            "--workers",
            str(workers),
            "--blocking-threads",
            "1",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "error",
            "--no-ws",
            "bench.wsgi:application",
        ]
    return [str(BIN / "gunicorn"), "bench.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "error"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8170)
    parser.add_argument("--only", default="*", help="fnmatch pattern of the page labels to measure")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()
    from lvzhi.web.demo import DEMO_PASSWORD

    article = first_article()
    env = dict(os.environ, DEBUG="false", LOG_LEVEL="ERROR")
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(server_command(args.server, args.workers, args.port), cwd=ROOT, env=env)
    try:
        wait_for(f"{base}/healthz")
        member = session_cookie(base, MEMBER, DEMO_PASSWORD)
        token = api_token(base, MEMBER, DEMO_PASSWORD)
        clerk = session_cookie(base, OPINIONS_CLERK, DEMO_PASSWORD)
        office = session_cookie(base, PROPOSALS_CLERK, DEMO_PASSWORD)
        unit = session_cookie(base, HANDLING_UNIT, DEMO_PASSWORD)
        editor = session_cookie(base, EDITOR, DEMO_PASSWORD)
        duty = session_cookie(base, DUTY_HEAD, DEMO_PASSWORD)
        users = {"member": member, "token": token, "clerk": clerk, "office": office, "unit": unit, "editor": editor}
        users["duty"] = duty
        pages = [(label, path, users[who]) for label, path, who in page_list(article)]
        pages = [p for p in pages if fnmatch.fnmatch(p[0], args.only)]
        bare = ("bare page /bench/bare/", "/bench/bare/", member)
        for _label, path, header in [bare, *pages]:
            check_ok(f"{base}{path}", header)
        rps = {label: [] for label, _p, _h in [bare, *pages]}
        shares = {label: [] for label, _p, _h in pages}
        for _round in range(args.rounds):
            wrk(f"{base}{bare[1]}", 1, args.connections, bare[2])  # warm up
            bare_rps = wrk(f"{base}{bare[1]}", args.seconds, args.connections, bare[2])
            if not bare_rps:
                print("a round skipped: the bare page answered nothing in the window (machine overloaded)")
                continue
            rps[bare[0]].append(bare_rps)
            for label, path, header in pages:
                wrk(f"{base}{path}", 1, args.connections, header)
                value = wrk(f"{base}{path}", args.seconds, args.connections, header)
                if not value:  # no answer within the window: an overloaded machine, not a measurement
                    print(f"{label}: no answer in this round's window (machine overloaded); not counted")
                    continue
                rps[label].append(value)
                shares[label].append(value / bare_rps)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)

    print(
        f"{args.server} workers={args.workers}, wrk -t2 -c{args.connections} -d{args.seconds}s, "
        f"{args.rounds} rounds, 127.0.0.1, {django.db.connection.vendor}"
    )
    print(f"| {'page':38} | {'req/s median (range)':>22} | {'share of bare: median (range)':>30} | goal |")
    print(f"|{'-' * 40}|{'-' * 24}|{'-' * 32}|------|")
    failed = []
    for label, values in rps.items():
        if not values:
            continue
        rate = f"{statistics.median(values):.0f} ({min(values):.0f}–{max(values):.0f})"
        if label in shares and shares[label]:
            s = shares[label]
            share = f"{statistics.median(s):.0%} ({min(s):.0%}–{max(s):.0%})"
            verdict = "met" if statistics.median(s) >= GOAL else "MISSED"
            if verdict != "met":
                failed.append(label)
        else:
            share, verdict = "100%", ""
        print(f"| {label:38} | {rate:>22} | {share:>30} | {verdict:4} |")
    if failed:
        print(f"below {GOAL:.0%} of the bare page: {', '.join(failed)}")


if __name__ == "__main__":
    main()
