"""API bearer tokens: issue, authenticate, list, revoke (S0-16).

Kept apart from `auth_services` (logins, resets) and `services` (accounts) so that both can use it without an
import cycle: freezing or deactivating a user revokes their tokens.
"""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex
from lvzhi.core.errors import NotFound
from lvzhi.core.validation import clean_text

from .errors import TokenInvalid
from .models import ApiToken, User

TOKEN_PREFIX_LENGTH = 8
TOKEN_TOUCH_SECONDS = 60


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
        _token_misuse(token, now)
        raise TokenInvalid()
    if not constant_time_equal(token.digest, token_digest(raw)):  # pragma: no cover (defence in depth)
        raise TokenInvalid()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= TOKEN_TOUCH_SECONDS:
        # A usage timestamp, not a business change: no audit row.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def _token_misuse(token: ApiToken | None, now) -> None:
    """Count a dead or unknown token presented; repeated use becomes a security incident (S2-34)."""
    from lvzhi.security.services import note_token_misuse  # security's services use accounts: a genuine cycle

    reason = "unknown" if token is None else "revoked" if token.revoked_at is not None else "expired"
    note_token_misuse(reason=reason, token_id=getattr(token, "pk", None), user=getattr(token, "user", None), now=now)


def user_tokens(user: User):
    """The user's live tokens, newest first (selector)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at", "-id"
    )


def access_token(user: User, token_id) -> ApiToken:
    """One of the user's own live tokens; another user's or a missing one is NotFound."""
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
