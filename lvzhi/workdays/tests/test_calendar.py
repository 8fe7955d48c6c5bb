"""The working-day calendar and the Civil Code period arithmetic (arts. 201–203)."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.testing import make_body, make_user
from lvzhi.workdays import calendar, services
from lvzhi.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=TZ)


def midnight(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d))


@pytest.fixture
def sysadmin():
    return make_user(make_body(), roles=["sysadmin"], real_name="系统管理员")


@pytest.mark.req("S0-16.1")
@freeze_time("2026-09-30T15:30:00+08:00")
def test_two_working_days_over_national_day_end_at_24_00_of_9_october():
    due = calendar.add_working_days(timezone.now(), 2)
    assert due == midnight(2026, 10, 10)
    assert timezone.localtime(due).hour == 0
    assert calendar.due_date(due) == dt.date(2026, 10, 9)


@pytest.mark.req("S0-16.1")
def test_start_day_not_counted_even_late_at_night():
    # Monday 23:59 + 2 working days ends at the end of Wednesday; the Monday is not counted (art. 201).
    assert calendar.add_working_days(at(2026, 6, 1, 23, 59), 2) == midnight(2026, 6, 4)
    # A period starting on a holiday counts from the next working day.
    assert calendar.add_working_days(at(2026, 10, 3), 2) == midnight(2026, 10, 10)


@pytest.mark.req("S0-16.1")
def test_spring_festival_2026_is_skipped_and_adjusted_saturdays_count():
    # Fri 13 Feb 2026; Sat 14 Feb is an adjusted working day; 15–23 Feb are the Spring Festival holidays.
    assert calendar.is_workday(dt.date(2026, 2, 14)) is True
    assert calendar.is_workday(dt.date(2026, 2, 17)) is False
    due = calendar.add_working_days(at(2026, 2, 13, 17), 2)
    assert calendar.due_date(due) == dt.date(2026, 2, 24)  # 14 Feb (adjusted) + 24 Feb
    assert calendar.add_working_days(at(2026, 2, 14), 1) == midnight(2026, 2, 25)


@pytest.mark.req("S0-16.1")
def test_adjusted_working_saturday_after_national_day():
    assert calendar.is_workday(dt.date(2026, 10, 10)) is True  # a Saturday
    assert calendar.is_workday(dt.date(2026, 10, 11)) is False
    assert calendar.day_info(dt.date(2026, 10, 10)).source == calendar.SOURCE_PACKAGE
    assert calendar.due_date(calendar.add_working_days(at(2026, 10, 9), 1)) == dt.date(2026, 10, 10)


@pytest.mark.req("S0-27")
@freeze_time("2026-09-28T09:00:00+08:00")
def test_five_working_days_for_a_personal_data_change():
    # Mon 28 Sep: 29, 30 Sep, the holidays, 8, 9 Oct and the adjusted Saturday 10 Oct is the fifth working day.
    due = calendar.add_working_days(timezone.now(), 5)
    assert calendar.due_date(due) == dt.date(2026, 10, 10)
    assert due == midnight(2026, 10, 11)


@pytest.mark.req("S0-5.3")
def test_three_working_days_before_a_meeting():
    # An application filed on Wed 30 Sep for 3 working days must wait until 12 Oct 00:00 (8, 9, 10 Oct).
    assert calendar.add_working_days(at(2026, 9, 30), 3) == midnight(2026, 10, 11)
    assert calendar.working_days_between(at(2026, 9, 30), at(2026, 10, 12)) == 4
    assert calendar.working_days_between(at(2026, 10, 12), at(2026, 9, 30)) == -4
    assert calendar.working_days_between(at(2026, 10, 1), at(2026, 10, 7)) == 0


@pytest.mark.req("S0-16.1", "S0-27")
def test_calendar_days_and_months_move_off_holidays():
    # 5 calendar days from 28 Sep end on 3 Oct, a holiday: the period ends on the next working day, 8 Oct.
    assert calendar.add_calendar_days(at(2026, 9, 28), 5) == midnight(2026, 10, 9)
    assert calendar.add_calendar_days(at(2026, 6, 1), 3) == midnight(2026, 6, 5)
    # One month from 31 Jan: no 31 Feb -> last day of Feb (28 Feb 2026, an adjusted working day).
    assert calendar.add_months(at(2026, 1, 31), 1) == midnight(2026, 3, 1)
    # One month from 1 Sep ends on 1 Oct, a holiday -> 8 Oct.
    assert calendar.add_months(at(2026, 9, 1), 1) == midnight(2026, 10, 9)
    assert calendar.add_months(at(2025, 11, 30), 3) == midnight(2026, 3, 1)  # no 30 Feb: 28 Feb (adjusted)
    with pytest.raises(ValueError):
        calendar.add_working_days(at(2026, 1, 5), -1)


@pytest.mark.req("S0-16.1")
@freeze_time("2026-11-20T10:00:00+08:00")
def test_year_without_data_follows_the_holiday_rules_marked_predicted():
    assert calendar.day_info(dt.date(2027, 1, 1)) == calendar.DayInfo(
        dt.date(2027, 1, 1), False, calendar.SOURCE_PREDICTED, "New Year's Day"
    )
    assert calendar.is_workday(dt.date(2030, 10, 1)) is False  # National Day, a Tuesday
    assert calendar.is_workday(dt.date(2030, 10, 8)) is True  # no bridged day invented
    assert calendar.is_workday(dt.date(2030, 10, 5)) is False  # a Saturday
    # Fri 31 Dec 2027 + 2 working days: Mon 3 and Tue 4 Jan 2028.
    assert calendar.add_working_days(at(2027, 12, 31), 2) == midnight(2028, 1, 5)
    assert calendar.years_without_data() == [2027]


@pytest.mark.req("S0-16.1")
def test_override_makes_a_day_a_holiday_or_a_working_day(sysadmin):
    assert calendar.is_workday(dt.date(2027, 2, 9)) is True  # the Tuesday after 初三 (8 Feb)
    services.set_override(actor=sysadmin, day=dt.date(2027, 2, 9), is_workday=False, note="春节")
    assert calendar.day_info(dt.date(2027, 2, 9)) == calendar.DayInfo(
        dt.date(2027, 2, 9), False, calendar.SOURCE_OVERRIDE, "春节"
    )
    services.set_override(actor=sysadmin, day=dt.date(2027, 2, 20), is_workday=True, note="调休")
    # Thu 4 Feb 2027 + 2 working days: 5–8 Feb are 除夕…初三, 9 Feb is now a holiday: Wed 10 and Thu 11.
    assert calendar.due_date(calendar.add_working_days(at(2027, 2, 4), 2)) == dt.date(2027, 2, 11)
    # Fri 19 Feb + 1 working day: the adjusted Saturday 20 Feb.
    assert calendar.due_date(calendar.add_working_days(at(2027, 2, 19), 1)) == dt.date(2027, 2, 20)
    # An override also beats the package.
    services.set_override(actor=sysadmin, day=dt.date(2026, 10, 1), is_workday=True)
    assert calendar.is_workday(dt.date(2026, 10, 1)) is True
    services.delete_override(actor=sysadmin, day=dt.date(2026, 10, 1))
    assert calendar.is_workday(dt.date(2026, 10, 1)) is False
    assert CalendarOverride.objects.count() == 2


@pytest.mark.req("S0-16.1", "S0-27")
@freeze_time("2026-11-20T10:00:00+08:00")
def test_years_without_data_disappear_once_the_year_is_confirmed(sysadmin):
    assert calendar.years_without_data() == [2027]
    services.set_override(actor=sysadmin, day=dt.date(2027, 1, 1), is_workday=False, note="元旦")
    assert calendar.years_without_data() == [2027]  # an override alone does not confirm the year
    services.confirm_year(actor=sysadmin, year=2027)
    assert calendar.years_without_data() == []
    assert calendar.years_without_data(range(2003, 2006)) == [2003]


@pytest.mark.req("S0-16.1", "S0-27")
def test_overrides_are_cached_per_year(sysadmin, django_assert_num_queries):
    services.set_override(actor=sysadmin, day=dt.date(2027, 3, 1), is_workday=False)
    calendar.is_workday(dt.date(2027, 3, 1))
    with django_assert_num_queries(0):
        for day in range(1, 29):
            calendar.is_workday(dt.date(2027, 2, day))
        calendar.add_working_days(at(2027, 2, 1), 15)
