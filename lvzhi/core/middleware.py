import json
import logging
from urllib.parse import unquote_to_bytes

from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .errors import ApplicationError, PermissionDenied, ServiceUnavailable, ValidationFailed

logger = logging.getLogger("lvzhi")

# The phone app's shell (lvzhi.web.pwa): the same for everyone, fetched by the browser by itself (the worker's update
# check on every navigation, the manifest, the offline page). Its answers never look at the session or the user: no
# database work, no session write, and a background check never counts as the member being active.
APP_SHELL = ("/sw.js", "/manifest.webmanifest", "/offline/")


class SecurityHeadersMiddleware:
    """Everything is served by this server: the content security policy forbids any other origin."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(self), camera=(self), microphone=(self)")
        # `request.user` is missing when a middleware before authentication answered (bad Host, NUL bytes).
        user = None if request.path in APP_SHELL else getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        response.setdefault("Cache-Control", "no-store" if signed_in else "private")
        if signed_in and request.session.session_key:
            # The phone app's service worker keeps recent pages for reading offline only within one session: a new
            # tag (a new login, another user) makes it drop what it kept (static/lvzhi/js/sw.js).
            response["X-Lvzhi-Session"] = salted_hmac("lvzhi.pwa.session", request.session.session_key).hexdigest()[:16]
        return response


class CompressTextMiddleware(GZipMiddleware):
    """Pages, styles, scripts and JSON compressed for phones on a slow network (each page of the app is under 100 KB
    compressed). Django's gzip adds random padding against BREACH. Files, images and video are left as they are (range
    requests, already compressed formats)."""

    TEXT = ("text/", "application/json", "application/javascript", "application/manifest+json")

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(self.TEXT) or response.status_code == 206:
            return response
        return super().process_response(request, response)


class ApplicationErrorMiddleware:
    """A business error that escapes a view becomes a clear page or JSON answer, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return unavailable_response(request, exception)
        if not isinstance(exception, ApplicationError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(exception.as_dict(), status=exception.status)
        return render(request, "error.html", {"error": exception}, status=exception.status)


# An outage, not a bug: the connection was lost or refused (PostgreSQL: class 08 "connection exception", a
# terminated backend 57P01…57P03). Other database errors (integrity, data) stay 500s and are logged as bugs.
OUTAGE_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def is_database_outage(exception) -> bool:
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    cause = getattr(exception, "__cause__", None)
    sqlstate = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if sqlstate:
        return sqlstate.startswith(OUTAGE_SQLSTATES)
    return isinstance(exception, DatabaseError)  # SQLite and others: an OperationalError is an unusable database


def unavailable_response(request, exception=None) -> HttpResponse:
    """503 with Retry-After. The page is rendered without the request's context processors, which would query the
    database that has just gone away. The transaction of the request has been rolled back by `atomic` already."""
    logger.error("database unavailable during %s %s: %s", request.method, request.path, exception)
    error = ServiceUnavailable()
    if request.path.startswith("/api/"):
        response = JsonResponse(error.as_dict(), status=error.status)
    else:
        response = HttpResponse(render_to_string("error.html", {"error": error}), status=error.status)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


def error_answer(request, error: ApplicationError):
    """The one shape of a refusal: JSON `{"code","message"}` under /api/, the Chinese error page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=error.status)
    return render(request, "error.html", {"error": error}, status=error.status)


class RequestTooLarge(ApplicationError):
    code = "request_too_large"
    status = 413


class BadRequestMiddleware:
    """Refuses, before anything reads the database, a request no view should ever see (a clear 400, never a 500).

    - a Host header not in ALLOWED_HOSTS (Django raises DisallowedHost deep inside other middleware);
    - a NUL character anywhere in the path, the query string, a header, a form field or a JSON body
      (PostgreSQL cannot store or compare text holding NUL and answers an error);
    - a body above DATA_UPLOAD_MAX_MEMORY_SIZE or with too many fields (413/400 instead of an HTML error page).
    Text that contains other control characters is refused later, field by field, by `clean_text`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            return error_answer(request, ValidationFailed(_("The Host header is not valid."), code="bad_host"))
        try:
            has_nul = self._has_nul(request)
        except RequestDataTooBig:
            return error_answer(request, RequestTooLarge(_("The request is too large.")))
        except (TooManyFieldsSent, MultiPartParserError):
            return error_answer(request, ValidationFailed(_("The request could not be read."), code="bad_request"))
        if has_nul:
            message = _("The request contains a NUL character, which is not allowed.")
            return error_answer(request, ValidationFailed(message, code="nul_character"))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
            return True
        if any("\x00" in str(v) for k, v in request.META.items() if k.startswith("HTTP_")):
            return True
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        content_type = request.META.get("CONTENT_TYPE", "")
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            fields = request.POST
            if any("\x00" in v for values in fields.lists() for v in [values[0], *values[1]]):
                return True
            return any("\x00" in (f.name or "") for f in request.FILES.values())
        body = request.body
        if b"\x00" in body:
            return True
        if b"\\u0000" in body.lower() and "json" in content_type:
            try:
                return _json_has_nul(json.loads(body))
            except ValueError:
                return False
        return False


def _json_has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_json_has_nul(k) or _json_has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_json_has_nul(v) for v in value)
    return False


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a refused CSRF check answers like every other refusal (JSON under /api/)."""

    message = _("The form has expired or did not come from this site; reload the page and try again.")
    return error_answer(request, PermissionDenied(message, code="csrf_failed"))
