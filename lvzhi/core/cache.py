"""The shared cache: state every app server must see at once (several gunicorn workers, several hosts).

`store()` is `settings.CACHES["shared"]`: Redis when REDIS_URL is set, else a database table — never process
memory. Everything here goes through it:

    hit("lvzhi:sms-ip:" + ip, window_seconds=3600)    # count an event in a fixed window; returns the count so far
    version(("workdays",))                             # a key's current version token (see below)
    bump(("notify.unread", user.pk))                   # a new version once the transaction commits
    value = cached(("notify.unread", user.pk), compute, timeout=3600)   # compute() on a miss
    doc = kept(("oidc.discovery", issuer), fetch, timeout=3600)        # fetched once an hour for every process

A key's version is a random token stored in the shared cache: `bump` replaces it, so every process stops using
what it derived from the old version at once (a per-process copy, such as the working-day calendar's overrides,
is dropped when the version it was read under changes), and a value computed from data read before the change can
only ever be stored under the old version. Versions read during a request are remembered for that request (one
round trip per key and request).

`cached()` keeps derived values (unread counts, rendered column tiles) only when `settings.LVZHI_SHARED_CACHE` is
on (Redis): in the database table a cached value would cost as much as computing it, so without Redis `compute()`
runs every time.
"""

import hashlib
import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_started
from django.db import transaction

PREFIX = "lvzhi:v1:"


def store():
    """The shared cache backend (Redis or the database table)."""
    return caches["shared"]


def enabled() -> bool:
    return bool(getattr(settings, "LVZHI_SHARED_CACHE", False))


def hit(key: str, *, window_seconds: int) -> int:
    """Count an event under `key` in a fixed window of `window_seconds`; the count so far (1 for the first)."""
    backend = store()
    if backend.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return backend.incr(key)
    except ValueError:  # expired between add and incr
        backend.add(key, 1, timeout=window_seconds)
        return 1


def _name(key: Hashable) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    return PREFIX + ":".join(str(p) for p in parts)


# The versions read during the current request (one cache round trip per key and request, not per use);
# emptied when a request starts and whenever this process bumps a version.
_seen: ContextVar[dict | None] = ContextVar("lvzhi_cache_versions", default=None)


def _forget_versions(**kwargs) -> None:
    _seen.set({})


request_started.connect(_forget_versions, dispatch_uid="lvzhi.core.cache.forget_versions")


def version(key: Hashable) -> str:
    """The current version token of `key`, as every process sees it."""
    name = _name(key) + ":version"
    seen = _seen.get()
    if seen is not None and name in seen:
        return seen[name]
    backend = store()
    current = backend.get(name)
    if current is None:
        backend.add(name, uuid.uuid4().hex, timeout=None)
        current = backend.get(name)
    if seen is not None:
        seen[name] = current
    return current


def cached(key: Hashable, compute: Callable[[], object], *, timeout: int = 3600, variant: Hashable = ""):
    """`compute()`, from the shared cache when it holds the value for the key's current version (and `variant`,
    any value with a stable repr: the users' scope a shared value depends on)."""
    if not enabled():
        return compute()
    backend = store()
    name = f"{_name(key)}:{version(key)}:{hashlib.sha256(repr(variant).encode()).hexdigest()[:20]}"
    value = backend.get(name)
    if value is None:
        value = compute()
        backend.set(name, value, timeout=timeout)
    return value


def kept(key: Hashable, fetch: Callable[[], object], *, timeout: int):
    """`fetch()` once per `timeout` seconds for every process: for values that are dear to get from outside the
    database (a remote service's published document), so kept in the shared store whether or not
    `LVZHI_SHARED_CACHE` is on (a database-table read costs far less than a request to another server). A value
    `fetch()` refuses to give (it raises) is not kept; `forget(key)` drops the kept one at once."""
    backend = store()
    name = _name(key) + ":kept"
    value = backend.get(name)
    if value is None:
        value = fetch()
        backend.set(name, value, timeout=timeout)
    return value


def forget(key: Hashable) -> None:
    """Drop what `kept(key, ...)` holds, so that the next use fetches it anew."""
    store().delete(_name(key) + ":kept")


def bump_now(key: Hashable) -> None:
    """A new version of `key` at once (prefer `bump`, which waits for the commit)."""
    store().set(_name(key) + ":version", uuid.uuid4().hex, timeout=None)
    _seen.set({})


def bump(key: Hashable, *, always: bool = False) -> None:
    """Make everything derived from `key` obsolete, once the current transaction commits (at once outside one).

    Without `always`, only when derived values are cached at all (`LVZHI_SHARED_CACHE`); pass `always=True` for a
    version that per-process copies depend on."""
    if not (always or enabled()):
        return
    transaction.on_commit(lambda: bump_now(key), robust=True)
