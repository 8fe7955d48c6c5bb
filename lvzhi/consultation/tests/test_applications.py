"""S0-5.3: a department's application for the video-conference system, at the latest 3 working days before the
meeting (the application day not counted, the meeting day counted, holidays skipped, 调休 counted), approved by a
leader; a late one refused with the latest day it could have been filed.

National Day 2026 as chinesecalendar has it: 1–7 Oct holidays, Thu 8 Oct and Fri 9 Oct working days, Sat 10 Oct a
调休 working day, Sun 11 Oct a weekend day (Mid-Autumn 25–27 Sep before it)."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.consultation import services
from lvzhi.consultation.models import Meeting
from lvzhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.models import Message
from lvzhi.orgs import services as org_services
from lvzhi.workdays import calendar

pytestmark = pytest.mark.req("S0-5.3")


def at(day: str, hour=9):
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, 0)))


def apply(w, meeting_day, **kw):
    return services.apply_for_meeting(
        actor=w.econ_staff,
        unit=w.econ,
        title="国庆后远程协商",
        starts_at=at(meeting_day),
        duration_minutes=60,
        undertaking=True,
        **kw,
    )


def test_the_calendar_is_what_the_tests_assume(db):
    assert not calendar.is_workday(dt.date(2026, 10, 1)) and not calendar.is_workday(dt.date(2026, 10, 7))
    assert calendar.is_workday(dt.date(2026, 10, 8)) and calendar.is_workday(dt.date(2026, 10, 10))  # 10 Oct: 调休
    assert not calendar.is_workday(dt.date(2026, 10, 11))


@pytest.mark.parametrize(
    ("applied", "meeting", "accepted", "latest"),
    [
        # Meeting Mon 12 Oct: 12, Sat 10 (调休) and Fri 9 count back → latest Thu 8 Oct.
        ("2026-10-08", "2026-10-12", True, "2026-10-08"),
        ("2026-10-09", "2026-10-12", False, "2026-10-08"),
        # Filed on a holiday: 8, 9, 10, 12 Oct follow → accepted.
        ("2026-10-05", "2026-10-12", True, "2026-10-08"),
        # Meeting Fri 9 Oct: 9, 8 Oct and Wed 30 Sep count back (the holiday week skipped) → latest Tue 29 Sep.
        ("2026-09-29", "2026-10-09", True, "2026-09-29"),
        ("2026-09-30", "2026-10-09", False, "2026-09-29"),
        ("2026-10-06", "2026-10-09", False, "2026-09-29"),
        # Meeting on the 调休 Saturday 10 Oct: 10, 9 and 8 Oct count → latest 7 Oct (still a holiday: the
        # application may be filed on any day, only the working days after it count).
        ("2026-09-30", "2026-10-10", True, "2026-10-07"),
        ("2026-10-07", "2026-10-10", True, "2026-10-07"),
        ("2026-10-08", "2026-10-10", False, "2026-10-07"),
    ],
)
def test_application_around_national_day_2026(w, applied, meeting, accepted, latest):
    assert services.latest_application_day(dt.date.fromisoformat(meeting), 3).isoformat() == latest
    with freeze_time(at(applied, 10)):
        if accepted:
            m = apply(w, meeting)
            assert m.status == Meeting.Status.APPLIED and m.applied_on.isoformat() == applied
            assert AuditEvent.objects.filter(event="consultation.meeting.apply", object_id=str(m.pk)).exists()
            return
        with pytest.raises(ValidationFailed) as exc:
            apply(w, meeting)
    assert exc.value.code == "application_late"
    assert latest in str(exc.value.message) and exc.value.extra["latest_day"] == latest
    assert not Meeting.objects.exists()


def test_a_body_may_ask_for_more_notice_never_less(w):
    org_services.set_body_setting(actor=None, body=w.body, key="consultation.application_notice_working_days", value=5)
    with freeze_time(at("2026-10-08", 10)), pytest.raises(ValidationFailed) as exc:
        apply(w, "2026-10-12")  # 3 working days: enough for the seed, not for this body
    assert exc.value.extra["required"] == 5
    with pytest.raises(ValidationFailed) as low:
        org_services.set_body_setting(
            actor=None, body=w.body, key="consultation.application_notice_working_days", value=2
        )
    assert low.value.code == "setting_below_minimum"


@freeze_time("2026-11-02 10:00:00+08:00")
def test_leader_approves_audited_and_told(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        m = services.apply_for_meeting(
            actor=w.econ_staff, unit=w.econ, title="远程协商", starts_at=at("2026-11-10"), undertaking=True
        )
    told = set(Message.objects.filter(event="consultation.meeting.apply").values_list("recipient_id", flat=True))
    assert told == {w.info_head.pk, w.info_staff.pk, w.leader.pk}  # the information office and the leader
    services.invite(actor=w.econ_staff, meeting=m, user_ids=[w.m1.pk])
    assert not Message.objects.filter(recipient=w.m1).exists()  # invitees are told once approved
    with pytest.raises(PermissionDenied):
        services.decide_application(actor=w.info_staff, meeting=m, approve=True)  # staff keep the queue only
    with pytest.raises(PermissionDenied):
        services.decide_application(actor=w.econ_staff, meeting=m, approve=True)
    m = services.decide_application(actor=w.info_head, meeting=m, approve=True, note="")
    assert m.status == Meeting.Status.SCHEDULED and m.decided_by == w.info_head
    row = AuditEvent.objects.get(event="consultation.meeting.approve", object_id=str(m.pk))
    assert row.before["status"] == "applied" and row.after["status"] == "scheduled"
    assert Message.objects.filter(recipient=w.econ_staff, event="consultation.meeting.approve").exists()
    assert Message.objects.filter(recipient=w.m1, event="consultation.meeting.invite").exists()


@freeze_time("2026-11-02 10:00:00+08:00")
def test_refusal_needs_a_reason_and_another_body_sees_nothing(w):
    m = services.apply_for_meeting(
        actor=w.econ_staff, unit=w.econ, title="远程协商", starts_at=at("2026-11-10"), undertaking=True
    )
    with pytest.raises(ValidationFailed) as exc:
        services.decide_application(actor=w.leader, meeting=m, approve=False, note=" ")
    assert exc.value.code == "note_required"
    with pytest.raises(NotFound):
        services.decide_application(actor=w.leader2, meeting=m, approve=False, note="不同意")
    m = services.decide_application(actor=w.leader, meeting=m, approve=False, note="时间冲突")
    assert m.status == Meeting.Status.REFUSED and m.decision_note == "时间冲突"
