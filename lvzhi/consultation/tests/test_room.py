"""S0-5.3: the room on the deployment's own Jitsi Meet — a short-lived JWT per participant (room, name, moderator
flag, aud/iss/sub, expiry) for the invited only; the meeting page embeds the room from that one origin and its
CSP allows exactly that origin; attendance (joined, left) recorded and passed to the duty records."""

import datetime as dt
import re

import jwt
import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.consultation import services
from lvzhi.consultation.models import Invitation
from lvzhi.consultation.providers import get_provider
from lvzhi.core.errors import NotFound
from lvzhi.duty.models import Record
from lvzhi.testing import login

from .conftest import department_meeting, member_meeting

pytestmark = pytest.mark.req("S0-5.3")
JITSI = "https://meet.lvzhi.example"
SECRET = "s3cret-for-tests-only-0123456789abcdef"


@pytest.fixture
def jitsi(settings):
    settings.LVZHI_VIDEO_PROVIDER = "jitsi"
    settings.LVZHI_JITSI_URL = JITSI
    settings.LVZHI_JITSI_APP_ID = "lvzhi-app"
    settings.LVZHI_JITSI_APP_SECRET = SECRET
    settings.LVZHI_JITSI_TOKEN_MINUTES = 10


def in_room(m, minutes=5):
    return freeze_time(m.starts_at + dt.timedelta(minutes=minutes))


def decode(token):
    return jwt.decode(token, SECRET, algorithms=["HS256"], audience="jitsi", issuer="lvzhi-app")


def test_jwt_names_room_user_and_moderator_and_expires(w, jitsi):
    m = member_meeting(w, invite=[w.m2])
    with in_room(m):
        now = timezone.now()
        host = services.join(actor=w.m1, meeting=m)
        guest = services.join(actor=w.m2, meeting=m)
        claims = decode(host.token)
        assert claims["room"] == m.room and claims["sub"] == "meet.lvzhi.example"
        assert claims["moderator"] is True and claims["context"]["user"]["moderator"] is True
        assert claims["context"]["user"]["name"] == "金文博" and claims["context"]["user"]["id"] == str(w.m1.pk)
        assert claims["exp"] == int((now + dt.timedelta(minutes=10)).timestamp())
        g = decode(guest.token)
        assert g["moderator"] is False and g["context"]["user"]["name"] == "魏静怡" and g["room"] == m.room
    with freeze_time(m.starts_at + dt.timedelta(minutes=30)), pytest.raises(jwt.ExpiredSignatureError):
        decode(host.token)  # 25 minutes later the token no longer opens the room
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(guest.token, "another-secret-0123456789abcdef-xyz", algorithms=["HS256"], audience="jitsi")


def test_no_token_for_the_uninvited(w, jitsi, client):
    m = member_meeting(w, invite=[w.m2])
    with in_room(m):
        for outsider in (w.m3, w.info_head, w.member2, w.sysadmin):
            with pytest.raises(NotFound):
                services.join(actor=outsider, meeting=m)
        login(client, w.m3)
        r = client.get(f"/api/v1/consultation/meetings/{m.pk}/join")
        assert r.status_code == 404 and r.json()["code"] == "not_found" and m.room not in r.content.decode()
        assert client.get(f"/consultation/{m.pk}/").status_code == 404
        client.logout()
        login(client, w.m2)
        r = client.get(f"/api/v1/consultation/meetings/{m.pk}/join")
        assert r.status_code == 200 and decode(r.json()["token"])["room"] == m.room


def test_the_room_opens_half_an_hour_before(w, jitsi, client):
    m = member_meeting(w, invite=[w.m2])
    with freeze_time(m.starts_at - dt.timedelta(minutes=45)):
        login(client, w.m2)
        r = client.get(f"/api/v1/consultation/meetings/{m.pk}/join")
        assert r.status_code == 409 and r.json()["code"] == "room_closed"
        page = client.get(f"/consultation/{m.pk}/").content.decode()
        assert 'data-testid="room-closed"' in page and "data-jwt" not in page
    with freeze_time(m.starts_at - dt.timedelta(minutes=20)):
        login(client, w.m2)
        assert client.get(f"/api/v1/consultation/meetings/{m.pk}/join").status_code == 200


def _origins(policy: str) -> set[str]:
    return set(re.findall(r"https?://[^\s;/\"']+", policy))


