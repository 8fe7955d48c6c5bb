import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts import services
from lvzhi.accounts.models import ApiToken, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.notify.services import notify
from lvzhi.testing import PASSWORD, login, make_user

from .conftest import api_login, bearer

pytestmark = pytest.mark.django_db

JSON = "application/json"


def token_request(client, phone, password, device="iPhone"):
    return client.post(
        "/api/v1/auth/token", {"phone": phone, "password": password, "device": device}, content_type=JSON
    )


@pytest.mark.req("S3-14", "S2-34")
def test_a_token_is_random_stored_only_as_a_digest_and_answers_me(client, member, body):
    response = token_request(client, member.phone, PASSWORD)
    assert response.status_code == 200
    data = response.json()
    raw = data["token"]
    assert len(raw) >= 43 and data["must_change_password"] is False
    row = ApiToken.objects.get(user=member)
    assert raw not in (row.digest, row.prefix) and row.prefix == raw[:8] and len(row.digest) == 64
    assert row.name == "iPhone"
    assert row.expires_at - timezone.now() > dt.timedelta(days=29)
    me = client.get("/api/v1/me", **bearer(raw)).json()
    assert me["real_name"] == "王委员" and me["phone"] == member.masked_phone
    assert me["unit"] == {"id": body.pk, "name": body.name}
    assert me["body"] == {"id": body.pk, "name": body.name, "type": "cppcc", "level": "city"}
    assert me["roles"][0]["role"] == "member" and me["roles"][0]["unit_name"] == body.name
    assert AuditEvent.objects.filter(event="accounts.login.success", after__channel="api").exists()


@pytest.mark.req("S3-14", "S2-37")
def test_the_api_login_has_the_same_lockout_and_answers(client, member):
    assert token_request(client, "13999999999", "Wrong@123x").json()["code"] == "invalid_credentials"
    for _ in range(4):
        assert token_request(client, member.phone, "Wrong@123x").json()["code"] == "invalid_credentials"
    locked = token_request(client, member.phone, "Wrong@123x")
    assert locked.status_code == 403 and locked.json()["code"] == "locked"
    assert token_request(client, member.phone, PASSWORD).json()["code"] == "locked"
    assert not ApiToken.objects.exists()


@pytest.mark.req("S3-14", "S0-24")
def test_a_frozen_user_gets_no_token(client, member):
    User.objects.filter(pk=member.pk).update(is_frozen=True)
    response = token_request(client, member.phone, PASSWORD)
    assert response.status_code == 403 and response.json()["code"] == "frozen"


@pytest.mark.req("S3-14")
def test_an_expired_token_is_refused(client, member):
    token = api_login(client, member)
    with freeze_time(timezone.now() + dt.timedelta(days=31)):
        response = client.get("/api/v1/me", **bearer(token))
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer ", "Token abc", "Bearer " + "x" * 5000, "Basic Zm9vOmJhcg=="]
)
@pytest.mark.req("S3-14")
def test_malformed_tokens_are_refused(client, header):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"


