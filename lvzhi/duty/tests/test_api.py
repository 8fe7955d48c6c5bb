"""The duty API (the mobile app): check-in, 我的履职, objections and the step table; stable error codes."""

import pytest
from freezegun import freeze_time

from lvzhi.duty import services
from lvzhi.duty.models import Attendance, Objection
from lvzhi.testing import login

from .helpers import counted

J = "application/json"


@pytest.mark.req("S3-6", "S3-11", "S3-10")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_check_in_and_object_through_the_api(w, client):
    import datetime as dt

    event = services.open_event(
        actor=w.econ_staff, organiser=w.econ, title="座谈会", day=dt.date(2026, 6, 11), invitee_ids=[w.m1.pk]
    )
    login(client, w.m1)
    ok = client.post(f"/api/v1/duty/checkin/{event.pk}", {"token": services.qr_token(event)}, content_type=J)
    assert ok.status_code == 200 and ok.json()["status"] == "present"
    again = client.post(f"/api/v1/duty/checkin/{event.pk}", {"token": services.qr_token(event)}, content_type=J)
    assert again.status_code == 409 and again.json()["code"] == "already_checked_in"
    bad = client.post(f"/api/v1/duty/checkin/{event.pk}", {"token": "1.x"}, content_type=J)
    assert bad.status_code == 400 and bad.json()["code"] == "token_expired"
    assert Attendance.objects.get(event=event, member=w.m1).status == "present"
    rec = counted(w, member=w.m1, kind="meeting", outcome="absent", title="全会")
    response = client.post(
        "/api/v1/duty/objections", {"target": "record", "record": rec.pk, "text": "我请过假"}, content_type=J
    )
    assert response.status_code == 200 and response.json()["status"] == "open"
    obj_id = response.json()["id"]
    empty = client.post("/api/v1/duty/objections", {"target": "total", "text": "  "}, content_type=J)
    assert empty.status_code == 400 and empty.json()["code"] == "text_required"
    assert Objection.objects.count() == 1
    client.logout()
    login(client, w.econ_staff)
    answered = client.post(
        f"/api/v1/duty/objections/{obj_id}/steps/uphold",
        {"text": "已核实，改为请假", "outcome": "excused"},
        content_type=J,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "upheld" and answered.json()["correction"]
    client.logout()
    login(client, w.m1)
    me = client.get("/api/v1/duty/me?year=2026").json()
    assert me["total"] == 0 and me["objections"][0]["answer"] == "已核实，改为请假"
    # Another member cannot read the objection; the API says "not found".
    client.logout()
    login(client, w.m2)
    assert client.get(f"/api/v1/duty/objections/{obj_id}").json()["code"] == "not_found"
