"""Finding 3: a password change (API or web) revokes every other API token and ends every other session."""

import json

import pytest
from django.test import Client

from lvzhi.accounts.models import ApiToken
from lvzhi.audit.models import AuditEvent
from lvzhi.testing import PASSWORD, login

from .conftest import api_login, bearer

pytestmark = pytest.mark.django_db
NEW = "Xin@2026mima"


def _me(token):
    return Client().get("/api/v1/me", **bearer(token)).status_code


@pytest.mark.req("S2-34", "S0-23")
def test_changing_the_password_through_the_api_revokes_the_other_tokens_and_sessions(member):
    phone, pad = api_login(Client(), member, device="手机"), api_login(Client(), member, device="平板")
    browser = Client()
    login(browser, member)
    assert browser.get("/accounts/profile/").status_code == 200
    response = Client().post(
        "/api/v1/auth/password",
        data=json.dumps({"current_password": PASSWORD, "new_password": NEW}),
        content_type="application/json",
        **bearer(phone),
    )
    assert response.status_code == 204
    assert _me(phone) == 200  # the device that made the change keeps working
    assert _me(pad) == 401
    assert ApiToken.objects.filter(user=member, revoked_at__isnull=True).count() == 1
    assert browser.get("/accounts/profile/").status_code == 302  # the other session ended
    event = AuditEvent.objects.filter(event="accounts.token.revoke_all").latest("id")
    assert event.after == {"count": 1, "reason": "password_change"}


@pytest.mark.req("S2-34", "S0-23")
def test_changing_the_password_on_the_web_revokes_every_token_and_other_sessions(member):
    phone = api_login(Client(), member)
    other_browser = Client()
    login(other_browser, member)
    web = Client()
    login(web, member)
    response = web.post(
        "/accounts/password/change/",
        {"current_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert _me(phone) == 401
    assert not ApiToken.objects.filter(user=member, revoked_at__isnull=True).exists()
    assert web.get("/accounts/profile/").status_code == 200  # this session stays
    assert other_browser.get("/accounts/profile/").status_code == 302
