"""Python function calls and SQL queries per request of each page of `make bench`: a measure the machine's load
does not change (issue 12). A page needs about ≤ 2× the bare page's calls to serve ≥ 50 % of its req/s.

Usage:  .venv/bin/python bench/call_counts.py [--only PATTERN] [--top N] [--sort tottime|cumulative|ncalls]

Each page is requested once to warm up (process caches, the shared cache's versions and copies), then once under
cProfile; DEBUG off, the shared cache on, as on the benchmark server. With --top N the N most costly functions of
each page are printed (by default by cumulative calls below them is not available in cProfile: by `ncalls`).
"""

import argparse
import cProfile
import fnmatch
import io
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("LOG_LEVEL", "ERROR")


WATCHED = os.environ.get("WATCHED", "/lvzhi/").split(",")  # parts of the file names whose calls below are counted


def print_inclusive(run, top):
    """The calls made below each function of the project (lvzhi/), recursion counted once per outermost frame."""
    counter = [0]
    entered = {}
    below = {}

    def hook(frame, event, arg):
        if event in ("call", "c_call"):
            counter[0] += 1
        if event == "call" and any(part in frame.f_code.co_filename for part in WATCHED):
            entered[frame] = counter[0]
        elif event == "return" and frame in entered:
            code = frame.f_code
            key = f"{code.co_filename.split('/', 4)[-1]}:{code.co_firstlineno}({code.co_name})"
            below[key] = below.get(key, 0) + counter[0] - entered.pop(frame)

    sys.setprofile(hook)
    try:
        run()
    finally:
        sys.setprofile(None)
    for key, calls in sorted(below.items(), key=lambda kv: -kv[1])[:top]:
        print(f"    {calls:8d}  {key}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="*", help="fnmatch pattern of the page labels")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions of each page")
    parser.add_argument("--sort", default="tottime", help="pstats sort key for --top")
    parser.add_argument("--inclusive", type=int, default=0, help="print the N project functions with most calls below")
    args = parser.parse_args()

    import profile_pages
    import throughput
    from django.db import connection
    from django.test import Client

    from bench.wsgi import application  # sets Django up
    from lvzhi.accounts.models import User

    def cookie(phone):
        client = Client()
        client.force_login(User.objects.get(phone=phone))
        return f"Cookie: sessionid={client.cookies['sessionid'].value}"

    def token(phone):
        import json

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
    bare = None
    print(f"{'page':40} {'calls':>8} {'× bare':>7} {'queries':>7}")
    for label, path, header in pages:
        status, _body = profile_pages.call(application, path, header)
        if not status.startswith("200"):
            raise SystemExit(f"{path} answered {status}")
        profile_pages.call(application, path, header)  # a second warm-up: copies kept after the first
        queries = []

        def log(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        profiler = cProfile.Profile()
        with connection.execute_wrapper(log):
            profiler.enable()
            profile_pages.call(application, path, header)
            profiler.disable()
        stats = pstats.Stats(profiler, stream=io.StringIO())
        calls = stats.total_calls
        bare = bare or calls
        print(f"{label:40} {calls:8d} {calls / bare:7.2f} {len(queries):7d}", flush=True)
        if args.inclusive and not label.startswith("bare"):
            print_inclusive(lambda p=path, h=header: profile_pages.call(application, p, h), args.inclusive)
        if args.top and not label.startswith("bare"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
