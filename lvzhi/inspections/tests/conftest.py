"""A city government (its office the competent office) with two departments, their websites and accounts, the
people of every role, and another city whose people see nothing."""

import pytest

import lvzhi.urls  # noqa: F401  (the API schemas are built before any test freezes the clock)
from lvzhi.accounts.roles import Role
from lvzhi.newmedia.models import Outlet, Status
from lvzhi.orgs.models import BodyType, UnitKind
from lvzhi.testing import make_body, make_unit, make_user


class World:
    pass


def outlet(body, unit, platform, name):
    return Outlet.objects.create(
        body=body, platform=platform, name=name, verification_subject=unit.name, host_unit=unit,
        competent_office=body, status=Status.OPEN,
    )  # fmt: skip


def build_world():
    w = World()
    w.body = make_body("江海市人民政府", body_type=BodyType.GOVERNMENT)
    w.housing = make_unit(w.body, "市住建局", kind=UnitKind.HANDLING_UNIT)
    w.edu = make_unit(w.body, "市教育局", kind=UnitKind.HANDLING_UNIT)
    w.op = make_user(w.housing, roles=[Role.NM_OPERATOR], real_name="蒋运营")
    w.chief = make_user(w.housing, roles=[Role.NM_EDITOR], real_name="秦总编")
    w.head = make_user(w.housing, roles=[Role.HEAD], real_name="住建局长")
    w.staff = make_user(w.housing, roles=[Role.STAFF], real_name="普通干部")
    w.office = make_user(w.body, roles=[Role.NM_COMPETENT], real_name="尤主管")
    w.edu_op = make_user(w.edu, roles=[Role.NM_OPERATOR], real_name="沈教育")
    w.member = make_user(w.body, roles=[Role.MEMBER], real_name="某委员")
    w.sysadmin = make_user(w.body, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    w.body2 = make_body("西山市人民政府", body_type=BodyType.GOVERNMENT)
    w.dept2 = make_unit(w.body2, "西山市文旅局", kind=UnitKind.HANDLING_UNIT)
    w.office2 = make_user(w.body2, roles=[Role.NM_COMPETENT], real_name="西山主管")
    w.op2 = make_user(w.dept2, roles=[Role.NM_OPERATOR], real_name="西山运营")
    w.site = outlet(w.body, w.housing, "site", "江海市住建局网站")
    w.wechat = outlet(w.body, w.housing, "wechat", "住建之声")
    w.edu_wechat = outlet(w.body, w.edu, "wechat", "教育之窗")
    w.other = outlet(w.body2, w.dept2, "wechat", "西山文旅")
    return w


@pytest.fixture
def w(db):
    return build_world()


def no_findings(check):
    return {}


def deductions(check, **codes):
    """Items for score_outlet: {"W-D1": 5, ...} as deductions with a note; "veto" codes as True."""
    items = {}
    for code, value in codes.items():
        code = code.replace("_", "-")
        if value is True:
            items[code] = {"veto": True, "note": "发现问题"}
        else:
            items[code] = {"deduction": str(value), "note": "发现问题"}
    return items
