"""A city CPPCC with two committees (the hosting 经济委员会 with its staff and head, and 社会和法制委员会), members,
a leader, the three administrators, and another body whose people see nothing."""

import datetime as dt
import io

import pytest
from PIL import Image

from lvzhi.accounts import services as account_services
from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import local_date
from lvzhi.deliberation import services
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import make_body, make_unit, make_user

TODAY = local_date()  # the discussion runs today (posting checks the real day)


class World:
    pass


def build_world():
    w = World()
    w.body = make_body("江海市政协")
    w.general = make_unit(w.body, "办公厅", function="general_office")
    w.econ = make_unit(w.body, "经济委员会", kind=UnitKind.COMMITTEE)
    w.social = make_unit(w.body, "社会和法制委员会", kind=UnitKind.COMMITTEE)
    w.info = make_unit(w.body, "信息化办", function="info_office")
    w.staff = make_user(w.econ, roles=[Role.STAFF], real_name="郑海波")
    w.head = make_user(w.econ, roles=[Role.HEAD], real_name="王建平")
    w.social_staff = make_user(w.social, roles=[Role.STAFF], real_name="吴若兰")
    w.social_head = make_user(w.social, roles=[Role.HEAD], real_name="社法委主任")
    w.leader = make_user(w.body, roles=[Role.LEADER], real_name="褚国强")
    w.gen_staff = make_user(w.general, roles=[Role.STAFF], real_name="周明轩")
    w.m1 = make_user(w.body, roles=[Role.MEMBER], real_name="金文博")
    w.m2 = make_user(w.body, roles=[Role.MEMBER], real_name="魏静怡")
    w.m3 = make_user(w.body, roles=[Role.MEMBER], real_name="陶宏宇")
    for user, committee in ((w.m1, w.econ), (w.m2, w.econ), (w.m3, w.social)):
        account_services.set_member_profile(actor=None, user=user, body=w.body, committee=committee)
    w.sysadmin = make_user(w.info, roles=[(Role.SYSADMIN, w.body, True)], real_name="曹系统")
    w.auditadmin = make_user(w.info, roles=[(Role.AUDITADMIN, w.body, True)], real_name="华审计")
    w.body2 = make_body("西山县政协")
    w.econ2 = make_unit(w.body2, "经济委员会", kind=UnitKind.COMMITTEE)
    w.staff_b2 = make_user(w.econ2, roles=[Role.STAFF], real_name="孔西山")
    w.member_b2 = make_user(w.body2, roles=[Role.MEMBER], real_name="彭诗涵")
    account_services.set_member_profile(actor=None, user=w.member_b2, body=w.body2)
    return w


@pytest.fixture
def world(db):
    return build_world()


def topic_data(**over):
    data = {
        "title": "优化营商环境",
        "background": "我市营商环境评价情况及存在的问题。",
        "questions": "1. 如何降低企业制度性交易成本？",
        "discuss_from": TODAY,
        "discuss_until": TODAY + dt.timedelta(days=10),
        "meeting_date": TODAY + dt.timedelta(days=20),
        "meeting_form": "thematic",
    }
    data.update(over)
    return data


def draft(w, **over):
    return services.create_topic(actor=w.staff, committee=w.econ, data=topic_data(**over))


def approved(w, **over):
    topic = services.submit_topic(actor=w.staff, topic=draft(w, **over))
    return services.approve_topic(actor=w.head, topic=topic)


def published(w, **over):
    return services.publish_topic(actor=w.staff, topic=approved(w, **over), today=TODAY)


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()