@pytest.mark.req("S3-14")
def test_no_credentials_at_all(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.req("S3-14")
def test_last_used_is_updated_at_most_once_a_minute(client, member):
    token = api_login(client, member)
    start = timezone.now()
    with freeze_time(start) as frozen:
        client.get("/api/v1/me", **bearer(token))
        first = ApiToken.objects.get(user=member).last_used_at
        frozen.tick(dt.timedelta(seconds=30))
        client.get("/api/v1/me", **bearer(token))
        assert ApiToken.objects.get(user=member).last_used_at == first
        frozen.tick(dt.timedelta(seconds=31))
        client.get("/api/v1/me", **bearer(token))
        assert ApiToken.objects.get(user=member).last_used_at > first


@pytest.mark.req("S3-14")
def test_list_and_revoke_own_tokens_and_another_users_is_not_found(client, member, body):
    phone_token = api_login(client, member, device="手机")
    pad_token = api_login(client, member, device="平板")
    other = make_user(body, roles=[Role.MEMBER])
    other_token = api_login(client, other)
    rows = client.get("/api/v1/auth/tokens", **bearer(phone_token)).json()
    assert [r["device"] for r in rows] == ["平板", "手机"]
    assert [r["current"] for r in rows] == [False, True]
    assert "digest" not in rows[0] and "token" not in rows[0]
    other_id = ApiToken.objects.get(user=other).pk
    response = client.delete(f"/api/v1/auth/tokens/{other_id}", **bearer(phone_token))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/v1/me", **bearer(other_token)).status_code == 200
    pad_id = ApiToken.objects.get(user=member, name="平板").pk
    assert client.delete(f"/api/v1/auth/tokens/{pad_id}", **bearer(phone_token)).status_code == 204
    assert client.get("/api/v1/me", **bearer(pad_token)).status_code == 401
    assert client.delete(f"/api/v1/auth/tokens/{pad_id}", **bearer(phone_token)).status_code == 404
    assert client.delete("/api/v1/auth/tokens/99999999", **bearer(phone_token)).status_code == 404
    assert AuditEvent.objects.filter(event="accounts.token.revoke", actor=member).count() == 1


@pytest.mark.req("S3-14", "S2-37")
def test_logout_revokes_the_current_token_only(client, member):
    one = api_login(client, member)
    two = api_login(client, member)
    assert client.post("/api/v1/auth/logout", **bearer(one)).status_code == 204
    assert client.get("/api/v1/me", **bearer(one)).status_code == 401
    assert client.get("/api/v1/me", **bearer(two)).status_code == 200
    assert AuditEvent.objects.filter(event="accounts.logout", after__reason="api").exists()


@pytest.mark.req("S0-22", "S3-14", "S2-5")
def test_must_change_password_allows_only_the_password_endpoint(client, body):
    user = make_user(body, roles=[Role.MEMBER], must_change_password=True)
    data = token_request(client, user.phone, PASSWORD).json()
    assert data["must_change_password"] is True
    token = data["token"]
    for method, path in (("get", "/api/v1/me"), ("get", "/api/v1/auth/tokens"), ("post", "/api/v1/auth/logout")):
        response = getattr(client, method)(path, **bearer(token))
        assert response.status_code == 403 and response.json()["code"] == "password_change_required", path
    weak = client.post(
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "weak"},
        content_type=JSON,
        **bearer(token),
    )
    assert weak.status_code == 400 and weak.json()["code"] == "weak_password"
    wrong = client.post(
        "/api/v1/auth/password",
        {"current_password": "Bad@123456", "new_password": "Xin@mima2026"},
        content_type=JSON,
        **bearer(token),
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_password"
    ok = client.post(
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "Xin@mima2026"},
        content_type=JSON,
        **bearer(token),
    )
    assert ok.status_code == 204
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    assert User.objects.get(pk=user.pk).check_password("Xin@mima2026")


@pytest.mark.parametrize(
    ("body_text", "status", "code"),
    [
        ("{not json", 400, "error"),  # not JSON at all: ninja refuses the body before any schema
        ("[]", 422, "validation_failed"),
        ('{"phone": 1}', 422, "validation_failed"),
        ('{"phone": "13800000000"}', 422, "validation_failed"),  # no password
        ('{"phone": "' + "1" * 100 + '", "password": "x"}', 422, "validation_failed"),
    ],
)
@pytest.mark.req("S3-14", "S2-34")
def test_malformed_input_is_a_4xx_with_a_code(client, body_text, status, code):
    response = client.post("/api/v1/auth/token", body_text, content_type=JSON)
    assert response.status_code == status
    assert response.json()["code"] == code and response.json()["message"]
    assert not ApiToken.objects.exists()


