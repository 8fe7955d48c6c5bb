"""SMS verification of a visitor's mobile number before they post (S4-2.1.2), with per-number and per-IP limits and
a small self-hosted captcha (an arithmetic question in words, readable by screen readers, no script, no image)
once an address has failed a few times. Everything is kept in the shared cache, never in process memory: any app
server may send the code and another check it."""

import hashlib
import secrets

from django.utils.translation import gettext as _

from lvzhi.core import cache
from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex
from lvzhi.core.errors import RateLimited, ValidationFailed
from lvzhi.core.validation import clean_mobile
from lvzhi.notify.services import send_sms

from .. import rules

DIGITS = "零一二三四五六七八九十"


def _number_key(phone: str) -> str:
    return sm3_hmac_hex("portal-phone:" + phone)[:32]


def _ip(ip: str | None) -> str:
    return hashlib.sha256((ip or "-").encode()).hexdigest()[:24]


def failures(ip: str | None) -> int:
    return int(cache.store().get(f"lvzhi:portal:fail:{_ip(ip)}") or 0)


def record_failure(ip: str | None) -> int:
    return cache.hit(f"lvzhi:portal:fail:{_ip(ip)}", window_seconds=3600)


def captcha_required(ip: str | None) -> bool:
    return failures(ip) >= rules.FAILURES_BEFORE_CAPTCHA


def new_captcha() -> tuple[str, str]:
    """(token, question): the answer is kept under the token for 10 minutes and may be used once."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = secrets.token_urlsafe(16)
    cache.store().set(f"lvzhi:portal:captcha:{token}", str(a + b), timeout=600)
    return token, _("How much is %(a)s plus %(b)s? Answer in digits.") % {"a": DIGITS[a], "b": DIGITS[b]}


def check_captcha(token: str, answer: str) -> bool:
    key = f"lvzhi:portal:captcha:{(token or '')[:40]}"
    expected = cache.store().get(key)
    cache.store().delete(key)
    return expected is not None and constant_time_equal(expected, (answer or "").strip()[:4])


def _captcha(ip, captcha_token, captcha_answer) -> None:
    if captcha_required(ip) and not check_captcha(captcha_token, captcha_answer):
        raise ValidationFailed(_("Answer the question to show you are a person."), code="captcha_wrong")


def send_code(*, phone: str, ip: str | None, captcha_token: str = "", captcha_answer: str = "") -> str:
    """Text a 6-digit code to the number (limits per number and per address); returns the cleaned number."""
    phone = clean_mobile(phone, field="phone")
    _captcha(ip, captcha_token, captcha_answer)
    if cache.hit(f"lvzhi:portal:code-ip:{_ip(ip)}", window_seconds=3600) > rules.CODES_PER_IP_PER_HOUR:
        record_failure(ip)
        raise RateLimited(_("Too many codes from this address; try again in an hour."), code="rate_limited_ip")
    number = _number_key(phone)
    if cache.hit(f"lvzhi:portal:code-number:{number}", window_seconds=3600) > rules.CODES_PER_NUMBER_PER_HOUR:
        record_failure(ip)
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
        record_failure(ip)
        raise ValidationFailed(_("The code has expired; ask for a new one."), code="code_expired")
    if not constant_time_equal(kept["code"], sm3_hmac_hex(code)):
        kept["tries"] += 1
        cache.store().set(key, kept, timeout=rules.CODE_MINUTES * 60)
        record_failure(ip)
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
