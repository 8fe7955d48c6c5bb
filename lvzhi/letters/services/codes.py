"""SMS codes proving that a writer holds the number they give (for messages, bookings and channel posts). Limits
per number (one a minute, `rules.CODES_PER_NUMBER_PER_DAY` a day) and per IP address, in the shared cache; the code
is stored as a keyed digest, valid `rules.CODE_MINUTES` minutes for `rules.CODE_TRIES` tries, used once."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core import captcha as captchas
from lvzhi.core.cache import hit
from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex
from lvzhi.core.errors import RateLimited, ValidationFailed
from lvzhi.core.validation import clean_mobile
from lvzhi.notify.services import send_sms

from .. import rules
from ..models import PhoneCode


def phone_key(phone: str) -> str:
    return sm3_hmac_hex(f"letters-phone:{phone}")


def _digest(phone: str, code: str) -> str:
    return sm3_hmac_hex(f"letters-code:{phone}:{code}")


def _scopes(ip: str, key: str = "") -> tuple[str, str]:
    return (f"ip:{ip or '-'}", f"phone:{key}" if key else "")


def captcha_required(*, ip: str = "", phone: str = "") -> bool:
    """Whether the next code request or check from this address (or for this number) must answer the captcha: after
    `rules.FAILURES_BEFORE_CAPTCHA` failures within the hour (wrong or expired codes, refused requests)."""
    try:
        key = phone_key(clean_mobile(phone, field="phone")) if phone else ""
    except ValidationFailed:
        key = ""
    return captchas.required("letters", *_scopes(ip, key), threshold=rules.FAILURES_BEFORE_CAPTCHA)


def captcha_for(*, ip: str = "", phone: str = "") -> tuple[str, str] | None:
    """A new (token, question) for the form when the captcha is required, else None."""
    return captchas.new() if captcha_required(ip=ip, phone=phone) else None


def posted_captcha(data) -> tuple[str, str]:
    """The (token, answer) a form or API body sent (`captcha_token`, `captcha`)."""
    return (str(data.get("captcha_token", ""))[:40], str(data.get("captcha", ""))[:4])


def _failed(ip: str, key: str = "") -> None:
    captchas.record_failure("letters", *_scopes(ip, key))


def _enforce_captcha(ip: str, key: str, captcha) -> None:
    token, answer = captcha or ("", "")
    captchas.enforce("letters", *_scopes(ip, key), token=token, answer=answer, threshold=rules.FAILURES_BEFORE_CAPTCHA)


@transaction.atomic
def request_code(*, phone: str, ip: str = "", captcha=("", "")) -> None:
    """Text a code to the number, within the limits; `captcha` is (token, answer), asked for after repeated
    failures from this address or for this number (`captcha_required`)."""
    phone = clean_mobile(phone, field="phone")
    key = phone_key(phone)
    _enforce_captcha(ip, key, captcha)
    if hit(f"letters:code-ip:{ip or '-'}", window_seconds=3600) > rules.CODES_PER_IP_PER_HOUR:
        _failed(ip, key)
        raise RateLimited(
            _("Too many codes were asked for from your network; please try again later."), code="rate_limited"
        )
    if hit(f"letters:code-minute:{key}", window_seconds=60) > 1:
        raise RateLimited(
            _("A code was sent a moment ago; please wait a minute before asking again."), code="code_too_soon"
        )
    if hit(f"letters:code-day:{key}", window_seconds=86400) > rules.CODES_PER_NUMBER_PER_DAY:
        _failed(ip, key)
        raise RateLimited(_("Too many codes for this number today; please try again tomorrow."), code="rate_limited")
    issue_code(phone=phone, ip=ip)


@transaction.atomic
def issue_code(*, phone: str, ip: str = "") -> None:
    """Send a new code without the public door's rate limits: for `request_code` once its limits passed, and for
    trusted callers only (the demo data, which a test may load several times a minute)."""
    phone = clean_mobile(phone, field="phone")
    key = phone_key(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneCode.objects.filter(phone_key=key, used_at__isnull=True).update(used_at=timezone.now())
    row = PhoneCode.objects.create(phone_key=key, code_digest=_digest(phone, code))
    record("letters.code.send", actor=None, obj=row, after={"ip": ip or ""})
    send_sms(
        phone=phone,
        text=_("Verification code %(code)s for your message to the congress, valid for %(minutes)d minutes.")
        % {"code": code, "minutes": rules.CODE_MINUTES},
    )


def check_code(*, phone: str, code: str, ip: str = "", captcha=("", "")) -> str:
    """Use the number's newest code; returns the number's key. A wrong code counts a try (saved even when the caller's
    transaction rolls back, so that guessing is bounded) and a failure towards the captcha (shared cache), which
    this check then asks for too."""
    key = phone_key(phone)
    _enforce_captcha(ip, key, captcha)
    code = (code or "").strip()
    since = timezone.now() - dt.timedelta(minutes=rules.CODE_MINUTES)
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_key=key, used_at__isnull=True, created_at__gte=since, tries__lt=rules.CODE_TRIES)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            ok = None
        elif not (code.isdigit() and len(code) == 6 and constant_time_equal(row.code_digest, _digest(phone, code))):
            row.tries += 1
            row.save(update_fields=["tries"])
            ok = False
        else:
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            ok = True
    if not ok:
        _failed(ip, key)  # outside the block: a database-table cache keeps the count
        if ok is None:
            raise ValidationFailed(
                _("Ask for a new SMS code: the last one has expired or been used."), code="code_expired"
            )
        raise ValidationFailed(_("The SMS code is wrong."), code="code_wrong")
    return key
