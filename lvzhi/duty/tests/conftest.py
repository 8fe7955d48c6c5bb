"""A city CPPCC with the units seed 003 names (general office, members' work committee, proposals committee, the
culture-and-history committee, two committees), every role of the duty module, members in committees and
sectors, a county CPPCC under it with its own rules (S3-18), and another body whose people see nothing."""

import datetime as dt

import pytest

from lvzhi.accounts import services as account_services
from lvzhi.accounts.roles import Role
from lvzhi.duty import ruledata
from lvzhi.orgs.models import Level, UnitKind
from lvzhi.testing import make_body, make_unit, make_user

YEAR = 2026


class World:
    pass


def build_world(rules=True):
    w = World()
    w.body = make_body("江海市政协")
    w.general = make_unit(w.body, "办公室", function="general_office")
    w.liaison = make_unit(w.body, "委员工作委员会", kind=UnitKind.COMMITTEE, function="liaison_office")
    w.proposals = make_unit(w.body, "提案委员会", kind=UnitKind.COMMITTEE, function="proposals_office")
    w.culture = make_unit(w.body, "文化文史和学习委员会", kind=UnitKind.COMMITTEE, function="study")
    w.econ = make_unit(w.body, "经济委员会", kind=UnitKind.COMMITTEE)
    w.social = make_unit(w.body, "社会和法制委员会", kind=UnitKind.COMMITTEE)
    w.info = make_unit(w.body, "信息化办", function="info_office")
    w.sector = make_unit(w.body, "经济界", kind=UnitKind.SECTOR)
    w.sector2 = make_unit(w.body, "教育界", kind=UnitKind.SECTOR)
    w.econ_staff = make_user(w.econ, roles=[Role.STAFF], real_name="郑海波")
    w.econ_head = make_user(w.econ, roles=[Role.HEAD], real_name="王建平")
    w.social_staff = make_user(w.social, roles=[Role.STAFF], real_name="吴若兰")
    w.gen_staff = make_user(w.general, roles=[Role.STAFF], real_name="周明轩")
    w.gen_head = make_user(w.general, roles=[Role.HEAD], real_name="办公室主任")
    w.liaison_staff = make_user(w.liaison, roles=[Role.STAFF], real_name="何联络")
    w.liaison_head = make_user(w.liaison, roles=[Role.HEAD], real_name="委员工作委主任")
    w.prop_staff = make_user(w.proposals, roles=[Role.STAFF], real_name="吕提案")
    w.prop_head = make_user(w.proposals, roles=[Role.HEAD], real_name="提案委主任")
    w.leader = make_user(w.body, roles=[Role.LEADER], real_name="褚国强")
    w.m1 = make_user(w.body, roles=[Role.MEMBER], real_name="金文博")
    w.m2 = make_user(w.body, roles=[Role.MEMBER], real_name="魏静怡")
    w.m3 = make_user(w.body, roles=[Role.MEMBER], real_name="陶宏宇")
    for user, committee, sector in ((w.m1, w.econ, w.sector), (w.m2, w.econ, w.sector2), (w.m3, w.social, w.sector)):
        account_services.set_member_profile(actor=None, user=user, body=w.body, committee=committee, sector=sector)
    w.sysadmin = make_user(w.info, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    w.secadmin = make_user(w.info, roles=[(Role.SECADMIN, w.body, True)], real_name="严安全")
    w.auditadmin = make_user(w.info, roles=[(Role.AUDITADMIN, w.body, True)], real_name="华审计")
    # A county CPPCC under the city: its own rules and entry units (S3-18).
    w.county = make_body("东湖区政协", level=Level.COUNTY, parent=w.body)
    w.county_office = make_unit(w.county, "办公室", function="general_office")
    w.county_liaison = make_unit(w.county, "委员联络室", function="liaison_office")
    w.county_staff = make_user(w.county_office, roles=[Role.STAFF], real_name="东湖干部")
    w.county_head = make_user(w.county_office, roles=[Role.HEAD], real_name="东湖主任")
    w.county_member = make_user(w.county, roles=[Role.MEMBER], real_name="范晨阳")
    account_services.set_member_profile(actor=None, user=w.county_member, body=w.county)
    # Another body.
    w.body2 = make_body("西山县政协")
    w.liaison2 = make_unit(w.body2, "委员联络室", function="liaison_office")
    w.econ2 = make_unit(w.body2, "经济委员会", kind=UnitKind.COMMITTEE)
    w.staff_b2 = make_user(w.econ2, roles=[Role.STAFF], real_name="孔西山")
    w.head_b2 = make_user(w.econ2, roles=[Role.HEAD], real_name="西山主任")
    w.liaison_b2 = make_user(w.liaison2, roles=[Role.STAFF], real_name="西山联络")
    w.leader_b2 = make_user(w.body2, roles=[Role.LEADER], real_name="张西山")
    w.member_b2 = make_user(w.body2, roles=[Role.MEMBER], real_name="彭诗涵")
    account_services.set_member_profile(actor=None, user=w.member_b2, body=w.body2, committee=w.econ2)
    if rules:
        w.rules, _c = ruledata.install(
            actor=None,
            body=w.body,
            year=YEAR,
            rules=ruledata.CITY_RULES,
            caps=ruledata.CITY_CAPS,
            year_cap=ruledata.CITY_YEAR_CAP,
            threshold=ruledata.CITY_THRESHOLD,
        )
        w.county_rules, _c = ruledata.install(
            actor=None,
            body=w.county,
            year=YEAR,
            rules=ruledata.COUNTY_RULES,
            caps=ruledata.COUNTY_CAPS,
            year_cap=ruledata.COUNTY_YEAR_CAP,
        )
    return w


@pytest.fixture
def w(db):
    return build_world()


DAY = dt.date(2026, 6, 10)  # a Wednesday


@pytest.fixture(scope="session", autouse=True)
def _urls_loaded_before_any_frozen_clock():
    """Load the URLconf (and with it the API's pydantic schemas) before a test freezes the clock: a schema built
    while freezegun has replaced `datetime.datetime` fails, and which test of a worker makes the first request
    depends on how xdist shares the tests out."""
    import lvzhi.urls  # noqa: F401
