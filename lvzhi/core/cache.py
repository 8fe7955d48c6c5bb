"""Values derived from the database, kept in the shared cache under versioned keys (issue 12).

    value = cached(("notify.unread", user.pk), compute, timeout=3600)   # compute() on a miss
    bump(("notify.unread", user.pk))                                     # after the change commits

A key's version is a random token stored in the cache itself: `bump` replaces it, so every process (all app
servers share one Redis) stops reading the old value at once, and a value computed from data read before the
change can only ever be stored under the old version (no stale value outlives a bump). With
`settings.LVZHI_SHARED_CACHE` off (a per-process memory cache, several processes) nothing is cached and
`compute()` runs every time: a process-local cache would serve other processes' stale values.
"""

import hashlib
import uuid
from collections.abc import Callable, Hashable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction

PREFIX = "lvzhi:v1:"


def enabled() -> bool:
    return bool(getattr(settings, "LVZHI_SHARED_CACHE", False))


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
    name = _name(key) + ":version"
    seen = _seen.get()
    if seen is not None and name in seen:
        return seen[name]
    current = cache.get(name)
    if current is None:
        cache.add(name, uuid.uuid4().hex, timeout=None)
        current = cache.get(name)
    if seen is not None:
        seen[name] = current
    return current


def cached(key: Hashable, compute: Callable[[], object], *, timeout: int = 3600, variant: Hashable = ""):
    """`compute()`, from the shared cache when it holds the value for the key's current version (and `variant`,
    any value with a stable repr: the users' scope a shared value depends on)."""
    if not enabled():
        return compute()
    name = f"{_name(key)}:{version(key)}:{hashlib.sha256(repr(variant).encode()).hexdigest()[:20]}"
    value = cache.get(name)
    if value is None:
        value = compute()
        cache.set(name, value, timeout=timeout)
    return value


def bump(key: Hashable) -> None:
    """Make every cached value of `key` obsolete, once the current transaction commits (at once outside one)."""
    if not enabled():
        return
    name = _name(key) + ":version"

    def new_version():
        cache.set(name, uuid.uuid4().hex, timeout=None)
        _seen.set({})

    transaction.on_commit(new_version, robust=True)
