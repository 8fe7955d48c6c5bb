"""Shared harness of the benchmarks: a gunicorn server on 127.0.0.1 and p50/p95 timings of GET requests.

A benchmark module builds its data (fast: bulk inserts or SQL `generate_series`), then:

    with Server(database_url) as server:
        session = server.login(phone, password)          # a logged-in cookie
        print(report("staff queue", server.time_get(session, "/opinions/queue/", n=200)))

Run benchmarks against their own PostgreSQL database (see `bench_database_url`), never a working one.
"""

import http.cookiejar
import os
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def bench_database_url(name: str) -> str:
    """The benchmark's own PostgreSQL database (created empty if missing); BENCH_DATABASE_URL overrides."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {name}"],
        capture_output=True,
        check=False,
    )
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def setup_django(database_url: str):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class Session:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path):
        with self.opener.open(f"{self.base}{path}") as response:
            body = response.read()
            return response.status, body


class Server:
    def __init__(self, database_url: str, port: int = 8021, workers: int = 2, app: str = "lvzhi.wsgi"):
        self.app = app
        self.database_url = database_url
        self.port = port
        self.workers = workers
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def __enter__(self):
        env = dict(os.environ, DATABASE_URL=self.database_url, DEBUG="false", LOG_LEVEL="ERROR")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                self.app,
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.time() + 180  # a loaded, shared machine starts gunicorn slowly
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the benchmark server exited (port {self.port} taken?)")
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=1)  # noqa: S310
                return self
            except OSError:
                time.sleep(0.2)
        self.process.terminate()  # do not leave it holding the port
        raise RuntimeError("the benchmark server did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(10)

    def login(self, phone: str, password: str) -> Session:
        session = Session(self.base)
        session.opener.open(f"{self.base}/accounts/login/")
        csrf = next(c.value for c in session.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({"phone": phone, "password": password, "csrfmiddlewaretoken": csrf}).encode()
        request = urllib.request.Request(f"{self.base}/accounts/login/", data=data, headers={"Referer": self.base})
        session.opener.open(request)
        if not any(c.name == "sessionid" for c in session.jar):
            raise RuntimeError(f"login failed for {phone}")
        return session

    @staticmethod
    def time_get(session: Session, path: str, n: int = 200, warmup: int = 10) -> list[float]:
        """Milliseconds of `n` sequential GETs of `path` (after `warmup` untimed ones); any non-200 is an error."""
        for _ in range(warmup):
            session.get(path)
        timings = []
        for _ in range(n):
            start = time.perf_counter()
            status, _body = session.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
        return timings


def report(label: str, timings: list[float], target_ms: float | None = None) -> str:
    ordered = sorted(timings)
    p50 = statistics.median(ordered)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    verdict = ""
    if target_ms is not None:
        verdict = f"  target p95 < {target_ms:.0f} ms: {'MET' if p95 < target_ms else 'MISSED'}"
    return f"{label:40} n={len(ordered):4d}  p50={p50:7.1f} ms  p95={p95:7.1f} ms{verdict}"
