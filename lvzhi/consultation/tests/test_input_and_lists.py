"""S0-5.3: bad input refused with a clear error and nothing half-written (never a 500), through the web forms and
the API; the list pages and endpoints with a bounded number of queries however many meetings there are."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.consultation import services
from lvzhi.consultation.models import Invitation, Meeting
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.testing import login

from .conftest import department_meeting, member_meeting, soon

pytestmark = pytest.mark.req("S0-5.3")
J = "application/json"


def start(w, **kw):
    data = {"title": "协商", "starts_at": soon(), "duration_minutes": 60, "undertaking": True}
    data.update(kw)
    return services.start_member_meeting(actor=w.m1, body=w.body, **data)


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"title": "x" * 101}, "title_too_long"),
        ({"title": "  "}, "title_required"),
        ({"title": "会议\x1b[31m"}, "title_invalid"),
        ({"title": "会议\u202e"}, "title_invalid"),
        ({"agenda": "y" * 2001}, "agenda_too_long"),
        ({"undertaking": False}, "undertaking_required"),
        ({"undertaking": "yes"}, "undertaking_required"),
        ({"duration_minutes": 5}, "duration_invalid"),
        ({"duration_minutes": "abc"}, "duration_invalid"),
        ({"duration_minutes": 10_000}, "duration_invalid"),
        ({"starts_at": "2026-12-01"}, "starts_at_invalid"),
        ({"starts_at": timezone.now() - dt.timedelta(hours=1)}, "starts_at_past"),
        ({"starts_at": timezone.now() + dt.timedelta(days=400)}, "starts_at_far"),
    ],
)
def test_bad_meeting_input(w, kw, code):
    with pytest.raises(ValidationFailed) as exc:
        start(w, **kw)
    assert exc.value.code == code
    assert not Meeting.objects.exists() and not Invitation.objects.exists()


def test_who_may_start(w):
    with pytest.raises(NotFound):
        services.start_member_meeting(
            actor=w.econ_staff, body=w.body, title="x", starts_at=soon(), undertaking=True
        )  # staff are not members: they apply for their department
    with pytest.raises(NotFound):
        services.apply_for_meeting(actor=w.m1, unit=w.econ, title="x", starts_at=soon(days=20), undertaking=True)
    with pytest.raises(NotFound):
        services.apply_for_meeting(actor=w.staff2, unit=w.econ, title="x", starts_at=soon(days=20), undertaking=True)


def test_bad_invitations(w):
    m = member_meeting(w)
    for kw, code in (
        ({"user_ids": [w.member2.pk]}, "invitee_unknown"),  # another body's member
        ({"user_ids": [999999]}, "invitee_unknown"),
        ({"user_ids": ["abc"]}, "invitee_unknown"),
        ({"user_ids": [-1]}, "invitee_unknown"),
        ({"unit_ids": [w.econ2.pk]}, "unit_unknown"),
        ({}, "invitees_required"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            services.invite(actor=w.m1, meeting=m, **kw)
        assert exc.value.code == code, kw
    assert list(m.invitations.values_list("user_id", flat=True)) == [w.m1.pk]
    # A unit brings its members (by committee) and its staff; inviting twice invites once.
    assert services.invite(actor=w.m1, meeting=m, unit_ids=[w.econ.pk]) == 3  # m2, econ_staff, econ_head (m1 is in)
    assert services.invite(actor=w.m1, meeting=m, unit_ids=[w.econ.pk], user_ids=[w.m2.pk]) == 0
    assert m.invitations.count() == 4


def test_web_forms_answer_bad_input_with_a_message(w, client):
    login(client, w.m1)
    bad_day = {"title": "会议", "day": "2026-13-45", "time": "25:99", "duration": "60", "undertaking": "yes"}
    r = client.post("/consultation/new/", bad_day)
    assert r.status_code == 200 and "请填写会议日期和时间" in r.content.decode()
    day = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    r = client.post("/consultation/new/", {"title": "会议", "day": day, "time": "09:00", "duration": "60"})
    assert r.status_code == 200 and "请确认您对会议内容负责" in r.content.decode().replace("，", "")
    assert not Meeting.objects.exists()
    r = client.post(
        "/consultation/new/", {"title": "会议", "day": day, "time": "09:00", "duration": "60", "undertaking": "yes"}
    )
    m = Meeting.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/consultation/{m.pk}/"
    page = " ".join(client.get(r["Location"]).content.decode().split())  # as shown: white space collapsed
    assert "发起人（对内容负责）: 金文博" in page
    r = client.post(f"/consultation/{m.pk}/", {"phones": "13000000000"})
    assert "有手机号码不属于本单位人员" in client.get(f"/consultation/{m.pk}/").content.decode()
    assert client.post(f"/consultation/{m.pk}/step/explode/").status_code == 404
    assert client.get("/consultation/99999999999999999999/").status_code == 404
    assert client.get("/api/v1/consultation/meetings/0").status_code == 404
    bad = client.post("/api/v1/consultation/meetings", {"title": "x"}, content_type=J)
    assert bad.status_code in (400, 422) and "code" in bad.json()


def test_late_application_through_the_web_shows_the_latest_day(w, client):
    login(client, w.econ_staff)
    day = timezone.localdate() + dt.timedelta(days=1)
    r = client.post(
        "/consultation/apply/",
        {"unit": w.econ.pk, "title": "会议", "day": day.isoformat(), "time": "09:00", "duration": "60"}
        | {"undertaking": "yes"},
    )
    text = r.content.decode()
    latest = services.latest_application_day(day, 3).isoformat()
    assert r.status_code == 200 and f"最迟申请日为{latest}" in text
    assert not Meeting.objects.exists()
    api = client.post(
        "/api/v1/consultation/meetings",
        {"title": "会议", "starts_at": f"{day.isoformat()}T09:00:00+08:00", "undertaking": True, "unit": w.econ.pk},
        content_type=J,
    )
    assert api.status_code == 400 and api.json()["code"] == "application_late"
    assert api.json()["detail"]["latest_day"] == latest


def _many(w, n=25):
    for i in range(n):
        m = member_meeting(w, by=w.m2 if i % 2 else w.m1, starts_at=soon(days=5 + i % 20))
        services.invite(actor=m.organiser, meeting=m, user_ids=[w.m3.pk, w.m1.pk, w.m2.pk])
    for _i in range(n):
        department_meeting(w, invite=[w.m3])


def test_lists_have_bounded_queries(w, client, django_assert_max_num_queries):
    _many(w)
    login(client, w.m3)
    client.get("/consultation/")  # warm-up: what is created once on first use (the calendar's version key)
    with django_assert_max_num_queries(12):
        r = client.get("/consultation/")
    assert r.status_code == 200 and r.content.decode().count('data-meeting="') == 20  # a page
    assert "还有" in r.content.decode()  # the working-day countdown
    with django_assert_max_num_queries(10):
        api = client.get("/api/v1/consultation/meetings")
    assert len(api.json()["rows"]) == 20 and api.json()["pages"] == 3
    client.logout()
    login(client, w.info_staff)
    with django_assert_max_num_queries(12):
        r = client.get("/consultation/office/")
    assert r.content.decode().count('data-meeting="') == 20
    with django_assert_max_num_queries(10):
        api = client.get("/api/v1/consultation/office?page=2")
    assert len(api.json()["rows"]) == 5


def test_countdown_in_working_days(w):
    m = department_meeting(w, starts_at=soon(days=20))
    from lvzhi.consultation import selectors
    from lvzhi.workdays import calendar

    rows = selectors.with_countdown([m])
    assert rows[0].countdown == calendar.working_days_between(timezone.now(), m.starts_at) > 0
