"""S1-4.2: the single sign-on pages (`/sso/oidc/start/`, `/sso/oidc/callback/`); see `oidc.py`."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as django_login
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lvzhi.core.errors import ApplicationError

from . import oidc

BACKEND = "lvzhi.accounts.backends.PhonePasswordBackend"


def _safe_next(request, value):
    ok = value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure())
    return value if ok else ""


@never_cache
@require_GET
def start(request):
    try:
        url = oidc.begin(
            request.session,
            redirect_uri=request.build_absolute_uri("/sso/oidc/callback/"),
            next_url=_safe_next(request, request.GET.get("next", "")),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(settings.LOGIN_URL)
    return redirect(url)


@never_cache
@require_GET
def callback(request):
    try:
        user, next_url = oidc.complete(
            request.session,
            state=request.GET.get("state", ""),
            code=request.GET.get("code", ""),
            error=request.GET.get("error", ""),
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect(settings.LOGIN_URL)
    django_login(request, user, backend=BACKEND)
    request.session["last_seen"] = time.time()
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)
