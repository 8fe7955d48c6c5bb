"""In-process cost of each page of `make bench`: CPU milliseconds and SQL queries per request, no server, no wrk.

Usage:  .venv/bin/python bench/profile_pages.py [-n 50] [--pyinstrument LABEL-PATTERN]

CPU time of this process (time.process_time) does not count what other processes on a shared machine do, so it is
a steadier guide while optimising than req/s; `make bench` (bench/throughput.py) gives the req/s that count.
Requests go through the same WSGI application as the benchmark server (bench.wsgi), with DEBUG off.
With --pyinstrument (pip install pyinstrument in the venv) the matching pages are profiled and printed.
"""

import argparse
import fnmatch
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("LOG_LEVEL", "ERROR")


def call(app, path, header):
    from django.test.client import RequestFactory

    name, value = header.split(": ", 1)
    meta = {"HTTP_" + name.upper().replace("-", "_"): value, "REMOTE_ADDR": "127.0.0.1"}
    path, _, query = path.partition("?")
    environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query, **meta)
    environ["wsgi.input"] = io.BytesIO(b"")
    status = []

    def start_response(s, headers, exc_info=None):
        status.append(s)

    body = b"".join(app(environ, start_response))
    return status[0], body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--pyinstrument", default="")
    parser.add_argument("--only", default="*")
    parser.add_argument("--sql", action="store_true", help="print each page's SQL")
    args = parser.parse_args()

    from django.db import connection
    from django.test import Client

    from bench.wsgi import application  # sets Django up

    sys.path.insert(0, str(ROOT / "bench"))
    import throughput

    from lvzhi.accounts.models import User

    def cookie(phone):
        client = Client()
        client.force_login(User.objects.get(phone=phone))
        return f"Cookie: sessionid={client.cookies['sessionid'].value}"

    def token(phone):
        from lvzhi.web.demo import DEMO_PASSWORD

        body = json.dumps({"phone": phone, "password": DEMO_PASSWORD, "device": "bench"})
        response = Client().post("/api/v1/auth/token", body, content_type="application/json")
        return f"Authorization: Bearer {response.json()['token']}"

    article = throughput.first_article()
    users = {
        "member": cookie(throughput.MEMBER),
        "token": token(throughput.MEMBER),
        "clerk": cookie(throughput.OPINIONS_CLERK),
        "office": cookie(throughput.PROPOSALS_CLERK),
        "unit": cookie(throughput.HANDLING_UNIT),
        "editor": cookie(throughput.EDITOR),
        "duty": cookie(throughput.DUTY_HEAD),
    }
    pages = [("bare page /bench/bare/", "/bench/bare/", users["member"])] + [
        (label, path, users[who]) for label, path, who in throughput.page_list(article)
    ]
    pages = [p for p in pages if p[0].startswith("bare") or fnmatch.fnmatch(p[0], args.only)]
    bare_ms = None
    print(f"{'page':40} {'CPU ms/req':>10} {'share':>6} {'queries':>7}")
    for label, path, header in pages:
        status, _body = call(application, path, header)
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")
        queries = []

        def log(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(log):
            call(application, path, header)
        samples = []
        for _ in range(5):
            start = time.process_time()
            for _ in range(max(1, args.n // 5)):
                call(application, path, header)
            samples.append((time.process_time() - start) * 1000 / max(1, args.n // 5))
        ms = statistics.median(samples)
        bare_ms = bare_ms or ms
        print(f"{label:40} {ms:10.2f} {bare_ms / ms:6.0%} {len(queries):7d}")
        if args.sql:
            for sql in queries:
                print("    ", sql[:400])
        if args.pyinstrument and fnmatch.fnmatch(label, args.pyinstrument):
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0005)
            profiler.start()
            for _ in range(args.n):
                call(application, path, header)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=bool(os.environ.get("PYI_ALL"))))


if __name__ == "__main__":
    main()
