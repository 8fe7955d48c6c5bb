"""SMS backends, chosen by ``LVZHI_SMS_BACKEND``: ``console`` (development: logged), ``file`` (JSON lines in
``LVZHI_SMS_FILE_DIR/sms.log``; tests), ``http`` (a real SMS gateway) or the dotted path of a class with a
``send(phone, text)`` method.

The HTTP gateway contract (``http``)
------------------------------------
Settings: ``LVZHI_SMS_HTTP_URL`` (the gateway endpoint), ``LVZHI_SMS_HTTP_TOKEN`` (bearer token),
``LVZHI_SMS_HTTP_SIGN`` (the registered SMS signature, e.g. ``【某市政协】``), ``LVZHI_SMS_HTTP_TIMEOUT`` (seconds,
default 10). Operators put a small adapter in front of their carrier's or cloud provider's API if it differs.

Request — one message per call::

    POST <LVZHI_SMS_HTTP_URL>
    Content-Type: application/json; charset=utf-8
    Authorization: Bearer <LVZHI_SMS_HTTP_TOKEN>

    Idempotency-Key: 6f1c…  (the same as "id")

    {"phone": "13800000001", "text": "您有一条新的待办……", "sign": "【某市政协】", "id": "6f1c…"}

``id`` is the delivery's key, the same on every attempt of one message: the gateway (or the adapter in front of it)
must accept a repeated ``id`` with 2xx and not send it again. A worker stopped after the gateway accepted a message
and before Lvzhi saved that outcome sends it again once (at-least-once); the key makes that repeat harmless.

Response:

* ``2xx`` — accepted. A JSON body is optional; if it is a JSON object with ``"ok": false`` the message was
  *not* accepted and ``"error"`` (a string) says why; this is treated like a 5xx (retried).
* ``400``, ``401``, ``403``, ``404``, ``422`` — refused for good (bad number, bad token, bad signature): the
  delivery is marked failed at once, without retries.
* any other status (``408``, ``429``, ``5xx``), a timeout or a connection error — a temporary failure: the
  delivery is retried with back-off (1, 5, 15, 60, 240 minutes) by ``lvzhi tick`` and marked failed after the
  sixth attempt. The gateway must therefore be idempotent enough to tolerate a rare duplicate after a timeout.
"""

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from lvzhi.core.masking import mask_phone

logger = logging.getLogger("lvzhi.sms")
PERMANENT_STATUSES = frozenset({400, 401, 403, 404, 422})


class SmsError(Exception):
    """A temporary failure: the delivery is retried."""


class PermanentSmsError(SmsError):
    """The gateway refused the message for good: the delivery is marked failed without retries."""


class SmsBackend:
    # Backends that take the delivery's idempotency key: send(phone, text, key=...). Others get (phone, text).
    accepts_key = False

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Development: the text goes to the log (the number masked)."""

    def send(self, phone, text):
        logger.warning("SMS to %s: %s", mask_phone(phone), text)


class FileSmsBackend(SmsBackend):
    """Appends each message as a JSON line to LVZHI_SMS_FILE_DIR/sms.log (for development and tests)."""

    accepts_key = True

    def send(self, phone, text, key=""):
        directory = settings.LVZHI_SMS_FILE_DIR
        directory.mkdir(parents=True, exist_ok=True)
        entry = {"at": datetime.now().isoformat(), "phone": phone, "text": text} | ({"key": key} if key else {})
        line = json.dumps(entry, ensure_ascii=False)
        with open(directory / "sms.log", "a", encoding="utf-8") as fh:
            fh.write(line + "\n")


class HttpSmsBackend(SmsBackend):
    """The generic JSON gateway described in the module docstring."""

    accepts_key = True

    def send(self, phone, text, key=""):
        if not settings.LVZHI_SMS_HTTP_URL:
            raise SmsError("LVZHI_SMS_HTTP_URL is not set")  # a configuration fix lets the retries through
        message = {"phone": phone, "text": text, "sign": settings.LVZHI_SMS_HTTP_SIGN}
        if key:
            message["id"] = key
        payload = json.dumps(message, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310  (the URL is the operator's own gateway)
            settings.LVZHI_SMS_HTTP_URL,
            data=payload,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.LVZHI_SMS_HTTP_TOKEN}",
                **({"Idempotency-Key": key} if key else {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.LVZHI_SMS_HTTP_TIMEOUT) as response:  # noqa: S310
                body = response.read(65536)
        except urllib.error.HTTPError as exc:
            error_class = PermanentSmsError if exc.code in PERMANENT_STATUSES else SmsError
            raise error_class(f"SMS gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"SMS gateway unreachable: {getattr(exc, 'reason', exc)}") from exc
        try:
            answer = json.loads(body) if body.strip() else None
        except ValueError:
            answer = None
        if isinstance(answer, dict) and answer.get("ok") is False:
            raise SmsError(f"SMS gateway did not accept the message: {answer.get('error', '')}"[:300])


BACKENDS = {
    "console": ConsoleSmsBackend,
    "file": FileSmsBackend,
    "http": HttpSmsBackend,
}


def get_sms_backend() -> SmsBackend:
    name = settings.LVZHI_SMS_BACKEND
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()
