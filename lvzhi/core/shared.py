"""State that every app server must see (several gunicorn workers, several hosts): counters, lockouts, versions.

`shared()` is settings.CACHES["shared"]: Redis when REDIS_URL is set, else a database table (never process memory).
`hit(key, window_seconds)` counts an event in a fixed window and returns the count so far.
"""

from django.core.cache import caches


def shared():
    return caches["shared"]


def hit(key: str, *, window_seconds: int) -> int:
    cache = shared()
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1
