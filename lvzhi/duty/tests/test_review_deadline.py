"""The per-record review deadline (S3-7, seed 003 art. 7): each submitted record is reviewed by the entering unit
within the body's number of working days (default 5, at most 10: the seed says only "promptly"), reminded and
escalated by `lvzhi tick`, shown as 还剩 N 个工作日 / 已超期 N 个工作日; the bounds live in `orgs.limits`."""

import datetime as dt

import pytest
from django.test import Client
from freezegun import freeze_time

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.tick import run_tick
from lvzhi.duty import rules, services
from lvzhi.duty.models import Record
from lvzhi.notify.models import Message
from lvzhi.orgs import limits
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodySetting
from lvzhi.testing import login
from lvzhi.workdays import calendar
from lvzhi.workflow.models import Deadline

from .helpers import enter


def _deadline(rec, **kw):
    return Deadline.objects.filter(workflow="duty.record", object_id=rec.pk, kind="review", **kw)


@pytest.mark.req("S3-7")
def test_a_record_is_reviewed_within_five_working_days_around_national_day_reminded_and_escalated(w, client):
    with freeze_time("2026-09-30 15:00:00+08:00"):  # Wednesday before the National Day holidays
        rec = enter(w, day=dt.date(2026, 9, 29), title="9月29日常委会")
        deadline = _deadline(rec).get()
        # Working days after 30 Sep: 8 Oct (1), 9 Oct (2), Saturday 10 Oct (调休, 3), 12 Oct (4), 13 Oct (5).
        assert calendar.due_date(deadline.due_at) == dt.date(2026, 10, 13)
        assert deadline.responsible_unit == w.econ  # the entering unit
        assert Record.objects.get(pk=rec.pk).next_due_at == deadline.due_at
    with freeze_time("2026-10-12 10:00:00+08:00"):
        login(client, w.econ_head)
        page = client.get(f"/duty/records/{rec.pk}/").content.decode()
        assert "还剩 2 个工作日" in page and "2026-10-13" in page
        assert "还剩 2 个工作日" in client.get("/duty/review/").content.decode()
    with freeze_time("2026-10-13 08:00:00+08:00"):
        run_tick(only=["workflow.reminders"])
    assert Message.objects.filter(recipient=w.econ_staff, event="workflow.deadline.remind").exists()
    assert not Message.objects.filter(recipient=w.social_staff, event="workflow.deadline.remind").exists()
    with freeze_time("2026-10-14 00:30:00+08:00"):  # the 6th working day
        run_tick(only=["workflow.escalations"])
        assert Message.objects.filter(recipient=w.econ_head, event="workflow.deadline.escalate").exists()
        later = Client()  # a new session: the first one has been idle for two days
        login(later, w.econ_head)
        assert "已超期 1 个工作日" in later.get(f"/duty/records/{rec.pk}/").content.decode()
        services.review_record(actor=w.econ_head, record=rec)
    assert _deadline(rec, met_at__isnull=False).count() == 1
    assert not _deadline(rec, met_at__isnull=True).exists()
    assert Record.objects.get(pk=rec.pk).next_due_at is None


@pytest.mark.req("S3-7")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_rejecting_or_withdrawing_ends_the_review_clock(w):
    a = enter(w, title="会议甲")
    b = enter(w, member=w.m2, title="会议乙")
    services.reject_record(actor=w.econ_head, record=a, reason="并未出席")
    services.withdraw_record(actor=w.econ_staff, record=b)
    assert not Deadline.objects.filter(workflow="duty.record", object_id__in=[a.pk, b.pk], met_at__isnull=True).exists()


@pytest.mark.req("S3-6", "S3-7")
def test_a_late_entry_waits_at_the_members_work_committee_then_the_clock_restarts_at_the_entering_unit(w):
    with freeze_time("2026-06-19 09:00:00+08:00"):  # far beyond the 5 working days after 1 June
        late = enter(w, day=dt.date(2026, 6, 1))
        assert late.status == Record.Status.NEEDS_APPROVAL
        assert _deadline(late, met_at__isnull=True).get().responsible_unit == w.liaison
    with freeze_time("2026-06-22 09:00:00+08:00"):  # Monday
        services.approve_late_entry(actor=w.liaison_staff, record=late)
        running = _deadline(late, met_at__isnull=True).get()
        assert running.responsible_unit == w.econ
        # A fresh 5 working days after Monday 22 June: 23, 24, 25, 26, 29 June.
        assert calendar.due_date(running.due_at) == dt.date(2026, 6, 29)
    assert _deadline(late).count() == 2


