"""The page shell's fixed parts, worked out once per process (issue 12: every page pays for its shell).

The addresses of the shell's links and the strings the app script reads depend only on the URL configuration and
the language, which do not change while a process runs: they are computed once per (configuration, language)
instead of on every page. Nothing here depends on the user or on data that can change.
"""

from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@lru_cache(maxsize=256)
def _address(name: str, prefix: str, urlconf) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def shell_url(name: str) -> str:
    """`{% url name %}` for a link without arguments, computed once per process and URL prefix."""
    return _address(name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=64)
def _static(path: str) -> str:
    return static(path)


@register.simple_tag
def shell_static(path: str) -> str:
    """`{% static path %}` for the shell's own files (the manifest of hashed names is fixed for a process)."""
    return _static(path)


@lru_cache(maxsize=16)
def _strings(language: str) -> str:
    return render_to_string("web/_app_strings.html")


@register.simple_tag
def shell_strings():
    """The translated strings the app script shows (offline banner, sync notices), once per language."""
    return mark_safe(_strings(get_language()))  # noqa: S308  (our own template, no user data)


@receiver(setting_changed)
def _forget(setting, **kwargs):
    """A test that changes the URL configuration, static files or languages gets fresh values."""
    if setting in ("ROOT_URLCONF", "STATIC_URL", "STORAGES", "LANGUAGES", "LOCALE_PATHS", "FORCE_SCRIPT_NAME"):
        _address.cache_clear()
        _static.cache_clear()
        _strings.cache_clear()
