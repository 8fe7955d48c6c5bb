"""QR check-in (S3-6): a rotating, expiring, signed token; once per member; leave and late check-in decided by the
organiser; no-shows recorded on closing; records entered for review within the entry period."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.duty import services
from lvzhi.duty.models import Attendance, Event, Record
from lvzhi.testing import login
from lvzhi.workdays import calendar
from lvzhi.workflow.models import Deadline

A = Attendance.Status
DAY = dt.date(2026, 6, 10)


def _event(w, invite=None):
    return services.open_event(
        actor=w.econ_staff,
        organiser=w.econ,
        title="经济形势座谈会",
        day=DAY,
        invitee_ids=[m.pk for m in (invite or (w.m1, w.m2, w.m3))],
    )


@pytest.mark.req("S3-6")
def test_qr_token_rotates_and_a_replay_after_expiry_is_refused(w, client):
    with freeze_time("2026-06-10 09:00:05+08:00"):
        event = _event(w)
        token = services.qr_token(event)
        assert services.token_valid(event, token)
    with freeze_time("2026-06-10 09:00:35+08:00"):  # the next window: the code on screen changed, the old works
        assert services.qr_token(event) != token
        assert services.token_valid(event, token)
    with freeze_time("2026-06-10 09:01:05+08:00"):  # two windows later: expired
        assert not services.token_valid(event, token)
        with pytest.raises(ValidationFailed) as exc:
            services.check_in(actor=w.m1, event_id=event.pk, token=token)
        assert exc.value.code == "token_expired"
        login(client, w.m2)
        page = client.get(f"/duty/checkin/{event.pk}/?t={token}")
        assert page.status_code == 400 and "二维码已过期" in page.content.decode()
    # Forged and other events' tokens are refused too.
    other = _event(w)
    with freeze_time("2026-06-10 09:01:06+08:00"):
        assert not services.token_valid(event, services.qr_token(other))
        assert not services.token_valid(event, "123.abc") and not services.token_valid(event, "garbage")
    assert Attendance.objects.filter(event=event, status=A.PRESENT).count() == 0


@pytest.mark.req("S3-6")
def test_check_in_once_leave_late_no_shows_and_records(w, client):

    with freeze_time("2026-06-10 09:00:00+08:00"):
        event = _event(w, invite=(w.m1, w.m2, w.m3))
        token = services.qr_token(event)
        login(client, w.m1)
        page = client.get(f"/duty/checkin/{event.pk}/?t={token}")
        assert page.status_code == 200 and "签到成功" in page.content.decode()
        with pytest.raises(Conflict) as exc:
            services.check_in(actor=w.m1, event_id=event.pk, token=token)
        assert exc.value.code == "already_checked_in"
        # Another body's member and staff cannot check in.
        with pytest.raises(NotFound):
            services.check_in(actor=w.member_b2, event_id=event.pk, token=token)
        services.request_leave(actor=w.m2, event_id=event.pk, reason="出差")
        with pytest.raises(ValidationFailed):
            services.request_leave(actor=w.m3, event_id=event.pk, reason="")
    with freeze_time("2026-06-10 12:00:00+08:00"):
        services.close_event(actor=w.econ_staff, event=event)
        assert Attendance.objects.get(event=event, member=w.m3).status == A.ABSENT  # a no-show
        with pytest.raises(Conflict):
            services.check_in(actor=w.m3, event_id=event.pk, token=services.qr_token(event))
        services.request_late_check_in(actor=w.m3, event_id=event.pk, reason="手机没电，会上签了纸质签到表")
        with pytest.raises(Conflict) as exc:
            services.enter_event_records(actor=w.econ_staff, event=event)
        assert exc.value.code == "requests_open"
        leave = Attendance.objects.get(event=event, member=w.m2)
        late = Attendance.objects.get(event=event, member=w.m3)
        with pytest.raises(NotFound):
            services.decide_request(actor=w.social_staff, attendance_id=leave.pk, approve=True)
        services.decide_request(actor=w.econ_staff, attendance_id=leave.pk, approve=True)
        services.decide_request(actor=w.econ_staff, attendance_id=late.pk, approve=True)
        deadline = Deadline.objects.get(workflow="duty.event", object_id=event.pk, met_at__isnull=True)
        # The last day: 5 working days after Wednesday 10 June (11, 12, 15, 16, 17 June).
        assert calendar.due_date(deadline.due_at) == dt.date(2026, 6, 17)
        n = services.enter_event_records(actor=w.econ_staff, event=event)
    assert n == 3 and Event.objects.get(pk=event.pk).status == "entered"
    assert not Deadline.objects.filter(workflow="duty.event", object_id=event.pk, met_at__isnull=True).exists()
    outcomes = dict(Record.objects.filter(event=event).values_list("member_id", "outcome"))
    assert outcomes == {w.m1.pk: "attended", w.m2.pk: "excused", w.m3.pk: "late"}
    assert set(Record.objects.filter(event=event).values_list("status", flat=True)) == {"pending"}
    assert AuditEvent.objects.filter(event="duty.attendance.check_in").count() == 1
    assert AuditEvent.objects.filter(event="duty.event.no_shows", after__absent=1).exists()


@pytest.mark.req("S3-6", "S0-19")
@freeze_time("2026-06-10 09:00:00+08:00")
def test_organiser_pages_show_a_rotating_qr_code(w, client):
    event = _event(w)
    login(client, w.econ_staff)
    page = client.get(f"/duty/events/{event.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="qr-image"' in html and "data:image/png;base64," in html
    assert f"/duty/checkin/{event.pk}/?t={services.qr_token(event)}" in html
    fragment = client.get(f"/duty/events/{event.pk}/qr/")
    assert fragment.status_code == 200 and 'hx-trigger="every 5s"' in fragment.content.decode()
    # Members see no QR code; staff of another unit see nothing.
    client.logout()
    login(client, w.m1)
    assert "qr-image" not in client.get(f"/duty/events/{event.pk}/").content.decode()
    assert client.get(f"/duty/events/{event.pk}/qr/").status_code == 404
    client.logout()
    login(client, w.staff_b2)
    assert client.get(f"/duty/events/{event.pk}/").status_code == 404
    # Reminders count as mobilisation (S0-19).
    assert services.remind_invitees(actor=w.econ_staff, event=event) == 3
    assert Event.objects.get(pk=event.pk).reminders_sent == 3
