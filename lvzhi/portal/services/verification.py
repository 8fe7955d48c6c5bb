"""SMS verification of a visitor's mobile number before they post (S4-2.1.2), with per-number and per-IP limits and
a small self-hosted captcha (an arithmetic question in words, readable by screen readers, no script, no image)
once an address has failed a few times. Everything is kept in the shared cache, never in process memory: any app
server may send the code and another check it."""

import hashlib
import secrets

from django.utils.translation import gettext as _

from lvzhi.core import cache, captcha
from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex
from lvzhi.core.errors import RateLimited, ValidationFailed
from lvzhi.core.validation import clean_mobile
from lvzhi.notify.services import send_sms

from .. import rules


def _scopes(ip: str | None, phone: str = "") -> tuple[str, ...]:
    return (f"ip:{_ip(ip)}", f"phone:{_number_key(phone)}" if phone else "")


def _number_key(phone: str) -> str:
    return sm3_hmac_hex("portal-phone:" + phone)[:32]


def _ip(ip: str | None) -> str:
    return hashlib.sha256((ip or "-").encode()).hexdigest()[:24]


def record_failure(ip: str | None, phone: str = "") -> None:
    captcha.record_failure("portal", *_scopes(ip, phone))


def captcha_required(ip: str | None, phone: str = "") -> bool:
    return captcha.required("portal", *_scopes(ip, phone), threshold=rules.FAILURES_BEFORE_CAPTCHA)


def new_captcha() -> tuple[str, str]:
    """(token, question): the answer is kept under the token for 10 minutes and may be used once."""
    return captcha.new()


def _captcha(ip, captcha_token, captcha_answer, phone="") -> None:
    captcha.enforce(
        "portal", *_scopes(ip, phone), token=captcha_token, answer=captcha_answer,
        threshold=rules.FAILURES_BEFORE_CAPTCHA,
    )  # fmt: skip


def send_code(*, phone: str, ip: str | None, captcha_token: str = "", captcha_answer: str = "") -> str:
    """Text a 6-digit code to the number (limits per number and per address); returns the cleaned number."""
    phone = clean_mobile(phone, field="phone")
    _captcha(ip, captcha_token, captcha_answer, phone)
    if cache.hit(f"lvzhi:portal:code-ip:{_ip(ip)}", window_seconds=3600) > rules.CODES_PER_IP_PER_HOUR:
        record_failure(ip, phone)
        raise RateLimited(_("Too many codes from this address; try again in an hour."), code="rate_limited_ip")
    number = _number_key(phone)
    if cache.hit(f"lvzhi:portal:code-number:{number}", window_seconds=3600) > rules.CODES_PER_NUMBER_PER_HOUR:
        record_failure(ip, phone)
        raise RateLimited(_("Too many codes for this number; try again in an hour."), code="rate_limited_number")
    code = f"{secrets.randbelow(1_000_000):06d}"
    cache.store().set(
        f"lvzhi:portal:code:{number}", {"code": sm3_hmac_hex(code), "tries": 0}, timeout=rules.CODE_MINUTES * 60
    )
    send_sms(
        phone=phone,
        text=_("Your verification code is %(code)s, valid for %(minutes)s minutes.")
        % {"code": code, "minutes": rules.CODE_MINUTES},
    )
    return phone


def check_code(*, phone: str, code: str, ip: str | None) -> str:
    """The number, if `code` is the one last sent to it (each code: a few tries, one use); else ValidationFailed."""
    phone = clean_mobile(phone, field="phone")
    key = f"lvzhi:portal:code:{_number_key(phone)}"
    kept = cache.store().get(key)
    code = (code or "").strip()[:6]
    if kept is None or kept["tries"] >= rules.CODE_TRIES:
        record_failure(ip, phone)
        raise ValidationFailed(_("The code has expired; ask for a new one."), code="code_expired")
    if not constant_time_equal(kept["code"], sm3_hmac_hex(code)):
        kept["tries"] += 1
        cache.store().set(key, kept, timeout=rules.CODE_MINUTES * 60)
        record_failure(ip, phone)
        raise ValidationFailed(_("The code is not right."), code="code_wrong")
    cache.store().delete(key)
    return phone


def count_post(*, phone: str, ip: str | None) -> None:
    """One more post from this number and address; RateLimited past the limits."""
    if cache.hit(f"lvzhi:portal:post-ip:{_ip(ip)}", window_seconds=3600) > rules.POSTS_PER_IP_PER_HOUR:
        raise RateLimited(_("Too many posts from this address; try again in an hour."), code="rate_limited_ip")
    number = _number_key(phone)
    if cache.hit(f"lvzhi:portal:post-number:{number}", window_seconds=86400) > rules.POSTS_PER_NUMBER_PER_DAY:
        raise RateLimited(_("Too many posts from this number today."), code="rate_limited_number")
