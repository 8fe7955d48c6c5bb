"""Exactly-once form posts for the phone app's offline drafts.

A draft written without signal is sent when the signal returns, and may be sent again (the answer was lost, the app
was closed mid-way, two tabs synced at once). Each draft carries its own key in the `Idempotency-Key` header; the
first post with a key runs in one transaction with the key's row, and a later post with the same key (same user)
gets the first answer replayed: the redirect to what was filed, marked `Idempotent-Replayed: true`, and nothing
runs again. Concurrent posts with one key serialise on the unique (user, key) index: exactly one runs.

Only a success — a redirect, which is how every form of the app answers a filed case — keeps the key. A form sent
back with errors (200) or a refusal (4xx) keeps nothing, so the corrected draft can be sent with the same key.
Rows older than `RETENTION` are removed by the tick job.
"""

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")
RETENTION = dt.timedelta(days=30)


def _refusal(request):
    message = _("The draft's key is malformed; send it again from the app.")
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "idempotency_key_invalid", "message": message}, status=400)
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _replay(first: IdempotentRequest):
    response = HttpResponseRedirect(first.location) if first.location else HttpResponse(status=first.status)
    response.status_code = first.status or response.status_code
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.META.get(HEADER, "")
        user = getattr(request, "user", None)
        if request.method != "POST" or not key or user is None or not user.is_authenticated:
            return self.get_response(request)
        if not KEY.fullmatch(key):
            return _refusal(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotentRequest.objects.create(user=user, key=key, path=request.path[:200])
            except IntegrityError:
                return _replay(IdempotentRequest.objects.get(user=user, key=key))
            response = self.get_response(request)
            if 300 <= response.status_code < 400 and response.get("Location"):
                row.status, row.location = response.status_code, response["Location"][:300]
                row.save(update_fields=["status", "location"])
            else:
                row.delete()
        return response


def forget_old_keys(now=None) -> int:
    """The tick job: drop keys older than RETENTION (a draft is not retried a month later)."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
