"""A county congress with its liaison office, a contact station and its staff, a directly elected deputy with a
published page, a county government with a department hosting a website, and another county whose staff see
nothing. `sms_code(phone)` asks for an SMS code and reads it from the queued SMS."""

import re

import pytest

import lvzhi.urls  # noqa: F401  (the API schemas are built before any test freezes the clock)
from lvzhi.accounts.roles import Role
from lvzhi.accounts.services import set_member_profile
from lvzhi.deputies import services as deputies
from lvzhi.letters import services
from lvzhi.newmedia.models import Outlet
from lvzhi.notify.models import Delivery
from lvzhi.orgs.models import BodyType, Level, UnitFunction, UnitKind
from lvzhi.testing import make_body, make_unit, make_user

WRITER = "13700001234"


class World:
    pass


def build_world():
    w = World()
    w.county = make_body("西山县人大常委会", level=Level.COUNTY, body_type=BodyType.CONGRESS)
    w.liaison = make_unit(w.county, "县人大常委会代表工委", function=UnitFunction.LIAISON_OFFICE)
    w.station_unit = make_unit(w.county, "青石镇代表联络站")
    w.group = make_unit(w.county, "青石镇代表小组", kind=UnitKind.GROUP)
    w.deputy = make_user(w.county, roles=[Role.DEPUTY], real_name="俞大山")
    w.deputy2 = make_user(w.county, roles=[Role.DEPUTY], real_name="任春梅")
    set_member_profile(actor=None, user=w.deputy, body=w.county, delegation=w.group, workplace="石桥村党支部书记")
    w.station_staff = make_user(w.station_unit, roles=[Role.STAFF], real_name="联络站干事")
    w.office = make_user(w.liaison, roles=[Role.STAFF], real_name="代表工委干部")
    w.leader = make_user(w.county, roles=[Role.LEADER], real_name="常委会委员")
    w.gov = make_body("西山县人民政府", level=Level.COUNTY, body_type=BodyType.GOVERNMENT)
    w.gov_office = make_unit(w.gov, "县政府办公室", function=UnitFunction.GENERAL_OFFICE)
    w.housing = make_unit(w.gov, "县住建局", kind=UnitKind.HANDLING_UNIT)
    w.transport = make_unit(w.gov, "县交通局", kind=UnitKind.HANDLING_UNIT)
    w.host_staff = make_user(w.housing, roles=[Role.NM_OPERATOR], real_name="住建运营")
    w.gov_staff = make_user(w.gov_office, roles=[Role.STAFF], real_name="政府办干部")
    w.transport_staff = make_user(w.transport, roles=[Role.HANDLING], real_name="交通局干部")
    w.other = make_body("东湖区人大常委会", level=Level.COUNTY, body_type=BodyType.CONGRESS)
    w.other_liaison = make_unit(w.other, "区人大代表工委", function=UnitFunction.LIAISON_OFFICE)
    w.other_staff = make_user(w.other_liaison, roles=[Role.STAFF], real_name="外区干部")
    w.sysadmin = make_user(w.county, roles=[(Role.SYSADMIN, w.county, True)], real_name="曹系统")
    w.station = deputies.save_station(
        actor=w.office,
        body=w.county,
        unit=w.station_unit,
        name="青石镇人大代表联络站",
        address="青石镇人民路1号",
        deputy_ids=[w.deputy.pk, w.deputy2.pk],
    )
    w.page = deputies.save_page(
        actor=w.office,
        body=w.county,
        deputy=w.deputy,
        constituency="青石镇第三选区",
        station_id=w.station.pk,
        is_published=True,
    )
    w.outlet = Outlet.objects.create(
        body=w.gov,
        platform="site",
        name="西山县住建局网站",
        verification_subject="县住建局",
        host_unit=w.housing,
        competent_office=w.gov_office,
        status="open",
    )
    return w


@pytest.fixture
def w(db):
    return build_world()


def sms_code(phone=WRITER, ip="10.0.0.1") -> str:
    services.request_code(phone=phone, ip=ip)
    text = Delivery.objects.filter(to=phone, channel="sms").order_by("-pk").first().text
    return re.search(r"\d{6}", text).group(0)


def write(
    w,
    *,
    to="deputy",
    kind="suggestion",
    title="村口道路坑洼",
    text="石桥村村口道路坑洼，雨天积水，请帮忙反映。",
    phone=WRITER,
    **kw,
):
    target = {"deputy": {"page": w.page}, "station": {"station": w.station}, "outlet": {"outlet": w.outlet}}[to]
    return services.write_letter(
        kind=kind,
        title=title,
        text=text,
        phone=phone,
        code=sms_code(phone),
        ip=kw.pop("ip", "10.0.0.9"),
        **target,
        **kw,
    )
