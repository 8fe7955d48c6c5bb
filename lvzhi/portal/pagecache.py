"""The public pages' cache: a rendered page is kept in the shared cache under its site, path, query, text size and
language and the site's version; the version is bumped (after commit) whenever what the public sees of a body
changes — an article goes live or leaves (the content module's `content.live_changed` hook), a draft is published,
a comment shown, an adoption report published, a topic answered — so every app server drops the pages at once.

Responses carry `Cache-Control: public, max-age=…` and an ETag; a matching `If-None-Match` gets 304.

A page that changes at a known moment without any write — a draft's comment period opening or closing — says so
with `expire_at(response, moment, …)`: it is kept (and the browser's copy lives) no longer than the earliest moment
still ahead, and a copy read after that moment is dropped, so a closed draft never shows as open."""

import functools
import hashlib
import math

from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.translation import get_language

from lvzhi.core import cache

from . import rules
from .selectors import find_site

LARGE_TEXT_COOKIE = "lvzhi_large_text"


def body_key(body_id: int) -> tuple:
    return ("portal.body", body_id)


def bump_bodies(body_ids) -> None:
    """Pages of these bodies' sites are stale once the current transaction commits (always: page bytes are kept in
    the shared cache with or without Redis)."""
    for body_id in set(body_ids):
        cache.bump(body_key(body_id), always=True)


def large_text(request) -> bool:
    return request.COOKIES.get(LARGE_TEXT_COOKIE) == "1"


def _key(request, site) -> str:
    version = cache.version(body_key(site.body_id))
    where = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:24]
    return f"lvzhi:portal:page:{site.pk}:{version}:{int(large_text(request))}:{get_language()}:{where}"


def expire_at(response, *moments):
    """The page shows what it shows until the earliest of these moments (those already past are ignored)."""
    now = timezone.now()
    ahead = [m for m in moments if m is not None and m > now]
    current = getattr(response, "lvzhi_cache_until", None)
    if current is not None:
        ahead.append(current)
    if ahead:
        response.lvzhi_cache_until = min(ahead)
    return response


def _seconds_left(until, default: int) -> int:
    """Seconds to keep a copy: the default, or less when the page changes at `until` (a POSIX timestamp)."""
    if until is None:
        return default
    return max(0, min(default, math.floor(until - timezone.now().timestamp())))


def _headers(response, etag: str, until=None) -> None:
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={_seconds_left(until, rules.BROWSER_MAX_AGE)}"
    response["Vary"] = "Cookie, Accept-Language"


def cached_page(view):
    """A public GET page: served from the page cache when present, else rendered and kept (200 answers only)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        site = request.site_for_cache = _site_of(request, kwargs)
        if site is None:
            return view(request, *args, **kwargs)
        key = _key(request, site)
        kept = cache.store().get(key)
        if kept is not None and kept.get("until") is not None and kept["until"] <= timezone.now().timestamp():
            kept = None  # the page changed at a known moment since it was kept
        if kept is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or getattr(response, "streaming", False):
                return response
            if hasattr(response, "render"):
                response.render()
            etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
            until = getattr(response, "lvzhi_cache_until", None)
            until = until.timestamp() if until is not None else None
            kept = {"content": response.content, "type": response["Content-Type"], "etag": etag, "until": until}
            timeout = _seconds_left(until, rules.PAGE_CACHE_SECONDS)
            if timeout > 0:
                cache.store().set(key, kept, timeout=timeout)
        if request.headers.get("If-None-Match") == kept["etag"]:
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(kept["content"], content_type=kept["type"])
        _headers(response, kept["etag"], kept.get("until"))
        return response

    return wrapper


def _site_of(request, kwargs):
    """The site the view will serve (a missing site is the view's own 404)."""
    return find_site(request, kwargs.get("site_code"))