def test_meeting_page_embeds_the_room_and_csp_allows_exactly_that_origin(w, jitsi, client):
    m = member_meeting(w, invite=[w.m2])
    with in_room(m):
        login(client, w.m2)
        r = client.get(f"/consultation/{m.pk}/")
        other = client.get("/consultation/")
    html = r.content.decode()
    policy = r["Content-Security-Policy"]
    assert _origins(policy) == {JITSI}
    assert f"script-src 'self' {JITSI}" in policy and f"frame-src {JITSI}" in policy
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert f'<script src="{JITSI}/external_api.js" defer></script>' in html
    assert _origins(" ".join(re.findall(r'(?:src|href)="([^"]+)"', html))) == {JITSI}  # nothing else from outside
    token = re.search(r'data-jwt="([^"]+)"', html).group(1)
    with in_room(m, minutes=6):
        assert decode(token)["context"]["user"]["name"] == "魏静怡"
    assert f'"{JITSI}"' in r["Permissions-Policy"]
    # Only the meeting page: the list keeps the house policy.
    assert _origins(other["Content-Security-Policy"]) == set() and "frame-src" not in other["Content-Security-Policy"]


def test_video_not_configured_says_so(w, settings, client):
    settings.LVZHI_VIDEO_PROVIDER = "jitsi"
    settings.LVZHI_JITSI_URL = ""
    m = member_meeting(w, invite=[w.m2])
    with in_room(m):
        login(client, w.m2)
        r = client.get(f"/consultation/{m.pk}/")
        api = client.get(f"/api/v1/consultation/meetings/{m.pk}/join")
    assert r.status_code == 200 and "服务器未配置视频" in r.content.decode()
    assert _origins(r["Content-Security-Policy"]) == set()
    assert api.status_code == 409 and api.json()["code"] == "video_not_configured"


def test_a_second_backend_by_dotted_path(w, settings):
    settings.LVZHI_VIDEO_PROVIDER = "lvzhi.consultation.providers.testing.TestProvider"
    assert get_provider().name == "test"


def test_attendance_recorded_audited_and_passed_to_duty(w, client):
    m = department_meeting(w, approve=True, invite=[w.m1, w.m2])
    url = f"/consultation/{m.pk}/attendance/"
    with in_room(m, minutes=2):
        login(client, w.m1)
        r = client.post(url, {"event": "joined"})
        assert r.status_code == 200 and r.json()["joins"] == 1
    with in_room(m, minutes=50):
        client.logout()  # the session's idle limit is shorter than a meeting
        login(client, w.m1)
        assert client.post(url, {"event": "left"}).status_code == 200
        bad = client.post(url, {"event": "exploded"})
        assert bad.status_code == 400 and bad.json()["code"] == "event_invalid"
    inv = Invitation.objects.get(meeting=m, user=w.m1)
    assert inv.joined_at == m.starts_at + dt.timedelta(minutes=2)
    assert inv.left_at == m.starts_at + dt.timedelta(minutes=50)
    assert AuditEvent.objects.filter(event="consultation.meeting.joined", object_id=str(m.pk), actor=w.m1).count() == 1
    client.logout()
    with in_room(m):
        login(client, w.m3)  # not invited: the endpoint does not exist for them
        assert client.post(url, {"event": "joined"}).status_code == 404
    with in_room(m, minutes=90):
        services.end_meeting(actor=w.econ_staff, meeting=m)
    recs = Record.objects.filter(source_ref=f"consultation.meeting:{m.pk}")
    assert list(recs.values_list("member_id", "outcome", "kind")) == [(w.m1.pk, "attended", "meeting")]
    assert recs.get().unit == w.econ  # entered (and reviewed) by the organising department


def test_left_without_joining_and_outside_the_window(w, client):
    m = member_meeting(w, invite=[w.m2])
    url = f"/consultation/{m.pk}/attendance/"
    with in_room(m):
        login(client, w.m2)
        r = client.post(url, {"event": "left"})
        assert r.status_code == 409 and r.json()["code"] == "not_joined"
    with freeze_time(m.starts_at - dt.timedelta(hours=3)):
        login(client, w.m2)
        assert client.post(url, {"event": "joined"}).json()["code"] == "room_closed"
    assert not Invitation.objects.filter(meeting=m, user=w.m2, joined_at__isnull=False).exists()
