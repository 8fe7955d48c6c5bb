"""Authentication: password login with lockout, logout, SMS password reset, API tokens, the administrators' TOTP.

Writes follow the house rule (atomic, update_fields, audited in the same transaction). Where a failure must be
remembered (a failed login, a wrong SMS code), the counter is saved in its own transaction and the error is
raised after it commits, so that nothing is half-written and nothing is lost by the rollback.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth import logout as django_logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex
from lvzhi.core.errors import RateLimited, ValidationFailed
from lvzhi.core.masking import mask_phone
from lvzhi.core.shared import hit, shared
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import send_sms

from .errors import (
    AccountFrozen,
    AccountInactive,
    AccountLocked,
    AdminApiForbidden,
    CodeInvalid,
    InvalidCredentials,
    OtpInvalid,
    TokenInvalid,
    WrongPassword,
)
from .models import ApiToken, PasswordHistory, SmsCode, User
from .permissions import is_administrator

TOKEN_PREFIX_LENGTH = 8
TOKEN_TOUCH_SECONDS = 60


# --- login, lockout, logout -------------------------------------------------------------------------------------


def _lock_message(until: dt.datetime) -> str:
    when = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    return _("Too many failed attempts: this account is locked until %(time)s.") % {"time": when}


def _unknown_phone_key(phone: str) -> str:
    return "lvzhi:login-fail:" + sm3_hmac_hex(phone)[:32]


def _unknown_phone_failure(phone: str, channel: str) -> None:
    """An unknown number fails like a known one, lockout included, so lockouts reveal no registered numbers."""
    key = _unknown_phone_key(phone)
    cache = shared()  # every app server sees the same counter (no state in process memory)
    locked = cache.get(key + ":locked")
    if locked:
        raise AccountLocked(_lock_message(locked))
    User().set_password("x" * 12)  # spend the same hashing time as a real check
    minutes = settings.LVZHI_LOCKOUT_MINUTES
    failures = hit(key, window_seconds=minutes * 60)
    with transaction.atomic():
        record("accounts.login.failure", after={"phone": mask_phone(phone), "reason": "unknown", "channel": channel})
    if failures >= settings.LVZHI_LOCKOUT_ATTEMPTS:
        until = timezone.now() + dt.timedelta(minutes=minutes)
        cache.set(key + ":locked", until, minutes * 60)
        cache.delete(key)
        raise AccountLocked(_lock_message(until))
    raise InvalidCredentials()


def _register_failure(user: User, *, reason: str, channel: str) -> dt.datetime | None:
    """Count a failed attempt; lock the account at the limit. Returns the lock's end if it locked now."""
    with transaction.atomic():
        locked = User.objects.select_for_update().only("id", "failed_login_count", "locked_until").get(pk=user.pk)
        count = locked.failed_login_count + 1
        until = None
        if count >= settings.LVZHI_LOCKOUT_ATTEMPTS:
            until = timezone.now() + dt.timedelta(minutes=settings.LVZHI_LOCKOUT_MINUTES)
            User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=until)
        else:
            User.objects.filter(pk=user.pk).update(failed_login_count=count)
        record(
            "accounts.login.failure",
            actor=user,
            obj=user,
            org_unit=user.unit_id,
            after={"phone": user.masked_phone, "reason": reason, "channel": channel, "count": count},
        )
        if until is not None:
            record(
                "accounts.login.locked",
                actor=user,
                obj=user,
                org_unit=user.unit_id,
                after={"phone": user.masked_phone, "until": until.isoformat(), "channel": channel},
            )
    return until


def _refuse(user: User, *, reason: str, channel: str) -> None:
    with transaction.atomic():
        record(
            "accounts.login.failure",
            actor=user,
            obj=user,
            org_unit=user.unit_id,
            after={"phone": user.masked_phone, "reason": reason, "channel": channel},
        )


