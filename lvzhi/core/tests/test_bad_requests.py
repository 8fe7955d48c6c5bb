"""Findings 7, 9 and 12 (body size): requests no view should see get a clear 400/413, JSON under /api/, a Chinese page
elsewhere — never a 500 (NUL bytes break PostgreSQL; a bad Host header used to crash the headers middleware)."""

import json

import pytest

from lvzhi.testing import login, make_body, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    body = make_body()
    return make_user(body, roles=["member"], real_name="金文博")


@pytest.mark.req("S2-34", "S2-22")
def test_nul_in_the_token_phone_is_refused_without_login(client):
    response = client.post(
        "/api/v1/auth/token",
        data=json.dumps({"phone": "1380000000\u0000", "password": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"


@pytest.mark.req("S2-34", "S2-22")
@pytest.mark.parametrize(
    "url", ["/opinions/queue/?q=a%00", "/proposals/office/?q=a%00", "/content/search/?q=a%00", "/x%00/"]
)
def test_nul_in_a_page_query_is_a_chinese_400_page(client, member, url):
    login(client, member)
    response = client.get(url)
    assert response.status_code == 400
    assert "不允许" in response.content.decode()


@pytest.mark.req("S2-34", "S2-22")
@pytest.mark.parametrize("url", ["/api/v1/opinions/queue?q=a%00", "/api/v1/proposals/mine?q=%00"])
def test_nul_in_an_api_query_is_json(client, member, url):
    login(client, member)
    response = client.get(url)
    assert response.status_code == 400 and response.json()["code"] == "nul_character"


@pytest.mark.req("S2-34", "S2-22")
def test_nul_in_form_fields_and_json_bodies(client, member):
    login(client, member)
    response = client.post("/proposals/new/", {"title": "标题\x00", "content": "x"})
    assert response.status_code == 400 and "不允许" in response.content.decode()
    body = {"title": "标题", "content": "内容", "cosigner_ids": [], "keywords": ["a\u0000"]}
    response = client.post("/api/v1/proposals", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "nul_character"
    # An escaped backslash before "u0000" is ordinary text, not a NUL.
    response = client.post(
        "/api/v1/auth/token", data=json.dumps({"phone": "\\u0000", "password": "x"}), content_type="application/json"
    )
    assert response.json()["code"] != "nul_character"


@pytest.mark.req("S2-34", "S2-22")
def test_nul_in_a_header_or_cookie(client):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer abc\x00def")
    assert response.status_code == 400 and response.json()["code"] == "nul_character"


@pytest.mark.req("S2-34")
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/me"])
def test_a_bad_host_header_is_400_not_500(client, path):
    response = client.get(path, HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response.json()["code"] == "bad_host"
    else:
        assert "Host" in response.content.decode()


@pytest.mark.req("S2-34")
def test_a_json_body_above_the_limit_is_a_json_413(client, member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    login(client, member)
    big = json.dumps({"title": "长" * (1024 * 1024), "content": "x"})
    response = client.post("/api/v1/proposals", data=big, content_type="application/json")
    assert response.status_code == 413 and response.json()["code"] == "request_too_large"


@pytest.mark.req("S2-34")
def test_a_refused_csrf_check_under_the_api_is_json_not_html(db):
    """Found by the schemathesis run: a POST with a bad token and no CSRF cookie answered Django's HTML 403."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/inbox/-236675844360/read", HTTP_AUTHORIZATION="Bearer nonsense")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "csrf_failed"
    page = client.post("/accounts/login/", {"phone": "13800000000", "password": "x"})
    assert page.status_code == 403 and "请重新加载" in page.content.decode()
