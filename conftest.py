import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LVZHI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    """Browser tests run whenever Chromium is here; otherwise they are skipped, and we say so plainly."""
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("LVZHI_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"LVZHI_REQUIRE_BROWSER is set but Chromium is not at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: browser tests skipped")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        terminalreporter.write_line(
            f"NOTE: Chromium not found at {CHROMIUM}; the browser (Playwright) tests were SKIPPED.", yellow=True
        )


@pytest.fixture(scope="session", autouse=True)
def _urlconf_loaded_before_any_frozen_clock():
    """Import every view and API schema once, before a test freezes the clock: a module first imported under
    freezegun sees its fake `datetime` class, and pydantic cannot build an API schema over it."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (the import is the point)


def clear_cache(alias: str) -> None:
    """Empty one cache for the next test. Redis: delete this worker's keys only (its KEY_PREFIX, set per xdist
    worker in settings_test), never `clear()`, which would flush the database under the other workers' feet."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    cache = caches[alias]
    if not isinstance(cache, RedisCache):
        cache.clear()
        return
    if not cache.key_prefix:
        raise pytest.UsageError("a Redis cache in tests needs a KEY_PREFIX of its own (see settings_test)")
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(f"{cache.key_prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


DB_FIXTURES = ("db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server")


def uses_database(request) -> bool:
    """Whether the test reaches the test database (a `django_db` mark or one of pytest-django's fixtures, directly or
    through another fixture)."""
    return request.node.get_closest_marker("django_db") is not None or any(
        name in request.fixturenames for name in DB_FIXTURES
    )


@pytest.fixture(autouse=True)
def _fresh_caches(request):
    """Each test starts with empty caches. The database cache table (`lvzhi_shared_cache`: rate-limit counters,
    one-time marks) is no model's table, so a transactional test's `flush` leaves its rows behind for the next test;
    it is emptied here, on the test database only (never before that database exists)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    clear_cache("default")
    if not isinstance(caches["shared"], DatabaseCache):
        clear_cache("shared")
    elif uses_database(request):
        request.getfixturevalue("django_db_setup")  # the test database, created once per session
        with request.getfixturevalue("django_db_blocker").unblock():
            clear_cache("shared")
    yield


@pytest.fixture(autouse=True)
def _no_leftover_request_state():
    """Incidents raised "after the request" and uploads awaiting their commit belong to one test: a service called
    outside a request leaves them pending (the middleware flushes them per request), so each test starts clean."""
    from lvzhi.core import uploads
    from lvzhi.security import services as security

    security._pending.set(())
    uploads._uncommitted.set(())
    yield


@pytest.fixture(autouse=True)
def _fresh_audit_checkpoints(tmp_path):
    """Each test signs its audit checkpoints into its own file: a checkpoint another test left behind would make
    `verify` (rightly) report a chain that no longer passes through it. (`override_settings`, not pytest-django's
    `settings` fixture: that one would be set up before the test's database and restored only after its flush.)"""
    from django.test import override_settings

    with override_settings(LVZHI_AUDIT_CHECKPOINT_FILE=tmp_path / "audit-checkpoints.log"):
        yield


@pytest.fixture
def browser():
    """A real headless Chromium (Debian's), driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def launch_chromium():
    """Launch Chromium with extra command-line switches (a fake camera, say); closed after the test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = []

        def launch(*switches):
            launched.append(p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *switches]))
            return launched[-1]

        yield launch
        for instance in launched:
            instance.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True)
    page = context.new_page()
    from lvzhi.web.tests.crawl import accept_confirmations

    accept_confirmations(page)
    yield page
    context.close()