@pytest.mark.req("S3-14")
def test_the_session_cookie_works_as_a_fallback_with_csrf(member):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    login_page = browser.get("/accounts/login/")
    csrf = login_page.cookies["csrftoken"].value
    browser.post("/accounts/login/", {"phone": member.phone, "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    assert browser.get("/api/v1/me").json()["real_name"] == "王委员"
    refused = browser.post("/api/v1/auth/logout")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    csrf = browser.cookies["csrftoken"].value
    assert browser.post("/api/v1/auth/logout", HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert browser.get("/api/v1/me").status_code == 401


# --- permission matrix: every endpoint × (anonymous, member, staff, leader, info office, frozen, departed) ----------

ENDPOINTS = [
    ("get", "/api/v1/me"),
    ("get", "/api/v1/auth/tokens"),
    ("delete", "/api/v1/auth/tokens/{own}"),
    ("delete", "/api/v1/auth/tokens/{other}"),
    ("post", "/api/v1/auth/logout"),
]


@pytest.mark.parametrize("method_path", ENDPOINTS, ids=[f"{m} {p}" for m, p in ENDPOINTS])
@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "leader", "info_office", "frozen", "departed"])
@pytest.mark.req("S3-14", "S0-24", "S0-27")
def test_api_permission_matrix(client, body, other_body, who, method_path):
    method, path = method_path
    stranger = make_user(other_body, roles=[Role.MEMBER])
    stranger_token = api_login(client, stranger)
    role = {"member": Role.MEMBER, "staff": Role.STAFF, "leader": Role.LEADER, "info_office": Role.INFO_OFFICE}.get(
        who, Role.MEMBER
    )
    user = make_user(body, roles=[role])
    token = api_login(client, user)
    if who == "frozen":
        User.objects.filter(pk=user.pk).update(is_frozen=True)
    if who == "departed":
        User.objects.filter(pk=user.pk).update(is_active=False)
    own = ApiToken.objects.get(user=user).pk
    other = ApiToken.objects.get(user=stranger).pk
    headers = {} if who == "anonymous" else bearer(token)
    response = getattr(client, method)(path.format(own=own, other=other), **headers)
    if who == "anonymous":
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    elif who == "frozen":
        assert response.status_code == 403 and response.json()["code"] == "frozen"
    elif who == "departed":
        assert response.status_code == 401 and response.json()["code"] == "token_invalid"
    elif "{other}" in path:
        assert response.status_code == 404  # another user's token: as if it did not exist
    else:
        assert response.status_code == (200 if method == "get" else 204)
    assert client.get("/api/v1/me", **bearer(stranger_token)).status_code == 200  # nobody touched the stranger


@pytest.mark.req("S3-14")
def test_me_and_the_token_list_take_a_constant_number_of_queries(client, body, django_assert_max_num_queries):
    user = make_user(body, roles=[Role.MEMBER])
    token = api_login(client, user)
    client.get("/api/v1/me", **bearer(token))
    with django_assert_max_num_queries(6) as small_me:
        client.get("/api/v1/me", **bearer(token))
    me_queries = len(small_me.captured_queries)
    with django_assert_max_num_queries(6) as small_list:
        client.get("/api/v1/auth/tokens", **bearer(token))
    list_queries = len(small_list.captured_queries)
    assert me_queries and list_queries
    for i in range(15):
        api_login(client, user, device=f"设备{i}")
        notify([user], title=f"消息{i}")
    services.grant_role(actor=None, user=user, role=Role.STAFF, unit=body)
    services.grant_role(actor=None, user=user, role=Role.HOTLINE, unit=body)
    with django_assert_max_num_queries(me_queries):
        me = client.get("/api/v1/me", **bearer(token))
    assert me.json()["unread_count"] == 15
    with django_assert_max_num_queries(list_queries):
        rows = client.get("/api/v1/auth/tokens", **bearer(token)).json()
    assert len(rows) == 16


@pytest.mark.req("S3-14")
def test_the_web_profile_lists_tokens_and_revokes_one(client, member):
    api_login(client, member, device="华为手机")
    login(client, member)
    page = client.get("/accounts/profile/").content.decode()
    assert "华为手机" in page
    token = ApiToken.objects.get(user=member)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
