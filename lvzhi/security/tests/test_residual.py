"""Residual information (S2-34, 等保2.0 剩余信息保护): logging out, idle expiry and session expiry remove the
server-side session data, not only the cookie."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.core.tick import run_tick
from lvzhi.testing import login, make_body, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    body = make_body("会话市政协")
    return make_user(make_unit(body, "办公厅"), roles=["staff"], real_name="会话甲")


def _stored(key) -> bool:
    """Is anything of the session left in the store (database rows or the cache, whichever backend is used)?"""
    return (
        Session.objects.filter(session_key=key).exists() or cache.get(f"django.contrib.sessions.cache{key}") is not None
    )


@pytest.mark.req("S2-34")
def test_logout_deletes_the_session_row(client, user):
    login(client, user)
    key = client.session.session_key
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(user.pk)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert not _stored(key)
    assert client.cookies["sessionid"].value == ""  # the cookie is cleared as well
    assert client.get("/").status_code == 302  # and the old key does not log anyone in


@pytest.mark.req("S2-34", "S2-37")
def test_idle_logout_deletes_the_session_row(client, user):
    start = timezone.now()
    with freeze_time(start) as frozen:
        login(client, user)
        key = client.session.session_key
        assert _stored(key)
        frozen.tick(dt.timedelta(minutes=settings.LVZHI_IDLE_MINUTES + 1))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/accounts/login/?idle=1"
    assert not _stored(key)


@pytest.mark.req("S2-34")
def test_expired_sessions_are_deleted_by_the_tick(client, user):
    start = timezone.now()
    with freeze_time(start):
        login(client, user)
        key = client.session.session_key
    other = make_user(user.unit, roles=["staff"], real_name="会话乙")
    with freeze_time(start + dt.timedelta(hours=11)):
        from django.test import Client

        fresh = Client()
        login(fresh, other)
        fresh_key = fresh.session.session_key
    later = start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    with freeze_time(later):
        results = run_tick(later, only=["security.clear_expired_sessions"])
    assert not str(results["security.clear_expired_sessions"]).startswith("error")
    assert not _stored(key)  # the browser was closed without logging out: the row still goes
    assert _stored(fresh_key)  # a live session stays
