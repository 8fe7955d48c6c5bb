"""SMS backends. `console` and `file` for development; `http` for a real SMS gateway (see README)."""

import json
import logging
import urllib.request
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("lvzhi.sms")


class SmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    def send(self, phone, text):
        logger.warning("SMS to %s: %s", phone, text)


class FileSmsBackend(SmsBackend):
    """Appends each message as a JSON line to var/sms/sms.log (for development and tests)."""

    def send(self, phone, text):
        directory = settings.LVZHI_SMS_FILE_DIR
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / "sms.log", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"at": datetime.now().isoformat(), "phone": phone, "text": text}, ensure_ascii=False))
            fh.write("\n")


class HttpSmsBackend(SmsBackend):
    """A generic JSON gateway: POST {"phone", "text", "sign"} with a bearer token; 2xx means accepted."""

    def send(self, phone, text):
        if not settings.LVZHI_SMS_HTTP_URL:
            raise RuntimeError("LVZHI_SMS_HTTP_URL is not set")
        payload = json.dumps({"phone": phone, "text": text, "sign": settings.LVZHI_SMS_HTTP_SIGN}).encode()
        request = urllib.request.Request(  # noqa: S310  (the URL is the operator's own gateway)
            settings.LVZHI_SMS_HTTP_URL,
            data=payload,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {settings.LVZHI_SMS_HTTP_TOKEN}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=settings.LVZHI_SMS_HTTP_TIMEOUT) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


BACKENDS = {
    "console": ConsoleSmsBackend,
    "file": FileSmsBackend,
    "http": HttpSmsBackend,
}


def get_sms_backend() -> SmsBackend:
    name = settings.LVZHI_SMS_BACKEND
    backend_class = BACKENDS.get(name) or import_string(name)
    return backend_class()
