"""Two app server processes on one PostgreSQL database and one Redis (the README's deployment): nothing that
security or correctness depend on lives in process memory (issue 12).

Marked `redis`: runs on PostgreSQL when a Redis URL is given (LVZHI_TEST_REDIS_URL, else REDIS_URL) and reachable;
skipped cleanly otherwise, so CI runs the suite without Redis being required. Each run uses its own cache key
prefix and deletes only its own keys.
"""

import datetime as dt
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.test import override_settings

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import PASSWORD, make_body, make_unit, make_user

REDIS_URL = os.environ.get("LVZHI_TEST_REDIS_URL") or os.environ.get("REDIS_URL")
ROOT = Path(__file__).resolve().parents[3]


def _redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    d = connection.settings_dict
    auth = d["USER"] + (f":{d['PASSWORD']}" if d.get("PASSWORD") else "")
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookies, used against either server."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def cookie(self, name):
        return next((c.value for c in self.jar if c.name == name), None)

    def request(self, base, path, data=None):
        if data is not None:
            data = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookie("csrftoken") or ""}).encode()
        request = urllib.request.Request(base + path, data=data, headers={"Referer": base + "/"})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def login(self, base, phone, password):
        self.request(base, "/accounts/login/")
        return self.request(base, "/accounts/login/", {"phone": phone, "password": password})


class Servers:
    def __init__(self, prefix):
        self.prefix = prefix
        self.processes = []
        self.bases = []

    def __enter__(self):
        env = dict(
            os.environ,
            DATABASE_URL=_database_url(),
            REDIS_URL=REDIS_URL,
            LVZHI_CACHE_PREFIX=self.prefix,
            DEBUG="false",
            LOG_LEVEL="ERROR",
            DJANGO_SETTINGS_MODULE="lvzhi.settings",
        )
        for _ in range(2):
            port = _free_port()
            cmd = [sys.executable, "-m", "gunicorn", "lvzhi.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
            self.processes.append(subprocess.Popen([*cmd, "--log-level", "error"], cwd=ROOT, env=env))
            self.bases.append(f"http://127.0.0.1:{port}")
        deadline = time.time() + 90
        for base in self.bases:
            while True:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2)  # noqa: S310
                    break
                except OSError:
                    if time.time() > deadline:
                        raise RuntimeError(f"{base} did not start") from None
                    time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(20)


@pytest.fixture
def shared_cache_prefix():
    """This run's cache key prefix, and the test process's own cache pointed at the servers' Redis with it."""
    if connection.vendor != "postgresql":
        pytest.skip("the two-server test runs on PostgreSQL (CI's PostgreSQL run)")
    if not REDIS_URL:
        pytest.skip("no Redis: set REDIS_URL (or LVZHI_TEST_REDIS_URL) to run the two-server test")
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"lvzhi-test-{uuid.uuid4().hex[:12]}"
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}
    caches = {"default": redis, "shared": redis}
    with override_settings(CACHES=caches, LVZHI_SHARED_CACHE=True):
        yield prefix
        from django.core.cache import cache

        client = cache._cache.get_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@pytest.mark.redis
@pytest.mark.req("S0-22", "S0-23", "S0-24")
@pytest.mark.django_db(transaction=True)
def test_two_app_servers_share_sessions_lockouts_calendar_and_screening(shared_cache_prefix):
    from lvzhi.screening import services as screening
    from lvzhi.screening.models import ListKind
    from lvzhi.workdays import services as workdays

    body = make_body("江海市政协")
    office = make_unit(body, "保密办", kind=UnitKind.OFFICE)
    member = make_user(body, roles=[Role.MEMBER], real_name="金文博")
    target = make_user(body, roles=[Role.MEMBER], real_name="魏静怡")
    secrecy = make_user(office, roles=[(Role.SECRECY_OFFICE, body, True)], real_name="韩保密")
    sysadmin = make_user(office, roles=[(Role.SYSADMIN, body, True)], real_name="曹系统")
    # the servers run the production settings: store the passwords with a hasher they know (tests use a fast one)
    User.objects.filter(pk__in=[u.pk for u in (member, target, secrecy)]).update(
        password=Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    )
    word_list = screening.create_list(actor=secrecy, name="涉密词", kind=ListKind.SECRET, body=body)
    holiday = dt.date(2031, 6, 10)  # a Tuesday no package marks

    with Servers(shared_cache_prefix) as servers:
        a, b = servers.bases

        # A session opened on server A is good on server B, and a logout on B ends it on A at once.
        person = Browser()
        status, headers, page = person.login(a, member.phone, PASSWORD)
        assert status == 302 and person.cookie("sessionid"), re.findall(r'class="errorlist[^>]*>.*?</ul>', page, re.S)
        status, _, page = person.request(b, "/")
        assert status == 200 and "金文博" in page
        status, _, _ = person.request(b, "/accounts/logout/", {})
        assert status == 302
        status, headers, _ = person.request(a, "/")
        assert status == 302 and "/accounts/login/" in headers["Location"]

        # Failed logins counted on both servers lock the account on both: the right password is then refused.
        attacker = Browser()
        for i in range(settings.LVZHI_LOCKOUT_ATTEMPTS):
            status, _, page = attacker.login((a, b)[i % 2], target.phone, "Wrong@2026pass")
            assert status == 200 and not attacker.cookie("sessionid")
        for base in (a, b):
            status, _, page = Browser().login(base, target.phone, PASSWORD)
            assert status == 200 and "账号已锁定" in page

        # The calendar: both servers have read the day; an administrator's change reaches both at once.
        checker = Browser()
        checker.login(a, secrecy.phone, PASSWORD)

        def day_on(base):
            status, _, text = checker.request(base, f"/api/v1/calendar/day?date={holiday.isoformat()}")
            assert status == 200, text
            return text

        assert all('"is_workday": true' in day_on(base) for base in (a, b))
        workdays.set_override(actor=sysadmin, day=holiday, is_workday=False, note="调休")
        assert all('"is_workday": false' in day_on(base) and '"source": "override"' in day_on(base) for base in (a, b))

        # Screening: both servers have built their automaton; a new term is found by both at once.
        def findings_on(base):
            checker.request(base, "/office/screening/check/")
            status, _, page = checker.request(base, "/office/screening/check/", {"text": "会议讨论了天穹计划的进展"})
            assert status == 200
            return page

        assert all('data-testid="no-findings"' in findings_on(base) for base in (a, b))
        screening.add_term(actor=secrecy, word_list=word_list, term="天穹计划")
        for base in (a, b):
            page = findings_on(base)
            assert 'data-testid="findings"' in page and 'data-kind="secret"' in page
