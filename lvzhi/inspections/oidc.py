"""S1-4.2: single sign-on with the provincial service app as an OpenID Connect client (authorization-code flow with
PKCE S256, state and nonce checked, the ID token verified against the provider's published keys), matching the
platform's user by the provider's **verified** mobile number. Nobody is created: a number without an account here
is refused with a message to ask the information office.

Configuration (settings or environment; off unless issuer, client id and secret are all given):
`LVZHI_OIDC_ISSUER` (e.g. https://sso.example.gov.cn), `LVZHI_OIDC_CLIENT_ID`, `LVZHI_OIDC_CLIENT_SECRET`,
`LVZHI_OIDC_LABEL` (the login button's text), `LVZHI_OIDC_SCOPES` ("openid phone"). The endpoints come from the
issuer's discovery document (`/.well-known/openid-configuration`). Administrators (三员) never sign in this way:
they keep their password and TOTP.
"""

import base64
import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.permissions import is_administrator
from lvzhi.audit.services import record
from lvzhi.core import cache, hooks
from lvzhi.core.crypto import constant_time_equal
from lvzhi.core.errors import PermissionDenied, ValidationFailed

SESSION_KEY = "oidc_flow"
TIMEOUT = 5
FLOW_SECONDS = 600
ALGORITHMS = ["RS256", "ES256", "PS256"]
DISCOVERY_FIELDS = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
DISCOVERY_SECONDS = 3600  # the provider's endpoints change rarely; an hour's delay after a change is acceptable


@dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str
    label: str
    scopes: str


def _setting(name, default=""):
    return str(getattr(settings, name, "") or os.environ.get(name, "") or default)


def config() -> Config | None:
    issuer = _setting("LVZHI_OIDC_ISSUER").rstrip("/")
    client_id, secret = _setting("LVZHI_OIDC_CLIENT_ID"), _setting("LVZHI_OIDC_CLIENT_SECRET")
    if not (issuer and client_id and secret):
        return None
    return Config(
        issuer, client_id, secret, _setting("LVZHI_OIDC_LABEL"), _setting("LVZHI_OIDC_SCOPES", "openid phone")
    )


def _refused(message, code):
    return PermissionDenied(message, code=code)


def _unreachable():
    return _refused(
        _("The provincial sign-in service cannot be reached; log in with your password."), "sso_unavailable"
    )


def discovery(cfg: Config) -> dict:
    """The issuer's discovery document, fetched once per `DISCOVERY_SECONDS` for every app server (the shared
    cache, `lvzhi.core.cache.kept`); a failed or foreign answer is never kept."""
    return cache.kept(discovery_key(cfg), lambda: _fetch_discovery(cfg), timeout=DISCOVERY_SECONDS)


def discovery_key(cfg: Config) -> tuple:
    return ("oidc.discovery", hashlib.sha256(cfg.issuer.encode()).hexdigest()[:24])


