"""A small self-hosted captcha shown after repeated failures (S4-2.1.2, S4-2.2.3: the public's SMS-verified posting).

Failures (wrong or expired SMS codes, refused code requests) are counted per *scope* — an IP address, a mobile
number — in the shared cache (`core.cache`, never process memory, so every app server counts the same); once one of
the scopes of a request has failed `threshold` times within the hour, the request must also answer a question.
The question is arithmetic in Chinese words ("三加七等于几"), generated on the server, readable by screen readers,
without script or image, and loads nothing from outside; its answer is kept in the shared cache under a random
token for ten minutes and may be used once (a wrong answer burns the token).

Used by the portal's verification (`portal.services.verification`) and the public's messages, bookings and channel
posts (`letters.services.codes`)."""

import hashlib
import secrets

from django.utils.translation import gettext as _

from . import cache
from .crypto import constant_time_equal
from .errors import ValidationFailed

DIGITS = "零一二三四五六七八九十"
WINDOW_SECONDS = 3600
ANSWER_SECONDS = 600
THRESHOLD = 3


def _scope(scope: str) -> str:
    return hashlib.sha256(f"captcha-scope:{scope}".encode()).hexdigest()[:32]


def _fail_key(prefix: str, scope: str) -> str:
    return f"lvzhi:captcha:fail:{prefix}:{_scope(scope)}"


def record_failure(prefix: str, *scopes: str) -> None:
    """Count one failure for each non-empty scope (e.g. "ip:1.2.3.4", "phone:<key>") of the area `prefix`."""
    for scope in scopes:
        if scope:
            cache.hit(_fail_key(prefix, scope), window_seconds=WINDOW_SECONDS)


def failures(prefix: str, scope: str) -> int:
    return int(cache.store().get(_fail_key(prefix, scope)) or 0) if scope else 0


def required(prefix: str, *scopes: str, threshold: int = THRESHOLD) -> bool:
    return any(failures(prefix, scope) >= threshold for scope in scopes)


def new() -> tuple[str, str]:
    """(token, question); the answer is kept under the token."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = secrets.token_urlsafe(16)
    cache.store().set(f"lvzhi:captcha:answer:{token}", str(a + b), timeout=ANSWER_SECONDS)
    return token, _("How much is %(a)s plus %(b)s? Answer in digits.") % {"a": DIGITS[a], "b": DIGITS[b]}


def check(token: str, answer: str) -> bool:
    """Whether `answer` is the answer kept under `token`; the token is used up either way."""
    key = f"lvzhi:captcha:answer:{(token or '')[:40]}"
    expected = cache.store().get(key)
    cache.store().delete(key)
    return expected is not None and constant_time_equal(expected, (answer or "").strip()[:4])


def enforce(prefix: str, *scopes: str, token: str = "", answer: str = "", threshold: int = THRESHOLD) -> None:
    """Refuse (ValidationFailed `captcha_wrong`) when a scope has failed too often and the question is not answered."""
    if required(prefix, *scopes, threshold=threshold) and not check(token, answer):
        raise ValidationFailed(_("Answer the question to show you are a person."), code="captcha_wrong")
