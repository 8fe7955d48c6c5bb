import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from .errors import ApplicationError, ServiceUnavailable

logger = logging.getLogger("lvzhi")


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
        response.setdefault("Cache-Control", "no-store" if request.user.is_authenticated else "private")
        return response


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
