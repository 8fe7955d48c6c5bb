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
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.audit.services import current_ip, record
from lvzhi.core import cache as shared_cache
from lvzhi.core import hooks
from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex
from lvzhi.core.errors import RateLimited, ValidationFailed
from lvzhi.core.masking import mask_phone
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.notify.services import send_sms
from lvzhi.orgs.selectors import body_setting
from lvzhi.orgs.settings_registry import bounds_for, default_for
from lvzhi.security.models import Incident
from lvzhi.security.services import raise_incident

from .errors import (
    AccountFrozen,
    AccountInactive,
    AccountLocked,
    AdminApiForbidden,
    CodeInvalid,
    InvalidCredentials,
    OtpInvalid,
    WrongPassword,
)
from .models import PasswordHistory, SmsCode, User
from .models.user import phone_validator
from .permissions import is_administrator, role_codes
from .roles import OPERATOR_ROLES
from .services import change_password

# The API tokens live in `tokens`; re-exported here for callers written before the move.
from .tokens import (  # noqa: E402, F401, I001
    access_token,
    authenticate_token,
    issue_token,
    revoke_all_tokens,
    revoke_token,
    token_digest,
    user_tokens,
)

# --- login, lockout, logout -------------------------------------------------------------------------------------


def _lock_message(until: dt.datetime) -> str:
    when = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    return _("Too many failed attempts: this account is locked until %(time)s.") % {"time": when}


def _unknown_phone_key(phone: str) -> str:
    return "lvzhi:login-fail:" + sm3_hmac_hex(phone)[:32]


def _unknown_phone_failure(phone: str, channel: str) -> None:
    """An unknown number fails like a known one, lockout included, so lockouts reveal no registered numbers."""
    key = _unknown_phone_key(phone)
    cache = shared_cache.store()  # every app server sees the same counter (no state in process memory)
    locked = cache.get(key + ":locked")
    if locked:
        raise AccountLocked(_lock_message(locked))
    User().set_password("x" * 12)  # spend the same hashing time as a real check
    minutes = settings.LVZHI_LOCKOUT_MINUTES
    failures = shared_cache.hit(key, window_seconds=minutes * 60)
    with transaction.atomic():
        record("accounts.login.failure", after={"phone": mask_phone(phone), "reason": "unknown", "channel": channel})
    if failures >= settings.LVZHI_LOCKOUT_ATTEMPTS:
        until = timezone.now() + dt.timedelta(minutes=minutes)
        cache.set(key + ":locked", until, minutes * 60)
        cache.delete(key)
        with transaction.atomic():
            _lockout_incident(subject=None, org_unit=None, channel=channel, until=until, phone=phone)
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
            _lockout_incident(subject=user, org_unit=user.unit_id, channel=channel, until=until)
    return until


def _lockout_incident(*, subject, org_unit, channel: str, until: dt.datetime, phone: str = "") -> None:
    """A lockout is a security incident for the security administrator (S2-34), in the lockout's transaction."""

    detail = {"channel": channel, "until": until.isoformat()}
    if subject is not None:
        detail["user"] = subject.pk
    else:
        detail["phone"] = mask_phone(phone)
    raise_incident(
        kind=Incident.Kind.LOCKOUT,
        severity=Incident.Severity.MEDIUM,
        subject=subject,
        org_unit=org_unit,
        detail=detail,
        key="" if subject is not None else sm3_hmac_hex("lockout:" + phone)[:16],
    )


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
        transaction.on_commit(lambda: hooks.fire("accounts.signed_in", user=user, at=now, channel=channel))
    return user


def logout_user(request, reason: str = "user") -> None:
    """End the session of `request` (reasons: user, idle, frozen, inactive), audited as accounts.logout."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        with transaction.atomic():
            record("accounts.logout", actor=user, obj=user, org_unit=user.unit_id, after={"reason": reason})
    django_logout(request)


PASSWORD_MAX_AGE_KEY = "accounts.password_max_age_days"


def password_max_age_days(user) -> int:
    """The body's password lifetime for its operators (S2-5), kept within its bounds whatever is stored."""

    low, high = bounds_for(PASSWORD_MAX_AGE_KEY)
    value = body_setting(user.unit, PASSWORD_MAX_AGE_KEY) if user.unit_id else default_for(PASSWORD_MAX_AGE_KEY)
    if isinstance(value, bool) or not isinstance(value, int):
        value = default_for(PASSWORD_MAX_AGE_KEY)
    return min(max(value, low), high)


def password_expired(user, now=None) -> bool:
    """An administrator's password older than LVZHI_ADMIN_PASSWORD_MAX_AGE_DAYS, or an operator's older than their
    body's `accounts.password_max_age_days` (30–180, default 90). Members and deputies are not operators."""

    changed = user.password_changed_at or user.date_joined
    if changed is None:
        return False
    age = (now or timezone.now()) - changed
    admin = is_administrator(user)
    if admin and age > dt.timedelta(days=settings.LVZHI_ADMIN_PASSWORD_MAX_AGE_DAYS):
        return True
    if age <= dt.timedelta(days=bounds_for(PASSWORD_MAX_AGE_KEY)[0]):
        return False  # younger than the shortest lifetime a body may set: no need to read the setting
    if not (admin or role_codes(user) & OPERATOR_ROLES):
        return False
    return age > dt.timedelta(days=password_max_age_days(user))


def password_change_required(user) -> bool:
    """The user must change the password now: the initial one (S0-22), or an expired one (S2-5: administrators
    and the units' operators). Web pages redirect to the change form; the API answers `password_change_required`."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.must_change_password:
        return True
    return password_expired(user)


@transaction.atomic
def change_own_password(*, user: User, current_password: str, new_password: str, keep_token=None) -> None:
    """The user changes their own password: the current one is asked, the policy applies; other tokens revoked."""
    if not user.check_password(current_password or ""):
        raise WrongPassword()
    if user.check_password(new_password or ""):
        raise ValidationFailed(_("The new password must differ from the current one."), code="weak_password")
    change_password(user=user, new_password=new_password, actor=user, keep_token=keep_token)


# --- forgotten password: SMS codes (S0-23) ------------------------------------------------------------------------


def _code_digest(phone: str, code: str) -> str:
    return sm3_hmac_hex(f"sms-code:{SmsCode.Purpose.RESET_PASSWORD}:{phone}:{code}")


def _reset_code_rates() -> None:
    """Per-IP (an hour) and global (a minute) limits on reset codes, in the shared cache, besides the per-number ones:
    one address cannot walk through many numbers, and everyone together cannot flood the SMS gateway."""

    ip = current_ip.get()
    if ip and shared_cache.hit(f"lvzhi:sms-ip:{ip}", window_seconds=3600) > settings.LVZHI_SMS_PER_IP_HOUR:
        raise RateLimited(_("Too many codes were asked for from your network; please try again later."))
    minute = int(timezone.now().timestamp() // 60)
    if shared_cache.hit(f"lvzhi:sms-all:{minute}", window_seconds=120) > settings.LVZHI_SMS_GLOBAL_PER_MINUTE:
        raise RateLimited(_("Too many codes are being asked for just now; please try again in a minute."))


def request_reset_code(*, phone: str) -> None:
    """Send a 6-digit code to `phone` if it belongs to an active account; the caller learns nothing either way.

    The limits (one a minute, ten a day) count the requests for the number, registered or not, so that they do
    not reveal whether it is registered either.
    """

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
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


@transaction.atomic
def start_totp_enrolment(*, user: User):
    """The user's unconfirmed TOTP device (created on first call), whose secret the enrolment page shows."""

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
