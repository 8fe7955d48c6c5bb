"""A city CPPCC with an information office (a head who approves, a staffer who keeps the queue), a department
(the economic committee: a staffer who applies, its head), members in committees, the body's leader, the three
administrators, and another body whose people see nothing. Video through the test provider unless a test sets
the Jitsi settings."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.accounts import services as account_services
from lvzhi.accounts.roles import Role
from lvzhi.consultation import services
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import make_body, make_unit, make_user


class World:
    pass


def build_world():
    w = World()
    w.body = make_body("江海市政协")
    w.info = make_unit(w.body, "信息化办", function="info_office")
    w.econ = make_unit(w.body, "经济委员会", kind=UnitKind.COMMITTEE)
    w.social = make_unit(w.body, "社会和法制委员会", kind=UnitKind.COMMITTEE)
    w.info_head = make_user(w.info, roles=[Role.HEAD], real_name="信息办主任")
    w.info_staff = make_user(w.info, roles=[Role.STAFF], real_name="信息办干部")
    w.econ_staff = make_user(w.econ, roles=[Role.STAFF], real_name="郑海波")
    w.econ_head = make_user(w.econ, roles=[Role.HEAD], real_name="王建平")
    w.social_staff = make_user(w.social, roles=[Role.STAFF], real_name="吴若兰")
    w.leader = make_user(w.body, roles=[Role.LEADER], real_name="褚国强")
    w.m1 = make_user(w.body, roles=[Role.MEMBER], real_name="金文博")
    w.m2 = make_user(w.body, roles=[Role.MEMBER], real_name="魏静怡")
    w.m3 = make_user(w.body, roles=[Role.MEMBER], real_name="陶宏宇")
    for user, committee in ((w.m1, w.econ), (w.m2, w.econ), (w.m3, w.social)):
        account_services.set_member_profile(actor=None, user=user, body=w.body, committee=committee)
    w.sysadmin = make_user(w.info, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    w.auditadmin = make_user(w.info, roles=[(Role.AUDITADMIN, w.body, True)], real_name="华审计")
    w.body2 = make_body("西山县政协")
    w.info2 = make_unit(w.body2, "信息化办", function="info_office")
    w.econ2 = make_unit(w.body2, "经济委员会", kind=UnitKind.COMMITTEE)
    w.info_head2 = make_user(w.info2, roles=[Role.HEAD], real_name="西山信息办")
    w.staff2 = make_user(w.econ2, roles=[Role.STAFF], real_name="孔西山")
    w.leader2 = make_user(w.body2, roles=[Role.LEADER], real_name="张西山")
    w.member2 = make_user(w.body2, roles=[Role.MEMBER], real_name="彭诗涵")
    account_services.set_member_profile(actor=None, user=w.member2, body=w.body2, committee=w.econ2)
    return w


@pytest.fixture
def w(db):
    return build_world()


@pytest.fixture(autouse=True)
def _test_video(settings):
    settings.LVZHI_VIDEO_PROVIDER = "test"


def soon(days=10, hour=9):
    """A start `days` calendar days from now at `hour`, local time."""
    now = timezone.localtime()
    return timezone.make_aware(dt.datetime.combine(now.date() + dt.timedelta(days=days), dt.time(hour, 0)))


def member_meeting(w, *, by=None, starts_at=None, invite=()):
    m = services.start_member_meeting(
        actor=by or w.m1,
        body=w.body,
        title="关于营商环境的远程协商",
        agenda="议程",
        starts_at=starts_at or soon(),
        duration_minutes=60,
        undertaking=True,
    )
    if invite:
        services.invite(actor=by or w.m1, meeting=m, user_ids=[u.pk for u in invite])
    return m


def department_meeting(w, *, starts_at=None, approve=False, invite=()):
    m = services.apply_for_meeting(
        actor=w.econ_staff,
        unit=w.econ,
        title="经济委员会远程协商会",
        starts_at=starts_at or soon(days=20),
        duration_minutes=90,
        undertaking=True,
    )
    if invite:
        services.invite(actor=w.econ_staff, meeting=m, user_ids=[u.pk for u in invite])
    if approve:
        m = services.decide_application(actor=w.info_head, meeting=m, approve=True)
    return m
