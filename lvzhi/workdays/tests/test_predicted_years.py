"""Years after chinesecalendar's last one: the statutory holidays of the 2024 holiday rules (lunar dates and the
清明 solar term from lunar_python), marked "predicted" until an administrator confirms the year; running deadlines
recomputed when the calendar changes; `lvzhi tick` reminds the administrators once from 1 November."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.tick import run_tick
from lvzhi.notify.models import Message
from lvzhi.testing import login, make_body, make_user
from lvzhi.workdays import calendar, services, statutory
from lvzhi.workdays.models import CalendarYear
from lvzhi.workflow.models import Deadline

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)


def at(y, m, d, hh=10):
    return dt.datetime(y, m, d, hh, tzinfo=TZ)


@pytest.fixture
def body():
    return make_body()


@pytest.fixture
def sysadmin(body):
    return make_user(body, roles=[Role.SYSADMIN], real_name="系统管理员")


def test_2027_is_beyond_the_package():
    assert calendar.LAST_PACKAGE_YEAR == 2026  # chinesecalendar 1.11: if this fails, pick a later year below


@pytest.mark.req("S0-16.1")
def test_new_year_2027_is_a_holiday_and_a_report_filed_on_31_december_is_due_on_5_january():
    assert calendar.day_info(dt.date(2027, 1, 1)) == calendar.DayInfo(
        dt.date(2027, 1, 1), False, calendar.SOURCE_PREDICTED, "New Year's Day"
    )
    # Filed Thu 31 Dec 2026, 2 working days (S0-16.1): Fri 1 Jan is 元旦, then the weekend: Mon 4 and Tue 5.
    due = calendar.add_working_days(at(2026, 12, 31, 16), 2)
    assert calendar.due_date(due) == dt.date(2027, 1, 5)


@pytest.mark.req("S0-16.1")
def test_spring_festival_2027_from_chuxi_to_chusan_and_the_other_lunar_holidays():
    holidays = statutory.holidays(2027)
    spring = [day for day, name in holidays.items() if name == statutory.SPRING]
    assert spring == [dt.date(2027, 2, 5), dt.date(2027, 2, 6), dt.date(2027, 2, 7), dt.date(2027, 2, 8)]
    assert holidays[dt.date(2027, 4, 5)] == statutory.TOMB_SWEEPING  # the 清明 solar term
    assert holidays[dt.date(2027, 6, 9)] == statutory.DRAGON_BOAT
    assert holidays[dt.date(2027, 9, 15)] == statutory.MID_AUTUMN
    assert [d for d, n in holidays.items() if n == statutory.LABOUR] == [dt.date(2027, 5, 1), dt.date(2027, 5, 2)]
    assert [d for d, n in holidays.items() if n == statutory.NATIONAL] == [
        dt.date(2027, 10, 1),
        dt.date(2027, 10, 2),
        dt.date(2027, 10, 3),
    ]
    assert len(holidays) == 13  # 1 + 4 + 1 + 2 + 1 + 1 + 3: nothing bridged, no 调休 invented
    assert calendar.is_workday(dt.date(2027, 2, 4)) and calendar.is_workday(dt.date(2027, 2, 9))
    assert not calendar.is_workday(dt.date(2027, 2, 8))  # 初三, a Monday
    # Thu 4 Feb + 1 working day: 5–8 Feb are the festival: Tue 9 Feb.
    assert calendar.due_date(calendar.add_working_days(at(2027, 2, 4), 1)) == dt.date(2027, 2, 9)
    # The rules agree with the State Council's schedule of a year the package knows (2026: 春节 16–19 Feb).
    assert {d for d, n in statutory.holidays(2026).items() if n == statutory.SPRING} <= {
        d for d in (dt.date(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)) if not calendar.is_workday(d)
    }


def _running_deadline(user, started, days, kind="route"):
    return Deadline.objects.create(
        content_type=ContentType.objects.get_for_model(user),
        object_id=user.pk,
        workflow="opinions.report",
        kind=kind,
        started_at=started,
        due_at=calendar.add_working_days(started, days),
    )


@pytest.mark.req("S0-16.1")
@freeze_time("2027-01-25T09:00:00+08:00")
def test_changing_a_day_recomputes_running_deadlines_audited(sysadmin):
    deadline = _running_deadline(sysadmin, at(2027, 1, 25), 2)  # Mon 25 Jan: due Wed 27 Jan
    other = _running_deadline(sysadmin, at(2027, 3, 1), 2, kind="handle")  # not affected
    assert calendar.due_date(deadline.due_at) == dt.date(2027, 1, 27)
    services.set_override(actor=sysadmin, day=dt.date(2027, 1, 26), is_workday=False, note="补休")
    deadline.refresh_from_db()
    assert calendar.due_date(deadline.due_at) == dt.date(2027, 1, 28)
    row = AuditEvent.objects.get(event="workflow.deadline.recompute")
    assert row.object_id == str(deadline.pk) and row.after["reason"] == "calendar:2027-01-26"
    assert other.due_at == Deadline.objects.get(pk=other.pk).due_at
    services.delete_override(actor=sysadmin, day=dt.date(2027, 1, 26))
    deadline.refresh_from_db()
    assert calendar.due_date(deadline.due_at) == dt.date(2027, 1, 27)
    assert AuditEvent.objects.filter(event="workflow.deadline.recompute").count() == 2


@pytest.mark.req("S0-16.1")
@freeze_time("2026-11-20T10:00:00+08:00")
def test_an_administrator_confirms_a_year_on_the_page(client, sysadmin):
    login(client, sysadmin)
    page = client.get("/office/calendar/?year=2027").content.decode()
    assert 'data-testid="predicted-banner"' in page and "预测" in page
    assert page.count('data-source="predicted"') == 13
    deadline = _running_deadline(sysadmin, at(2026, 12, 30), 3)  # Wed 30 Dec: 31 Dec, 4 and 5 Jan
    response = client.post("/office/calendar/confirm/?year=2027", {"year": "2027"}, follow=True)
    page = response.content.decode()
    assert "2027年工作日历已确认" in page
    assert 'data-testid="predicted-banner"' not in page and 'data-testid="confirmed"' in page
    assert page.count('data-source="confirmed"') == 13
    assert 'data-testid="missing-years"' not in page
    assert calendar.day_info(dt.date(2027, 1, 1)).source == calendar.SOURCE_CONFIRMED
    row = CalendarYear.objects.get(year=2027)
    assert row.confirmed_by == sysadmin and row.confirmed_at is not None
    audit = AuditEvent.objects.get(event="workdays.year.confirm")
    assert audit.actor == sysadmin and audit.after == {"year": 2027, "statutory_holidays": 13, "overrides": 0}
    assert calendar.due_date(Deadline.objects.get(pk=deadline.pk).due_at) == dt.date(2027, 1, 5)  # unchanged
    with pytest.raises(Conflict):
        services.confirm_year(actor=sysadmin, year=2027)


def test_confirm_refused_for_known_years_and_to_others(sysadmin, body):
    with pytest.raises(ValidationFailed) as known:
        services.confirm_year(actor=sysadmin, year=2026)
    assert known.value.code == "year_has_schedule"
    staff = make_user(body, roles=[Role.STAFF], real_name="钱干部")
    with pytest.raises(NotFound):
        services.confirm_year(actor=staff, year=2027)
    assert not CalendarYear.objects.filter(confirmed_at__isnull=False).exists()


@pytest.mark.req("S0-16.1")
def test_tick_reminds_the_administrators_once_from_1_november(sysadmin, body):
    staff = make_user(body, roles=[Role.STAFF], real_name="钱干部")

    def reminders():
        return Message.objects.filter(event="workdays.year.unconfirmed")

    with freeze_time("2026-10-31T23:00:00+08:00"):
        assert run_tick(only=["workdays.next_year_reminder"]) == {"workdays.next_year_reminder": 0}
    assert not reminders().exists()
    with freeze_time("2026-11-01T00:01:00+08:00"):
        assert run_tick(only=["workdays.next_year_reminder"]) == {"workdays.next_year_reminder": 1}
    with freeze_time("2026-11-01T00:02:00+08:00"):
        assert run_tick(only=["workdays.next_year_reminder"]) == {"workdays.next_year_reminder": 0}
    assert [m.recipient for m in reminders()] == [sysadmin]
    assert "2027" in reminders().get().title and staff not in [m.recipient for m in reminders()]
    # A confirmed next year: no reminder.
    services.confirm_year(actor=sysadmin, year=2028)
    with freeze_time("2027-11-02T09:00:00+08:00"):
        assert run_tick(only=["workdays.next_year_reminder"]) == {"workdays.next_year_reminder": 0}
    assert reminders().count() == 1
