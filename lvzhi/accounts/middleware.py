"""Per-request account policy: idle timeout, frozen/left users out at once, the administrators' second factor,
forced password change."""

import time

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from lvzhi.audit.services import current_ip
from lvzhi.core import cache
from lvzhi.core.middleware import APP_SHELL
from lvzhi.core.netaddr import client_ip

from .auth_services import confirmed_totp_device, logout_user, password_change_required
from .permissions import is_administrator

# The app shell (service worker, manifest, offline page) holds no personal data: it loads whatever the account's state.
EXEMPT_PREFIXES = (
    "/static/",
    "/api/",
    *APP_SHELL,
    "/accounts/login",
    "/accounts/logout",
    "/accounts/password",
    "/i18n/",
)
# An administrator who has not yet confirmed the second factor may reach only these.
OTP_EXEMPT_PREFIXES = (
    "/static/",
    "/api/",
    *APP_SHELL,
    "/accounts/login",
    "/accounts/logout",
    "/accounts/otp/",
    "/i18n/",
)


# Idle time is measured to this resolution, so that a busy user's session is not rewritten on every request.
LAST_SEEN_RESOLUTION_SECONDS = 30


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path in APP_SHELL:  # no user data there: not an activity of the member, nothing to enforce
            return self.get_response(request)
        token = current_ip.set(client_ip(request))
        try:
            response = self._policy(request)
            return response or self.get_response(request)
        finally:
            current_ip.reset(token)

    def _policy(self, request):
        user = request.user
        if not user.is_authenticated:
            return None
        api = request.path.startswith("/api/")  # the API answers for itself (token_auth): no redirects there
        if not user.is_active or user.is_frozen:
            logout_user(request, reason="inactive" if not user.is_active else "frozen")
            if api:
                return None
            return redirect(f"{reverse(settings.LOGIN_URL)}?frozen=1" if user.is_frozen else settings.LOGIN_URL)
        cache.preload_for(user)  # the request's cache versions (roles, unread count, columns) in one round trip
        now = time.time()
        admin = is_administrator(user)
        limit = settings.LVZHI_ADMIN_IDLE_MINUTES if admin else settings.LVZHI_IDLE_MINUTES
        last = request.session.get("last_seen")
        if last is not None and now - last > limit * 60:
            logout_user(request, reason="idle")
            if api:
                return None
            return redirect(f"{reverse(settings.LOGIN_URL)}?idle=1")
        if last is None or now - last >= LAST_SEEN_RESOLUTION_SECONDS:
            request.session["last_seen"] = now  # a session write: at most once per resolution, not every request
        if admin and not user.is_verified():
            if request.path.startswith(OTP_EXEMPT_PREFIXES):
                return None
            name = "accounts:otp_verify" if confirmed_totp_device(user) else "accounts:otp_enrol"
            return redirect(name)
        if password_change_required(user) and not request.path.startswith(EXEMPT_PREFIXES):
            return redirect("accounts:password_change")
        return None
