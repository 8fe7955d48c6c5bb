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

`cached()` keeps derived values (unread counts, rendered column tiles) when `settings.LVZHI_SHARED_CACHE` is on
(the default; the test suite turns it off): first in a small copy in this process, keyed by the key's current
version, then in the shared store. The version is always read from the shared store, so a process never serves a
value derived before another process's change: its copy under the old version is simply never asked for again.
With the database table as the store, the copy in the process is what saves the work (a value in the table would
cost as much to read as to compute); with Redis both levels do.

The database table is never culled by count (`MAX_ENTRIES` is set out of reach in settings): culling would drop
lockout and rate-limit counters along with everything else, so anyone could reset theirs by filling the table.
Expired rows are deleted by the tick job `core.purge_shared_cache` instead.
"""

import datetime as dt
import hashlib
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.signals import request_started
from django.db import connections, router, transaction

PREFIX = "lvzhi:v1:"

# Bumped (on commit) by every audited write (`lvzhi.audit.services.record`): a value derived from many tables that
# every business change is audited in (a user's work links and to-dos) is kept under this key's version.
WRITES_KEY = ("audited-writes",)


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


# The keys bumped in the current, not yet committed transaction: `cached()` computes their values afresh until the
# commit (what the shared store holds was derived before this transaction's own changes).
_dirty: ContextVar[frozenset] = ContextVar("lvzhi_cache_dirty", default=frozenset())


def _forget_versions(**kwargs) -> None:
    _seen.set({})
    _dirty.set(frozenset())


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


# This process's copies of derived values: versioned name -> (monotonic expiry, value). Bounded, least recently
# used first out. Values other than plain strings and numbers are kept pickled, so that no request can change
# what the next one reads.
LOCAL_MAX_ENTRIES = 2048
_local: OrderedDict[str, tuple[float, object]] = OrderedDict()
_local_lock = threading.Lock()
_PLAIN = (str, bytes, int, float, bool)


class _Pickled(bytes):
    """A kept value that is unpickled on every read (a fresh copy per use)."""


def _keep_locally(name: str, value, timeout: int) -> None:
    kept = value if isinstance(value, _PLAIN) else _Pickled(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    with _local_lock:
        _local[name] = (time.monotonic() + timeout, kept)
        _local.move_to_end(name)
        while len(_local) > LOCAL_MAX_ENTRIES:
            _local.popitem(last=False)


def _local_copy(name: str):
    with _local_lock:
        entry = _local.get(name)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            del _local[name]
            return None
        _local.move_to_end(name)
    kept = entry[1]
    return pickle.loads(kept) if isinstance(kept, _Pickled) else kept  # noqa: S301  (pickled by this process)


def forget_local_copies() -> None:
    """Drop this process's copies (tests standing for another process)."""
    with _local_lock:
        _local.clear()


def preload_versions(*keys: Hashable) -> None:
    """Read the versions of `keys` in one round trip (the request will ask for each of them)."""
    seen = _seen.get()
    if seen is None or not enabled():
        return
    names = [_name(key) + ":version" for key in keys]
    missing = [name for name in names if name not in seen]
    if missing:
        seen.update(store().get_many(missing))


# Functions user -> keys whose versions most requests of a logged-in user read (registered by the apps that own the
# keys); `preload_for(user)` reads them all in one round trip when the request's user is known.
_request_keys: list[Callable] = []


def register_request_keys(fn: Callable) -> None:
    if fn not in _request_keys:
        _request_keys.append(fn)


def preload_for(user) -> None:
    """The versions of `WRITES_KEY` and of every registered per-user key, in one round trip (account middleware)."""
    if _seen.get() is None or not enabled():
        return
    preload_versions(WRITES_KEY, *(key for fn in _request_keys for key in fn(user)))


def cached(key: Hashable, compute: Callable[[], object], *, timeout: int = 3600, variant: Hashable = ""):
    """`compute()`, or the value kept for the key's current version (and `variant`, any value with a stable repr:
    the users' scope a shared value depends on): from this process's copy, else from the shared store.

    Use `cached()` for values derived from our own database, whose writers `bump(key)` when the inputs change: a
    reader never sees a value older than the last committed write. Use `kept()` for a value fetched from another
    server, which tells us nothing when it changes: there only time can expire it."""
    if not enabled() or _name(key) in _dirty.get():
        return compute()
    name = f"{_name(key)}:{version(key)}:{hashlib.sha256(repr(variant).encode()).hexdigest()[:20]}"
    value = _local_copy(name)
    if value is not None:
        return value
    backend = store()
    value = backend.get(name)
    if value is None:
        value = compute()
        backend.set(name, value, timeout=timeout)
    _keep_locally(name, value, timeout)
    return value


def purge_expired(now: dt.datetime | None = None) -> int:
    """The tick job `core.purge_shared_cache`: delete the database table's expired rows (Redis expires its own)."""
    backend = store()
    if not isinstance(backend, DatabaseCache):
        return 0
    db = router.db_for_write(backend.cache_model_class)
    connection = connections[db]
    table = connection.ops.quote_name(backend._table)
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if not settings.USE_TZ:
        moment = moment.replace(tzinfo=None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608  (the table name is ours, quoted)
            [connection.ops.adapt_datetimefield_value(moment)],
        )
        return cursor.rowcount


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
    _dirty.set(_dirty.get() - {_name(key)})


def bump(key: Hashable, *, always: bool = False) -> None:
    """Make everything derived from `key` obsolete, once the current transaction commits (at once outside one).

    Without `always`, only when derived values are cached at all (`LVZHI_SHARED_CACHE`); pass `always=True` for a
    version that per-process copies depend on."""
    if not (always or enabled()):
        return
    if transaction.get_connection().in_atomic_block:
        _dirty.set(_dirty.get() | {_name(key)})  # until the commit, this transaction's reads compute afresh
    transaction.on_commit(lambda: bump_now(key), robust=True)
