"""S1-4.2: single sign-on against a local fake OpenID provider (a test server on 127.0.0.1 that signs ID tokens
with a test RSA key, checks the PKCE verifier and the client secret)."""

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from freezegun import freeze_time
from jwt.algorithms import RSAAlgorithm

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core import cache
from lvzhi.inspections import oidc
from lvzhi.testing import make_body, make_user

pytestmark = pytest.mark.django_db
CLIENT_ID, SECRET = "lvzhi-test", "s3cret-for-tests"


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.codes = {}
        self.claims = {}  # overrides for the next token
        self.sign_with_other_key = False
        self.discovery_fetches = 0
        self.discovery_issuer = None  # None: its own
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def authorize(self, url, *, phone="13900002501", verified=True):
        """What the user's browser does at the provider: log in there and come back with a code."""
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        code = f"code-{len(self.codes)}"
        self.codes[code] = {**query, "phone": phone, "verified": verified}
        return code, query

    def handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    provider.discovery_fetches += 1
                    return self._json(200, {
                        "issuer": provider.discovery_issuer or provider.issuer,
                        "authorization_endpoint": f"{provider.issuer}/authorize",
                        "token_endpoint": f"{provider.issuer}/token",
                        "jwks_uri": f"{provider.issuer}/jwks",
                    })  # fmt: skip
                if self.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    return self._json(200, {"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
                return self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                grant = provider.codes.pop(form.get("code", ""), None)
                if grant is None or form.get("client_secret") != SECRET or form.get("client_id") != CLIENT_ID:
                    return self._json(400, {"error": "invalid_grant"})
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                    return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                if form.get("redirect_uri") != grant["redirect_uri"]:
                    return self._json(400, {"error": "invalid_grant"})
                now = int(time.time())
                claims = {"iss": provider.issuer, "aud": CLIENT_ID, "sub": "u-1", "iat": now, "exp": now + 300,
                          "nonce": grant["nonce"], "phone_number": "+86" + grant["phone"],
                          "phone_number_verified": grant["verified"], **provider.claims}  # fmt: skip
                key = provider.other_key if provider.sign_with_other_key else provider.key
                token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
                return self._json(200, {"id_token": token, "access_token": "at", "token_type": "Bearer"})

        return Handler


@pytest.fixture
def provider(settings):
    p = Provider()
    settings.LVZHI_OIDC_ISSUER = p.issuer
    settings.LVZHI_OIDC_CLIENT_ID = CLIENT_ID
    settings.LVZHI_OIDC_CLIENT_SECRET = SECRET
    settings.LVZHI_OIDC_LABEL = ""
    yield p
    p.server.shutdown()


@pytest.fixture
def user(db):
    body = make_body("江海市人民政府")
    return make_user(body, roles=[Role.STAFF], phone="13900002501", real_name="单点用户")


def _start(client, nxt=""):
    response = client.get("/sso/oidc/start/" + (f"?next={nxt}" if nxt else ""))
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.req("S1-4.2")
def test_sign_in_by_verified_phone_with_pkce_state_and_nonce(client, provider, user):
    login_page = client.get("/accounts/login/").content.decode()
    assert 'data-testid="sso-login"' in login_page
    url = _start(client, "/inspections/")
    code, query = provider.authorize(url)
    assert query["code_challenge_method"] == "S256" and query["state"] and query["nonce"]
    assert query["redirect_uri"] == "http://testserver/sso/oidc/callback/" and "code_verifier" not in query
    response = client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]})
    assert response.status_code == 302 and response["Location"] == "/inspections/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(event="accounts.login.success", after__channel="oidc").count() == 1


@pytest.mark.req("S1-4.2")
def test_the_button_shows_only_when_configured(client, db):
    assert 'data-testid="sso-login"' not in client.get("/accounts/login/").content.decode()
    response = client.get("/sso/oidc/start/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _refused(client, response):
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


@pytest.mark.req("S1-4.2")
def test_refusals_never_create_a_user(client, provider, user):
    users = User.objects.count()
    # an unknown number: refused, nobody created
    code, query = provider.authorize(_start(client), phone="13900002599")
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]}))
    # an unverified number
    code, query = provider.authorize(_start(client), verified=False)
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]}))
    # a forged state
    code, query = provider.authorize(_start(client))
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": "forged"}))
    # the callback replayed after the flow was used
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]}))
    # a token with another nonce
    provider.claims = {"nonce": "another"}
    code, query = provider.authorize(_start(client))
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]}))
    provider.claims = {}
    # a token signed by another key
    provider.sign_with_other_key = True
    code, query = provider.authorize(_start(client))
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]}))
    provider.sign_with_other_key = False
    # a token for another client
    provider.claims = {"aud": "someone-else"}
    code, query = provider.authorize(_start(client))
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]}))
    provider.claims = {}
    # an administrator keeps password and TOTP
    admin = make_user(user.unit, roles=[(Role.SYSADMIN, user.unit, True)], phone="13900002502")
    code, query = provider.authorize(_start(client), phone=admin.phone)
    _refused(client, client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]}))
    assert User.objects.count() == users + 1  # only the administrator made above
    assert AuditEvent.objects.filter(event="accounts.login.sso_refused").count() == 2


def _sign_in(client, provider, user):
    code, query = provider.authorize(_start(client))
    response = client.get("/sso/oidc/callback/", {"code": code, "state": query["state"]})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    client.logout()


@pytest.mark.req("S1-4.2")
def test_the_discovery_document_is_fetched_once_and_kept_in_the_shared_cache(client, provider, user):
    with freeze_time("2026-11-02 09:00:00", tick=True) as clock:
        _sign_in(client, provider, user)
        _sign_in(client, provider, user)
        assert provider.discovery_fetches == 1  # start and callback of two sign-ins: one fetch
        assert oidc.discovery(oidc.config())["token_endpoint"] == f"{provider.issuer}/token"
        assert provider.discovery_fetches == 1
        # expired after DISCOVERY_SECONDS: fetched anew
        clock.move_to("2026-11-02 10:00:30")
        _sign_in(client, provider, user)
        assert provider.discovery_fetches == 2
        # a foreign answer is refused and never kept: the next sign-in asks again
        cache.forget(oidc.discovery_key(oidc.config()))  # what the shared store keeps, dropped for every process
        provider.discovery_issuer = "http://127.0.0.1:1/another"
        _refused(client, client.get("/sso/oidc/start/"))
        _refused(client, client.get("/sso/oidc/start/"))
        assert provider.discovery_fetches == 4
        provider.discovery_issuer = None
        _sign_in(client, provider, user)
        assert provider.discovery_fetches == 5
