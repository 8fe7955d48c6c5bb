"""The 2-working-day forwarding limit of S0-16.1 with frozen time across holidays and 调休 days; reminders and the
escalation to the office head by `lvzhi tick`; the hotline's clock stopped while a verification question waits."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.core.tick import run_tick
from lvzhi.notify.models import Message
from lvzhi.opinions import services
from lvzhi.opinions.models import Report
from lvzhi.orgs.services import set_body_setting
from lvzhi.testing import login
from lvzhi.workflow.models import Deadline
from lvzhi.workflow.selectors import overdue

from .conftest import submit


def aware(y, m, d, hh=0, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def route(report):
    return Deadline.objects.filter(object_id=report.pk, workflow="opinions.report", kind="route").latest("id")


@pytest.mark.req("S0-16", "S0-16.1")
def test_submitted_on_30_september_2026_is_due_by_the_end_of_9_october(client, w):
    with freeze_time("2026-09-30T15:00:00+08:00"):
        report = submit(w)
    deadline = route(report)
    assert deadline.due_at == aware(2026, 10, 10) and deadline.last_day == dt.date(2026, 10, 9)
    assert deadline.responsible_unit == w.econ
    assert Report.objects.get(pk=report.pk).next_due_at == deadline.due_at  # kept by the workflow (due_field)
    reminders = Message.objects.filter(event="workflow.deadline.remind", object_id=str(report.pk))
    escalations = Message.objects.filter(event="workflow.deadline.escalate", object_id=str(report.pk))

    run_tick(aware(2026, 10, 5, 10))  # the holiday: nothing yet
    run_tick(aware(2026, 10, 8, 10))
    assert not reminders.exists()
    run_tick(aware(2026, 10, 9, 8))  # the last day: the office is reminded, once
    run_tick(aware(2026, 10, 9, 9))
    assert sorted(m.recipient_id for m in reminders) == sorted([w.staff.pk, w.staff2.pk])
    assert all(m.link == f"/opinions/{report.pk}/" for m in reminders)

    with freeze_time("2026-10-09T20:00:00+08:00"):
        login(client, w.staff)
        page = client.get("/opinions/queue/").content.decode()
        assert "2026-10-09" in page and "tag warn" in page  # due soon
        detail = client.get(f"/opinions/{report.pk}/").content.decode()
        assert "2026-10-09 24:00" in detail

    run_tick(aware(2026, 10, 10, 0, 1))  # missed: escalated to the office head, once
    run_tick(aware(2026, 10, 10, 9))
    assert [m.recipient_id for m in escalations] == [w.head.pk]
    assert overdue(aware(2026, 10, 10, 9), obj=report).count() == 1
    with freeze_time("2026-10-10T09:30:00+08:00"):  # a 调休 Saturday: a working day
        client.logout()
        login(client, w.staff)
        page = client.get("/opinions/queue/").content.decode()
        assert "tag bad" in page
        report = services.forward_to_hotline(actor=w.staff, report=Report.objects.get(pk=report.pk))
    assert report.forwarded_on_time is False and report.wd_route == 3  # Oct 8, 9 and the Saturday
    assert route(report).met_at == aware(2026, 10, 10, 9, 30)


@pytest.mark.req("S0-16.1")
def test_forwarded_in_time_across_national_day_counts_as_on_time(w):
    with freeze_time("2026-09-30T15:00:00+08:00"):
        report = submit(w)
    with freeze_time("2026-10-09T23:59:00+08:00"):
        report = services.forward_to_hotline(actor=w.staff, report=report)
    assert report.forwarded_on_time is True and report.wd_route == 2
    run_tick(aware(2026, 10, 10, 0, 1))
    assert not Message.objects.filter(event="workflow.deadline.escalate").exists()


@pytest.mark.req("S0-16.1")
def test_spring_festival_is_skipped_and_the_adjusted_saturday_counts(w):
    with freeze_time("2026-02-13T10:00:00+08:00"):  # Friday; Sat 14 Feb is a 调休 working day; 15–23 Feb holiday
        report = submit(w)
    assert route(report).last_day == dt.date(2026, 2, 24)


@pytest.mark.req("S0-16.1")
def test_a_report_submitted_before_an_adjusted_saturday_counts_that_saturday(w):
    with freeze_time("2026-10-09T16:00:00+08:00"):  # Friday; Sat 10 Oct 2026 is a 调休 working day
        report = submit(w)
    assert route(report).last_day == dt.date(2026, 10, 12)
    with freeze_time("2026-10-10T10:00:00+08:00"):  # submitted on the 调休 Saturday itself
        second = submit(w, title="第二件")
    assert route(second).last_day == dt.date(2026, 10, 13)


@pytest.mark.req("S0-16.1")
def test_a_body_may_set_its_own_forwarding_limit(w):
    set_body_setting(actor=None, body=w.body, key="opinions.route_working_days", value=1)
    with freeze_time("2026-06-01T09:00:00+08:00"):
        report = submit(w)
    assert route(report).last_day == dt.date(2026, 6, 2)


@pytest.mark.req("S0-16.2")
def test_the_hotline_clock_stops_while_a_verification_waits(client, w):
    set_body_setting(actor=None, body=w.body, key="opinions.hotline_working_days", value=1)
    with freeze_time("2026-06-01T09:00:00+08:00"):  # Monday
        report = services.forward_to_hotline(actor=w.staff, report=submit(w))
    hotline = Deadline.objects.get(object_id=report.pk, kind="hotline")
    assert hotline.last_day == dt.date(2026, 6, 2) and hotline.responsible_unit == w.hotline_unit
    with freeze_time("2026-06-01T15:00:00+08:00"):
        report = services.ask_verification(actor=w.hotline, report=report, question="请核实路口方向")
    hotline.refresh_from_db()
    assert hotline.paused_at == aware(2026, 6, 1, 15)
    verify = Deadline.objects.get(object_id=report.pk, kind="verify")
    assert verify.responsible_unit == w.econ and verify.last_day == dt.date(2026, 6, 4)
    assert Report.objects.get(pk=report.pk).next_due_at == verify.due_at  # the stopped clock does not count

    run_tick(aware(2026, 6, 3, 9))  # the hotline's time would be up, but its clock stands still
    assert not Message.objects.filter(event="workflow.deadline.escalate", recipient=w.hotline_head).exists()
    assert not overdue(aware(2026, 6, 3, 9), obj=report, kind="hotline").exists()
    with freeze_time("2026-06-03T10:00:00+08:00"):
        login(client, w.hotline)
        page = client.get(f"/opinions/{report.pk}/").content.decode()
        assert 'data-kind="hotline"' in page and "tag warn" in page

    with freeze_time("2026-06-04T10:00:00+08:00"):  # answered on Thursday: 3 working days waited
        report = services.confirm_verification(actor=w.staff, report=report, answer="由北向南方向")
    hotline.refresh_from_db()
    assert hotline.paused_at is None and hotline.last_day == dt.date(2026, 6, 5)
    assert Report.objects.get(pk=report.pk).next_due_at == hotline.due_at
    assert Deadline.objects.get(object_id=report.pk, kind="verify").met_at is not None
    run_tick(aware(2026, 6, 5, 9))
    assert not Message.objects.filter(event="workflow.deadline.escalate", recipient=w.hotline_head).exists()
    run_tick(aware(2026, 6, 6, 0, 5))
    assert Message.objects.filter(event="workflow.deadline.escalate", recipient=w.hotline_head).count() == 1
