import logging

from django.http import JsonResponse
from django.shortcuts import render

from .errors import ApplicationError

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
        if not isinstance(exception, ApplicationError):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse(exception.as_dict(), status=exception.status)
        return render(request, "error.html", {"error": exception}, status=exception.status)
