import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.testing import login, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.req("S2-37")
def test_a_user_idle_for_more_than_thirty_minutes_is_logged_out(client, member):
    start = timezone.now()
    with freeze_time(start) as frozen:
        login(client, member)
        assert client.get("/").status_code == 200
        frozen.tick(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity restarts the clock
        frozen.tick(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        frozen.tick(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/accounts/login/?idle=1"
        assert "_auth_user_id" not in client.session
        assert client.get("/").status_code == 302
    event = AuditEvent.objects.get(event="accounts.logout")
    assert event.actor_id == member.pk and event.after == {"reason": "idle"}
    notice = client.get("/accounts/login/?idle=1")
    assert notice.status_code == 200 and "accounts-notice" in notice.content.decode()


@pytest.mark.req("S2-37", "S0-25")
def test_an_administrator_is_logged_out_after_ten_idle_minutes(client, office):
    admin = make_user(office, roles=[Role.SYSADMIN])
    start = timezone.now()
    with freeze_time(start) as frozen:
        login(client, admin)
        assert client.get("/").status_code == 200
        frozen.tick(dt.timedelta(minutes=9))
        assert client.get("/").status_code == 200
        frozen.tick(dt.timedelta(minutes=11))
        response = client.get("/")
        assert response.status_code == 302 and "idle=1" in response["Location"]
    assert AuditEvent.objects.filter(event="accounts.logout", actor=admin, after__reason="idle").exists()


@pytest.mark.req("S2-37")
def test_an_idle_session_cannot_use_the_api_either(client, member):
    start = timezone.now()
    with freeze_time(start) as frozen:
        login(client, member)
        assert client.get("/api/v1/me").status_code == 200
        frozen.tick(dt.timedelta(minutes=31))
        response = client.get("/api/v1/me")
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
