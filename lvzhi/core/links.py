"""The address of one object's page without `reverse()` per row (issue 12: a `{% url %}` tag costs ~150 calls).

`object_url("duty:record", pk)` reverses the pattern once per process and URL prefix with a marker argument, then
puts each primary key in the marker's place. For URL patterns whose only argument is an integer primary key.
"""

from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_MARKER = "987654321"


@lru_cache(maxsize=512)
def _halves(name: str, prefix: str, urlconf) -> tuple[str, str]:
    address = reverse(name, args=[int(_MARKER)], urlconf=urlconf)
    head, found, tail = address.rpartition(_MARKER)
    if not found:
        raise ValueError(f"{name}: the argument is not a plain part of the address")
    return head, tail


def object_url(name: str, pk) -> str:
    """`reverse(name, args=[pk])` for an integer `pk`."""
    head, tail = _halves(name, get_script_prefix(), get_urlconf())
    return f"{head}{int(pk)}{tail}"


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _halves.cache_clear()