def login_with_password(*, phone: str, password: str, channel: str = "web") -> User:
    """Check phone + password under the lockout rules; audit the outcome. Returns the user on success.

    Raises InvalidCredentials (unknown phone or wrong password, the same), AccountLocked (with the time it ends),
    AccountFrozen, AccountInactive; on the "api" channel AdminApiForbidden for administrators.
    """
    phone = (phone or "").strip()
    password = password or ""
    user = User.objects.select_related("unit").filter(phone=phone).first() if phone else None
    if user is None:
        _unknown_phone_failure(phone[:20], channel)
    now = timezone.now()
    if user.locked_until and user.locked_until > now:
        _refuse(user, reason="locked", channel=channel)
        raise AccountLocked(_lock_message(user.locked_until))
    if not user.check_password(password):
        until = _register_failure(user, reason="password", channel=channel)
        if until is not None:
            raise AccountLocked(_lock_message(until))
        raise InvalidCredentials()
    if not user.is_active:
        _refuse(user, reason="inactive", channel=channel)
        raise AccountInactive()
    if user.is_frozen:
        _refuse(user, reason="frozen", channel=channel)
        raise AccountFrozen()
    if channel == "api" and is_administrator(user):
        _refuse(user, reason="admin_api", channel=channel)
        raise AdminApiForbidden()
    with transaction.atomic():
        user.failed_login_count = 0
        user.locked_until = None
        user.last_login = now
        user.save(update_fields=["failed_login_count", "locked_until", "last_login"])
        record("accounts.login.success", actor=user, obj=user, org_unit=user.unit_id, after={"channel": channel})
    return user


def logout_user(request, reason: str = "user") -> None:
    """End the session of `request` (reasons: user, idle, frozen, inactive), audited as accounts.logout."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        with transaction.atomic():
            record("accounts.logout", actor=user, obj=user, org_unit=user.unit_id, after={"reason": reason})
    django_logout(request)


def password_change_required(user) -> bool:
    """The user must change the password now: the initial one (S0-22), or an administrator's older than 90 days."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.must_change_password:
        return True
    if is_administrator(user):
        changed = user.password_changed_at or user.date_joined
        max_age = dt.timedelta(days=settings.LVZHI_ADMIN_PASSWORD_MAX_AGE_DAYS)
        return changed is not None and timezone.now() - changed > max_age
    return False


@transaction.atomic
def change_own_password(*, user: User, current_password: str, new_password: str, keep_token=None) -> None:
    """The user changes their own password: the current one is asked, the policy applies; other tokens revoked."""
    if not user.check_password(current_password or ""):
        raise WrongPassword()
    if user.check_password(new_password or ""):
        raise ValidationFailed(_("The new password must differ from the current one."), code="weak_password")
    from .services import change_password

    change_password(user=user, new_password=new_password, actor=user, keep_token=keep_token)


# --- API tokens ---------------------------------------------------------------------------------------------------


def token_digest(raw: str) -> str:
    return sm3_hmac_hex("api-token:" + raw)


