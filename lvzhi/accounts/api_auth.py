"""Authentication of the mobile API: `auth=token_auth` on any ninja router or operation.

It accepts `Authorization: Bearer <token>` and, as a fallback, the logged-in session cookie of the web app
(with Django's CSRF check on unsafe methods). It rejects missing, malformed, expired and revoked tokens
(`token_invalid`, 401), frozen users (`frozen`), departed users (`token_invalid`), administrators who have not
confirmed their second factor, and users who must change their password (`password_change_required`; only
`/auth/password` is let through for them). On success `request.auth` and `request.user` are the user and
`request.api_token` is the token used (None for a session).
"""

from ninja.security.http import HttpAuthBase
from ninja.utils import check_csrf

from lvzhi.core.errors import PermissionDenied

from .auth_services import password_change_required
from .errors import AccountFrozen, NotAuthenticated, PasswordChangeRequired, SecondFactorRequired, TokenInvalid
from .permissions import is_administrator
from .tokens import authenticate_token

# Paths (relative to the API root) a user who must change the password may still call.
PASSWORD_CHANGE_PATHS = ("auth/password",)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenAuth(HttpAuthBase):
    openapi_scheme = "bearer"

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if header:
            scheme, _, raw = header.strip().partition(" ")
            if scheme.lower() != "bearer":
                raise TokenInvalid()
            token = authenticate_token(raw)
            user = token.user
            request.api_token = token
        else:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                raise NotAuthenticated()
            if _needs_csrf(request) and check_csrf(request) is not None:
                raise PermissionDenied(code="csrf_failed")
            if is_administrator(user) and not (hasattr(user, "is_verified") and user.is_verified()):
                raise SecondFactorRequired()
            request.api_token = None
        if not user.is_active:
            raise TokenInvalid()
        if user.is_frozen:
            raise AccountFrozen()
        if password_change_required(user) and not _is_password_path(request):
            raise PasswordChangeRequired()
        request.user = user
        return user


def _needs_csrf(request) -> bool:
    return request.method not in SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False)


def _is_password_path(request) -> bool:
    path = request.path_info.rstrip("/")
    return any(path.endswith("/" + allowed) for allowed in PASSWORD_CHANGE_PATHS)


token_auth = TokenAuth()

__all__ = ["TokenAuth", "token_auth"]
