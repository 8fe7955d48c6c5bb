"""The opinions test world (a city CPPCC with two committees and a second body) plus a provincial body above a city
one, and helpers to put deadlines around National Day 2026 through the real services."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.roles import Role
from lvzhi.opinions import services as opinions
from lvzhi.opinions.tests.conftest import build_world, submit
from lvzhi.orgs.models import Level, UnitKind
from lvzhi.testing import make_body, make_unit, make_user


def aware(y, m, d, hh=0, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def holiday_cases(w):
    """Three reports to the economic committee on Mon 28 Sep 2026: the 2-working-day limit to pass them on ends on
    Wed 30 Sep, the last working day before National Day (1–7 Oct). One is handled on 30 Sep (on time), one on
    Thu 8 Oct, the first working day after the holiday (late), one is still waiting on 8 Oct (overdue)."""
    with freeze_time("2026-09-28T10:00:00+08:00"):
        reports = [submit(w, title=f"东湖路问题{i}") for i in range(3)]
    with freeze_time("2026-09-30T16:00:00+08:00"):
        opinions.handle_in_committee(actor=w.staff, report=reports[0])
    with freeze_time("2026-10-08T09:00:00+08:00"):
        opinions.handle_in_committee(actor=w.staff, report=reports[1])
    return reports


@pytest.fixture
def w(db):
    w = build_world()
    w.province = make_body("江海省政协", level=Level.PROVINCE)
    w.city = make_body("南岭市政协", parent=w.province)
    w.city_econ = make_unit(w.city, "经济委员会", kind=UnitKind.COMMITTEE)
    w.city_staff = make_user(w.city_econ, roles=[Role.STAFF], real_name="南岭干事")
    w.province_leader = make_user(w.province, roles=[Role.LEADER], real_name="省领导")
    w.city_leader = make_user(w.city, roles=[Role.LEADER], real_name="市领导")
    return w