@transaction.atomic
def issue_token(*, actor: User, user: User, device: str = "") -> tuple[ApiToken, str]:
    """A new bearer token for `user`. Returns the row and the raw token (shown once, never stored)."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=clean_text(device, field="device", max_length=100, label=_("The device name"), required=False),
        prefix=raw[:TOKEN_PREFIX_LENGTH],
        digest=token_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=settings.LVZHI_API_TOKEN_DAYS),
    )
    token.save()
    record(
        "accounts.token.issue",
        actor=actor,
        obj=user,
        org_unit=user.unit_id,
        after={"token": token.pk, "prefix": token.prefix, "device": token.name},
    )
    return token, raw


def authenticate_token(raw: str) -> ApiToken:
    """The live token for `raw` with its user (and unit) loaded, or TokenInvalid. Touches last_used_at once a minute."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        raise TokenInvalid()
    token = (
        ApiToken.objects.select_related("user", "user__unit", "user__unit__body")
        .filter(digest=token_digest(raw))
        .first()
    )
    now = timezone.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise TokenInvalid()
    if not constant_time_equal(token.digest, token_digest(raw)):  # pragma: no cover (defence in depth)
        raise TokenInvalid()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOKEN_TOUCH_SECONDS:
        # A usage timestamp, not a business change: no audit row.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_tokens(user: User):
    """The user's live tokens, newest first (selector)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at", "-id"
    )


def access_token(user: User, token_id) -> ApiToken:
    """One of the user's own live tokens; another user's or a missing one is NotFound."""
    from lvzhi.core.errors import NotFound

    try:
        token_id = int(token_id)
    except (TypeError, ValueError):
        raise NotFound()
    token = user_tokens(user).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token


@transaction.atomic
def revoke_token(*, actor: User, token: ApiToken, reason: str = "revoke") -> None:
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        record(
            "accounts.token.revoke",
            actor=actor,
            obj=token.user,
            org_unit=token.user.unit_id,
            after={"token": token.pk, "prefix": token.prefix, "reason": reason},
        )


def revoke_all_tokens(*, actor, user: User, reason: str, keep=None) -> int:
    """Revoke every live token of `user` but `keep` (inside the caller's transaction); audited when any was live."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    if keep is not None:
        live = live.exclude(pk=keep.pk)
    count = live.update(revoked_at=timezone.now())
    if count:
        record(
            "accounts.token.revoke_all",
            actor=actor,
            obj=user,
            org_unit=user.unit_id,
            after={"count": count, "reason": reason},
        )
    return count


# --- forgotten password: SMS codes (S0-23) ------------------------------------------------------------------------


def _code_digest(phone: str, code: str) -> str:
    return sm3_hmac_hex(f"sms-code:{SmsCode.Purpose.RESET_PASSWORD}:{phone}:{code}")


def _reset_code_rates() -> None:
    """Per-IP (an hour) and global (a minute) limits on reset codes, in the shared cache, besides the per-number ones:
    one address cannot walk through many numbers, and everyone together cannot flood the SMS gateway."""
    from lvzhi.audit.services import current_ip

    ip = current_ip.get()
    if ip and hit(f"lvzhi:sms-ip:{ip}", window_seconds=3600) > settings.LVZHI_SMS_PER_IP_HOUR:
        raise RateLimited(_("Too many codes were asked for from your network; please try again later."))
    minute = int(timezone.now().timestamp() // 60)
    if hit(f"lvzhi:sms-all:{minute}", window_seconds=120) > settings.LVZHI_SMS_GLOBAL_PER_MINUTE:
        raise RateLimited(_("Too many codes are being asked for just now; please try again in a minute."))


def request_reset_code(*, phone: str) -> None:
    """Send a 6-digit code to `phone` if it belongs to an active account; the caller learns nothing either way.

    The limits (one a minute, ten a day) count the requests for the number, registered or not, so that they do
    not reveal whether it is registered either.
    """
    from .models.user import phone_validator

    phone = (phone or "").strip()
    try:
        phone_validator(phone)
    except ValidationError:
        raise ValidationFailed(_("Enter an 11-digit mainland mobile number."), code="invalid_phone")
    _reset_code_rates()
    now = timezone.now()
    with transaction.atomic():
        # Serialise requests for one number on the user row when there is one.
        user = User.objects.select_for_update().filter(phone=phone).first()
        recent = SmsCode.objects.filter(phone=phone, purpose=SmsCode.Purpose.RESET_PASSWORD)
        last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
        if last is not None and (now - last).total_seconds() < settings.LVZHI_SMS_INTERVAL_SECONDS:
            raise RateLimited(_("A code was sent a moment ago; please wait a minute before asking again."))
        if recent.filter(created_at__gte=start_of_day(local_date(now))).count() >= settings.LVZHI_SMS_PER_DAY:
            raise RateLimited(_("Too many codes for this number today; please try again tomorrow."))
        code = f"{secrets.randbelow(10**6):06d}"
        row = SmsCode.objects.create(
            phone=phone,
            purpose=SmsCode.Purpose.RESET_PASSWORD,
            code_digest=_code_digest(phone, code),
            created_at=now,
            expires_at=now + dt.timedelta(minutes=settings.LVZHI_SMS_CODE_MINUTES),
        )
        # Older unused codes of the number stop working: only the newest one counts.
        recent.filter(used_at__isnull=True).exclude(pk=row.pk).update(used_at=now)
        known = user is not None and user.is_active and not user.is_frozen
        record(
            "accounts.password.reset_code",
            actor=user if known else None,
            obj=user if known else None,
            org_unit=user.unit_id if known else None,
            after={"phone": mask_phone(phone), "sent": known},
        )
        if known:
            send_sms(
                phone=phone,
                text=_("Lvzhi verification code %(code)s, valid for %(minutes)d minutes. Do not tell anyone.")
                % {"code": code, "minutes": settings.LVZHI_SMS_CODE_MINUTES},
            )


def reset_password_with_code(*, phone: str, code: str, new_password: str) -> User:
    """Check the SMS code (valid 5 minutes, 5 tries) and set a new password under the policy; revokes API tokens."""
    phone = (phone or "").strip()
    code = (code or "").strip()
    now = timezone.now()
    row = (
        SmsCode.objects.filter(phone=phone, purpose=SmsCode.Purpose.RESET_PASSWORD, used_at__isnull=True)
        .order_by("-created_at")
        .first()
        if phone
        else None
    )
    if row is None or row.expires_at <= now or row.attempts >= settings.LVZHI_SMS_CODE_TRIES:
        raise CodeInvalid()
    if not (code.isdigit() and len(code) == 6 and constant_time_equal(row.code_digest, _code_digest(phone, code))):
        with transaction.atomic():
            SmsCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        raise CodeInvalid()
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise CodeInvalid()
    try:
        validate_password(new_password or "", user)
    except ValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), code="weak_password")
    with transaction.atomic():
        if not SmsCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now):
            raise CodeInvalid()
        user.set_password(new_password)
        user.must_change_password = False
        user.password_changed_at = now
        user.failed_login_count = 0
        user.locked_until = None
        user.save(
            update_fields=[
                "password",
                "must_change_password",
                "password_changed_at",
                "failed_login_count",
                "locked_until",
            ]
        )
        PasswordHistory.objects.create(user=user, password=user.password)
        record("accounts.password.reset", actor=user, obj=user, org_unit=user.unit_id, after={"via": "sms"})
        revoke_all_tokens(actor=user, user=user, reason="password_reset")
    return user