@pytest.mark.req("S3-7", "S3-18")
def test_a_body_may_shorten_the_review_period_never_beyond_the_limit(w):
    assert limits.limit_for(rules.REVIEW_DAYS).maximum == 10
    with pytest.raises(ValidationFailed) as refused:
        org_services.set_body_setting(actor=None, body=w.body, key=rules.REVIEW_DAYS, value=11)
    assert refused.value.code == "setting_above_maximum"
    assert not BodySetting.objects.filter(key=rules.REVIEW_DAYS).exists()
    org_services.set_body_setting(actor=None, body=w.body, key=rules.REVIEW_DAYS, value=2)
    with freeze_time("2026-06-08 10:00:00+08:00"):  # Monday
        rec = enter(w, day=dt.date(2026, 6, 5))
        assert calendar.due_date(_deadline(rec).get().due_at) == dt.date(2026, 6, 10)
    # A value stored before the bounds existed counts as the platform default, never above the ceiling.
    BodySetting.objects.filter(body=w.body, key=rules.REVIEW_DAYS).update(value=40)
    assert rules.days(w.econ, rules.REVIEW_DAYS) == 5
    assert rules.days(None, rules.ENTRY_DAYS) == 5 and rules.days(None, rules.OBJECTION_DAYS) == 5


@pytest.mark.req("S3-6", "S3-11")
def test_the_duty_ceilings_come_from_the_limits_registry_only():
    assert not hasattr(rules, "CEILINGS")
    assert (limits.limit_for(rules.ENTRY_DAYS).maximum, limits.limit_for(rules.OBJECTION_DAYS).maximum) == (5, 5)


@pytest.mark.req("S3-6")
def test_an_events_entry_deadline_is_reminded_escalated_and_a_late_entry_waits_for_approval(w):
    """Seed 003 art. 6: the organiser enters an event's records within 5 working days (Wednesday 10 June → 17
    June); its staff are reminded on the last day, its head is told the morning after, and records entered on the
    6th working day wait for the members' work committee's approval."""
    with freeze_time("2026-06-10 09:00:00+08:00"):
        event = services.open_event(
            actor=w.econ_staff,
            organiser=w.econ,
            title="经济形势座谈会",
            day=dt.date(2026, 6, 10),
            invitee_ids=[w.m1.pk, w.m2.pk],
        )
        services.check_in(actor=w.m1, event_id=event.pk, token=services.qr_token(event))
    with freeze_time("2026-06-10 12:00:00+08:00"):
        services.close_event(actor=w.econ_staff, event=event)
    deadline = Deadline.objects.get(workflow="duty.event", object_id=event.pk, kind="enter", met_at__isnull=True)
    assert calendar.due_date(deadline.due_at) == dt.date(2026, 6, 17)
    with freeze_time("2026-06-16 08:00:00+08:00"):
        run_tick(only=["workflow.reminders"])
    assert not Message.objects.filter(event="workflow.deadline.remind").exists()
    with freeze_time("2026-06-17 08:00:00+08:00"):
        run_tick(only=["workflow.reminders"])
    reminded = set(Message.objects.filter(event="workflow.deadline.remind").values_list("recipient_id", flat=True))
    assert w.econ_staff.pk in reminded and w.econ_head.pk not in reminded
    with freeze_time("2026-06-17 23:00:00+08:00"):
        run_tick(only=["workflow.escalations"])
    assert not Message.objects.filter(event="workflow.deadline.escalate").exists()  # not overdue yet
    with freeze_time("2026-06-18 00:30:00+08:00"):
        run_tick(only=["workflow.escalations"])
        assert Message.objects.filter(recipient=w.econ_head, event="workflow.deadline.escalate").exists()
        assert services.enter_event_records(actor=w.econ_staff, event=event) == 2
    assert set(Record.objects.filter(event=event).values_list("status", flat=True)) == {"needs_approval"}
    assert set(Record.objects.filter(event=event).values_list("on_time", flat=True)) == {False}
