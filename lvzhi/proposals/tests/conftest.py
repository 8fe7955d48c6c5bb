"""A small world for the proposals tests: a city congress and a city CPPCC with their proposals offices, a
government with three handling units, and one user for every part in the permission matrix."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.accounts.roles import Role
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodyType, Level, UnitKind
from lvzhi.proposals import services
from lvzhi.proposals.models import Classification, Contact, Kind
from lvzhi.testing import make_body, make_unit, make_user


def aware(y, m, d, hh=9, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


class World:
    pass


@pytest.fixture
def w(db):
    w = World()
    w.congress = make_body("测试市人大常委会", body_type=BodyType.CONGRESS)
    w.office = make_unit(w.congress, "人代会议案办", function="proposals_office")
    w.delegation = make_unit(w.congress, "东湖区代表团", kind=UnitKind.DELEGATION)
    w.cppcc = make_body("测试市政协", body_type=BodyType.CPPCC)
    w.cppcc_office = make_unit(w.cppcc, "提案委员会", kind=UnitKind.COMMITTEE, function="proposals_office")
    w.county = make_body("测试县人大常委会", level=Level.COUNTY, body_type=BodyType.CONGRESS, parent=w.congress)
    w.county_office = make_unit(w.county, "县人大办", function="proposals_office")
    w.gov = make_body("测试市人民政府", body_type=BodyType.GOVERNMENT)
    w.unit_a = make_unit(w.gov, "市住建局", kind=UnitKind.HANDLING_UNIT)
    w.unit_b = make_unit(w.gov, "市教育局", kind=UnitKind.HANDLING_UNIT)
    w.unit_c = make_unit(w.gov, "市卫健委", kind=UnitKind.HANDLING_UNIT)

    w.deputy = make_user(w.congress, roles=[Role.DEPUTY], real_name="鲁志强")
    w.deputies = [make_user(w.congress, roles=[Role.DEPUTY], real_name=f"代表{i}") for i in range(12)]
    w.cosigner = w.deputies[0]
    w.other_deputy = w.deputies[11]  # a deputy of the same body with nothing to do with the item
    w.county_deputy = make_user(w.county, roles=[Role.DEPUTY], real_name="县代表")
    w.member = make_user(w.cppcc, roles=[Role.MEMBER], real_name="金文博")
    w.member2 = make_user(w.cppcc, roles=[Role.MEMBER], real_name="魏静怡")
    w.clerk = make_user(w.office, roles=[Role.STAFF], real_name="吕议案")
    w.clerk2 = make_user(w.office, roles=[Role.STAFF], real_name="何办事")
    w.office_head = make_user(w.office, roles=[Role.HEAD], real_name="议案办主任")
    w.cppcc_clerk = make_user(w.cppcc_office, roles=[Role.STAFF], real_name="郑海波")
    w.leader = make_user(w.congress, roles=[Role.LEADER], real_name="施主任")
    w.lead_staff = make_user(w.unit_a, roles=[Role.HANDLING], real_name="蒋志刚")
    w.lead_head = make_user(w.unit_a, roles=[Role.HEAD], real_name="住建局局长")
    w.co_staff = make_user(w.unit_b, roles=[Role.HANDLING], real_name="沈雅琴")
    w.co_head = make_user(w.unit_b, roles=[Role.HEAD], real_name="教育局局长")
    w.other_unit = make_user(w.unit_c, roles=[Role.HANDLING], real_name="无关单位")
    w.sysadmin = make_user(w.congress, roles=[(Role.SYSADMIN, w.congress, True)], real_name="曹系统")
    w.auditadmin = make_user(w.congress, roles=[(Role.AUDITADMIN, w.congress, True)], real_name="华审计")
    return w


def draft(w, *, kind=Kind.SUGGESTION, proposer=None, body=None, title="关于加快老旧小区改造的建议", **extra):
    proposer = proposer or w.deputy
    body = body or w.congress
    return services.create_draft(
        actor=proposer,
        body=body,
        kind=kind,
        title=title,
        content="老旧小区设施陈旧，建议加快改造进度。",
        category=extra.pop("category", "社会建设"),
        keywords=extra.pop("keywords", "老旧小区 城市更新"),
        disclosure_consent=extra.pop("disclosure_consent", True),
        **extra,
    )


def submitted(w, **kw):
    p = draft(w, **kw)
    return services.submit(actor=p.proposer, proposal=p)


def accepted(w, **kw):
    p = submitted(w, **kw)
    return services.accept(actor=w.clerk, proposal=p)


def assigned(w, *, co=True, **kw):
    p = accepted(w, **kw)
    return services.assign(actor=w.clerk, proposal=p, lead_unit=w.unit_a, co_units=[w.unit_b] if co else [])


def lead_of(p):
    return p.assignments.get(role="lead", status__in=["handling", "replied"])


def co_of(p):
    return p.assignments.get(role="co")


def replied(w, *, classification=Classification.B, **kw):
    p = assigned(w, **kw)
    lead = lead_of(p)
    for co in p.assignments.filter(role="co", status="handling"):  # the lead unit's reply waits for their opinion
        services.send_opinion(actor=w.co_staff, assignment=co, opinion="同意主办单位意见。")
    services.record_contact(
        actor=w.lead_staff,
        assignment=lead,
        method=Contact.Method.PHONE,
        contacted_on=timezone.localdate(),
        note="电话联系代表，听取意见",
    )
    reply = services.save_reply(
        actor=w.lead_staff, assignment=lead, content="答复如下……", classification=classification
    )
    services.sign_off_reply(actor=w.lead_head, reply=reply)
    services.send_reply(actor=w.lead_staff, reply=reply)
    p.refresh_from_db()
    return p


def with_body_setting(body, key, value):
    org_services.set_body_setting(actor=None, body=body, key=key, value=value)
