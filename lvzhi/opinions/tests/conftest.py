"""A city CPPCC with two committees, the members' liaison office, the members' hotline, every role, and a second
body whose people must not see anything of the first."""

import pytest

from lvzhi.accounts import services as account_services
from lvzhi.accounts.roles import Role
from lvzhi.opinions import services
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import make_body, make_unit, make_user


class World:
    pass


def build_world():
    w = World()
    w.body = make_body("江海市政协")
    w.econ = make_unit(w.body, "经济委员会", kind=UnitKind.COMMITTEE)
    w.social = make_unit(w.body, "社会和法制委员会", kind=UnitKind.COMMITTEE)
    w.liaison = make_unit(w.body, "委员联络委员会", kind=UnitKind.COMMITTEE, function="liaison_office")
    w.hotline_unit = make_unit(w.body, "委员热线", kind=UnitKind.HOTLINE)
    w.info = make_unit(w.body, "信息化办", function="info_office")
    w.staff = make_user(w.econ, roles=[Role.STAFF], real_name="郑海波")
    w.staff2 = make_user(w.econ, roles=[Role.STAFF], real_name="周明轩")
    w.head = make_user(w.econ, roles=[Role.HEAD], real_name="王建平")
    w.social_staff = make_user(w.social, roles=[Role.STAFF], real_name="吴若兰")
    w.social_head = make_user(w.social, roles=[Role.HEAD], real_name="陈思远")
    w.liaison_staff = make_user(w.liaison, roles=[Role.STAFF], real_name="何联络")
    w.hotline = make_user(w.hotline_unit, roles=[Role.HOTLINE], real_name="卫丽娟")
    w.hotline_head = make_user(w.hotline_unit, roles=[Role.HEAD], real_name="热线主任")
    w.leader = make_user(w.body, roles=[Role.LEADER], real_name="褚国强")
    w.member = make_user(w.body, roles=[Role.MEMBER], real_name="金文博")
    w.co = make_user(w.body, roles=[Role.MEMBER], real_name="魏静怡")
    w.other_member = make_user(w.body, roles=[Role.MEMBER], real_name="陶宏宇")
    w.loner = make_user(w.body, roles=[Role.MEMBER], real_name="葛雅琪")
    for user, committee in ((w.member, w.econ), (w.co, w.social), (w.other_member, w.econ), (w.loner, None)):
        account_services.set_member_profile(actor=None, user=user, body=w.body, committee=committee)
    w.sysadmin = make_user(w.info, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    w.secadmin = make_user(w.info, roles=[(Role.SECADMIN, w.body, True)], real_name="严安全")
    w.auditadmin = make_user(w.info, roles=[(Role.AUDITADMIN, w.body, True)], real_name="华审计")
    # Another body: its people see nothing of the first one.
    w.body2 = make_body("西山县政协")
    w.econ2 = make_unit(w.body2, "经济委员会", kind=UnitKind.COMMITTEE)
    w.hotline2 = make_unit(w.body2, "委员热线", kind=UnitKind.HOTLINE)
    w.staff_b2 = make_user(w.econ2, roles=[Role.STAFF], real_name="孔西山")
    w.head_b2 = make_user(w.econ2, roles=[Role.HEAD], real_name="西山主任")
    w.hotline_b2 = make_user(w.hotline2, roles=[Role.HOTLINE], real_name="西山热线")
    w.leader_b2 = make_user(w.body2, roles=[Role.LEADER], real_name="张西山")
    w.member_b2 = make_user(w.body2, roles=[Role.MEMBER], real_name="范晨阳")
    account_services.set_member_profile(actor=None, user=w.member_b2, body=w.body2, committee=w.econ2)
    return w


@pytest.fixture
def w(db):
    return build_world()


HOTLINE_TEXT = "东湖路与长江路交叉口的红绿灯已经坏了一周，早晚高峰拥堵严重，行人过街很危险，建议尽快修复并增设协管员。"


def submit(w, member=None, *, title="东湖路红绿灯损坏", category="sudden_problem", content=HOTLINE_TEXT, co=()):
    return services.create_report(
        actor=member or w.member,
        title=title,
        content=content,
        category=category,
        location="东湖区",
        co_reporter_ids=[u.pk for u in co],
        submit=True,
    )