def _fetch_discovery(cfg: Config) -> dict:
    try:
        response = requests.get(f"{cfg.issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
        response.raise_for_status()
        doc = response.json()
    except (requests.RequestException, ValueError):
        raise _unreachable() from None
    if not isinstance(doc, dict) or not all(isinstance(doc.get(k), str) for k in DISCOVERY_FIELDS):
        raise _unreachable()
    if doc["issuer"].rstrip("/") != cfg.issuer:
        raise _refused(_("The provincial sign-in service answered for another issuer."), "sso_issuer_mismatch")
    return {k: doc[k] for k in DISCOVERY_FIELDS}


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode("ascii")


def begin(session, *, redirect_uri: str, next_url: str = "") -> str:
    """Start a sign-in: keep state, nonce and the PKCE verifier in the session; return the provider's URL."""
    cfg = config()
    if cfg is None:
        raise _refused(_("Single sign-on is not configured."), "sso_not_configured")
    doc = discovery(cfg)
    flow = {
        "state": secrets.token_urlsafe(32),
        "nonce": secrets.token_urlsafe(32),
        "verifier": secrets.token_urlsafe(64),
        "redirect_uri": redirect_uri,
        "next": next_url,
        "started": time.time(),
    }
    session[SESSION_KEY] = flow
    query = {
        "response_type": "code",
        "client_id": cfg.client_id,
        "redirect_uri": redirect_uri,
        "scope": cfg.scopes,
        "state": flow["state"],
        "nonce": flow["nonce"],
        "code_challenge": _challenge(flow["verifier"]),
        "code_challenge_method": "S256",
    }
    return f"{doc['authorization_endpoint']}?{urlencode(query)}"


def _token(cfg, doc, flow, code) -> str:
    try:
        response = requests.post(
            doc["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": flow["redirect_uri"],
                "client_id": cfg.client_id,
                "client_secret": cfg.client_secret,
                "code_verifier": flow["verifier"],
            },
            timeout=TIMEOUT,
        )
        body = response.json()
    except (requests.RequestException, ValueError):
        raise _unreachable() from None
    if response.status_code != 200 or not body.get("id_token"):
        raise _refused(_("The provincial sign-in service refused the sign-in."), "sso_token_refused")
    return body["id_token"]


def verify_id_token(cfg: Config, doc: dict, token: str, nonce: str) -> dict:
    try:
        key = jwt.PyJWKClient(doc["jwks_uri"], timeout=TIMEOUT).get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=cfg.client_id,
            issuer=cfg.issuer,
            leeway=60,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except (jwt.PyJWTError, KeyError):
        raise _refused(_("The sign-in could not be verified."), "sso_token_invalid") from None
    if not constant_time_equal(str(claims.get("nonce", "")), nonce):
        raise _refused(_("The sign-in could not be verified."), "sso_nonce_mismatch")
    return claims


def _phone(claims) -> str:
    if claims.get("phone_number_verified") is not True:
        raise _refused(_("The provincial service has not verified your mobile number."), "sso_phone_unverified")
    phone = str(claims.get("phone_number", "")).replace(" ", "").replace("-", "")
    for prefix in ("+86", "0086"):
        if phone.startswith(prefix):
            phone = phone[len(prefix) :]
    if len(phone) != 11 or not phone.isdigit():
        raise _refused(_("The provincial service sent no usable mobile number."), "sso_phone_invalid")
    return phone


def complete(session, *, state: str, code: str, error: str = "") -> tuple[User, str]:
    """Finish a sign-in: check state, exchange the code (with the PKCE verifier), verify the ID token and its
    nonce, find the user by the verified phone. Returns (user, next URL). Audited either way."""
    cfg = config()
    flow = session.pop(SESSION_KEY, None)
    if cfg is None:
        raise _refused(_("Single sign-on is not configured."), "sso_not_configured")
    if not flow or time.time() - flow.get("started", 0) > FLOW_SECONDS:
        raise ValidationFailed(
            _("The sign-in took too long or was not started here; try again."), code="sso_state_missing"
        )
    if not state or not constant_time_equal(state, flow["state"]):
        raise ValidationFailed(_("The sign-in could not be verified."), code="sso_state_mismatch")
    if error or not code:
        raise _refused(_("The sign-in was cancelled at the provincial service."), "sso_cancelled")
    doc = discovery(cfg)
    claims = verify_id_token(cfg, doc, _token(cfg, doc, flow, code), flow["nonce"])
    phone = _phone(claims)
    user = User.objects.select_related("unit").filter(phone=phone).first()
    if user is None or not user.is_active or user.is_frozen or is_administrator(user):
        record("accounts.login.sso_refused", after={"sub_length": len(str(claims.get("sub", ""))), "known": bool(user)})
        raise _refused(
            _("No account here has this mobile number; please ask the information office to open one."),
            "sso_no_account",
        )
    now = timezone.now()
    with transaction.atomic():
        user.last_login = now
        user.save(update_fields=["last_login"])
        record("accounts.login.success", actor=user, obj=user, org_unit=user.unit_id, after={"channel": "oidc"})
        transaction.on_commit(lambda: hooks.fire("accounts.signed_in", user=user, at=now, channel="oidc"))
    return user, flow.get("next", "")
