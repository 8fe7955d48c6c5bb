"""Per-request account policy: idle timeout, frozen/left users out at once, forced password change."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from lvzhi.audit.services import current_ip

from .permissions import is_administrator

EXEMPT_PREFIXES = ("/static/", "/api/", "/accounts/login", "/accounts/logout", "/accounts/password", "/i18n/")


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
        if not user.is_active or user.is_frozen:
            logout(request)
            return redirect(settings.LOGIN_URL)
        now = time.time()
        limit = settings.LVZHI_ADMIN_IDLE_MINUTES if is_administrator(user) else settings.LVZHI_IDLE_MINUTES
        last = request.session.get("last_seen")
        if last is not None and now - last > limit * 60:
            from .auth_services import logout_user

            logout_user(request, reason="idle")
            return redirect(f"{redirect(settings.LOGIN_URL).url}?idle=1")
        request.session["last_seen"] = now
        if user.must_change_password and not request.path.startswith(EXEMPT_PREFIXES):
            return redirect("accounts:password_change")
        return None