# --- the administrators' second factor (TOTP) ---------------------------------------------------------------------


def confirmed_totp_device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


@transaction.atomic
def start_totp_enrolment(*, user: User):
    """The user's unconfirmed TOTP device (created on first call), whose secret the enrolment page shows."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice(user=user, name=_("Authenticator app"), confirmed=False)
        device.save()
        record("accounts.otp.enrol_start", actor=user, obj=user, org_unit=user.unit_id)
    return device


def _otp_failure(user: User, event: str) -> None:
    until = _register_failure(user, reason=event, channel="otp")
    if until is not None:
        raise AccountLocked(_lock_message(until))
    raise OtpInvalid()


def confirm_totp_enrolment(*, user: User, token: str):
    """Confirm the unconfirmed device with a code from the app; returns the now confirmed device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    token = (token or "").strip()
    if device is None or not (token.isdigit() and device.verify_token(token)):
        _otp_failure(user, "otp_enrol")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        User.objects.filter(pk=user.pk).update(failed_login_count=0)
        record("accounts.otp.enrol", actor=user, obj=user, org_unit=user.unit_id, after={"device": device.pk})
    return device


def verify_totp(*, user: User, token: str):
    """Check a code against the user's confirmed device; returns the device. Failures count towards the lockout."""
    device = confirmed_totp_device(user)
    token = (token or "").strip()
    if device is None or not (token.isdigit() and device.verify_token(token)):
        _otp_failure(user, "otp_verify")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=0)
        record("accounts.otp.verify", actor=user, obj=user, org_unit=user.unit_id, after={"device": device.pk})
    return device
