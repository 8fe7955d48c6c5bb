import pytest

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitFunction
from lvzhi.testing import make_body, make_unit, make_user


class World:
    pass


@pytest.fixture
def w(db):
    w = World()
    w.body = make_body("江海市政协")
    w.info = make_unit(w.body, "信息化办", function=UnitFunction.INFO_OFFICE)
    w.committee = make_unit(w.body, "经济委员会")
    w.other_body = make_body("海州区政协")
    w.other_info = make_unit(w.other_body, "信息化办", function=UnitFunction.INFO_OFFICE)
    w.member = make_user(w.body, roles=[Role.MEMBER], real_name="金文博")
    w.member2 = make_user(w.body, roles=[Role.MEMBER], real_name="魏静怡")
    w.staff = make_user(w.committee, roles=[Role.STAFF], real_name="吴若兰")
    w.officer = make_user(w.info, roles=[Role.INFO_OFFICE], real_name="孙立华")
    w.info_head = make_user(w.info, roles=[Role.INFO_OFFICE, Role.HEAD], real_name="信息化办主任")
    w.other_officer = make_user(w.other_info, roles=[Role.INFO_OFFICE], real_name="外区信息化办")
    w.other_member = make_user(w.other_body, roles=[Role.MEMBER], real_name="外区委员")
    w.sysadmin = make_user(w.info, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    return w
