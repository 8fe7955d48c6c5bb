"""Demo of deputies and the public for `lvzhi demo` (after the people, bodies and the new-media registry).

Invented content; idempotent (nothing is added once the township has a contact station). 青石镇人大 (a township
congress: directly elected deputies) gets a contact station (青石镇人大代表联络站) with its three deputies and a new
one, each with a published page and QR code; a reception day two weeks ahead with one booking; messages in every
state (received, forwarded, answered with a published public reply, passed on as a suggestion, concluded,
declined); a 纠错 in progress on the city's housing bureau website; a channel of the city's 东湖区代表团.

Logins (helper range 139000027xx): the township office 13900002701 (reviews public replies, abuse controls, deputies'
pages), the station's staff 13900002702, the deputy 13900002703 (answers, passes on, concludes)."""

import datetime as dt
import re

from django.utils import timezone

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.deputies import selectors as deputy_selectors
from lvzhi.deputies import services as deputies
from lvzhi.newmedia import selectors as newmedia
from lvzhi.notify.models import Delivery
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.workdays import calendar

from . import services
from .permissions import office_of

DEMO_PASSWORD = "Lvzhi@2026demo"  # the one demo password (see lvzhi.web.demo)
CONGRESS, COUNTY, TOWNSHIP = "江海市人大常委会", "西山县人大常委会", "青石镇人大"
STATION = "青石镇人大代表联络站"
OFFICE, STAFF, DEPUTY = "13900002701", "13900002702", "13900002703"
LOGINS = [
    ("青石镇人大办（代表信息公开、公开答复审核、防滥用设置）", OFFICE),
    ("青石镇人大代表联络站工作人员（办理给联络站和代表的留言、接待日）", STAFF),
    ("青石镇人大代表（答复留言、转为建议、办结）", DEPUTY),
]
MESSAGES = [
    # (writer, kind, title, text, steps)
    (
        "13700002701",
        "suggestion",
        "石桥村村口道路坑洼",
        "石桥村村口道路坑洼，雨天积水，老人孩子出行不便，请代表帮助反映。",
        "received",
    ),
    ("13700002702", "complaint", "集市占道经营", "每逢集日镇中心街占道经营严重，消防通道被堵。", "forwarded"),
    ("13700002703", "enquiry", "城乡居民医保缴费时间", "今年城乡居民医保什么时候开始缴费？在哪里缴？", "answered"),
    ("13700002704", "suggestion", "增设农村客运班次", "青石镇到县城的客运班次太少，建议早晚各增加一班。", "passed_on"),
    ("13700002705", "comment", "小学门口增设减速带", "中心小学门口车速过快，建议增设减速带。", "closed"),
    ("13700002706", "comment", "无关广告", "与代表工作无关的内容。", "declined"),
]


def _ensure_user(actor, phone, name, unit, role, title):
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = account_services.create_user(
            actor=actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title=title
        )
        account_services.mark_demo_password_kept(actor=actor, user=user)
    if not RoleAssignment.objects.filter(user=user, role=role, unit=unit, revoked_at=None).exists():
        account_services.grant_role(actor=actor, user=user, role=role, unit=unit)
    return user


def _code(phone: str, ip: str) -> str:
    # without the public rate limits: the demo may be loaded again within a minute (tests do)
    services.issue_code(phone=phone, ip=ip)
    return re.search(r"\d{6}", Delivery.objects.filter(to=phone).order_by("-pk").first().text).group(0)


def _write(n, phone, kind, title, text, **target):
    ip = f"demo-{n}"
    return services.write_letter(
        kind=kind,
        title=title,
        text=text,
        phone=phone,
        code=_code(phone, ip),
        ip=ip,
        via="qr" if n % 2 else "page",
        **target,
    )


def _advance(letter, state, *, deputy, staff, office, department):
    if state == "forwarded":
        services.forward_letter(actor=staff, letter=letter, unit_id=department.pk, note="请核实处理")
    elif state == "answered":
        letter = services.answer_letter(
            actor=staff,
            letter=letter,
            reply="城乡居民医保集中缴费期为每年9月至12月，可通过村委会或手机缴费。",
            public_reply="城乡居民医保集中缴费期为每年9月至12月，可在村委会或通过手机办理。",
        )
        services.review_publication(actor=office, letter=letter, publish=True)
    elif state in ("passed_on", "closed"):
        letter = services.pass_on(actor=deputy, letter=letter, passed_as="suggestion", note="已作为代表建议提交。")
        if state == "closed":
            services.close_letter(actor=deputy, letter=letter, result="县交通运输局已在学校门口设置减速带和警示标志。")
    elif state == "declined":
        services.decline_letter(actor=staff, letter=letter, reason="内容与代表履职无关")


def _units(actor, township):
    office = OrgUnit.objects.filter(body=township, function=UnitFunction.GENERAL_OFFICE).first() or township
    station_unit = OrgUnit.objects.filter(parent=township, name=STATION).first() or org_services.create_unit(
        actor=actor, name=STATION, kind=UnitKind.OFFICE, parent=township
    )
    return office, station_unit


def load_letters_demo(actor=None) -> int:
    township = OrgUnit.objects.filter(name=TOWNSHIP, kind=UnitKind.BODY).first()
    if township is None or deputy_selectors.public_stations(township).exists():
        return 0
    office_unit, station_unit = _units(actor, township)
    office = _ensure_user(actor, OFFICE, "柏清源", office_unit, Role.STAFF, "镇人大办干部")
    staff = _ensure_user(actor, STAFF, "岑晓雯", station_unit, Role.STAFF, "联络站专职工作人员")
    deputy = _ensure_user(actor, DEPUTY, "葛长青", township, Role.DEPUTY, "镇人大代表")
    account_services.set_member_profile(
        actor=actor, user=deputy, body=township, term="第十九届", workplace="青石镇卫生院院长"
    )
    deputy_users = [deputy, *User.objects.filter(phone__in=["13800000031", "13800000032", "13800000033"])]
    station = deputies.save_station(
        actor=office,
        body=township,
        unit=station_unit,
        name=STATION,
        address="青石镇人民路1号便民服务中心二楼",
        opening_hours="每月第一个星期三 9:00-11:30",
        deputy_ids=[u.pk for u in deputy_users],
    )
    pages = {}
    for i, user in enumerate(deputy_users):
        pages[user.pk] = deputies.save_page(
            actor=office,
            body=township,
            deputy=user,
            constituency=f"青石镇第{i + 1}选区",
            station_id=station.pk,
            introduction="依法履职，密切联系群众。",
            is_published=True,
        )
    day = calendar.add_working_days(timezone.localtime(), 10).date() - dt.timedelta(days=1)
    reception = deputies.announce_reception(
        actor=staff,
        station=station,
        day=day,
        hours="09:00-11:30",
        topic="农村道路和客运",
        capacity=12,
        deputy_ids=[deputy.pk],
    )
    deputies.book_reception(
        reception=reception, phone="13700002709", code=_code("13700002709", "demo-b"), name="", ip="demo-b"
    )
    county = OrgUnit.objects.filter(name=COUNTY, kind=UnitKind.BODY).first()
    department = OrgUnit.objects.filter(body=county, function=UnitFunction.GENERAL_OFFICE).first() or county
    created = 3
    for n, (phone, kind, title, text, state) in enumerate(MESSAGES):
        letter = _write(n, phone, kind, title, text, page=pages[deputy.pk])
        _advance(letter, state, deputy=deputy, staff=staff, office=office, department=department)
        created += 1
    outlet = newmedia.public_outlets().filter(platform__in=["site", "portal"]).first()
    if outlet is not None:
        _write(
            9,
            "13700002710",
            "error_report",
            "办事指南电话已停用",
            "网站“办事指南”栏目公布的咨询电话已停用，请更正。",
            outlet=outlet,
        )
        created += 1
    created += _channel_demo()
    return created


def _channel_demo() -> int:
    """The channel of the group of the city deputy 鲁志强 (13800000021), who posts first."""
    deputy = User.objects.filter(phone="13800000021").first()
    profile = MemberProfile.objects.filter(user=deputy, delegation__isnull=False).select_related("delegation").first()
    if profile is None or deputy_selectors.channels().filter(unit=profile.delegation).exists():
        return 0
    unit = profile.delegation
    body = unit.body or unit
    office = User.objects.filter(
        role_assignments__unit=office_of(body), role_assignments__role__in=[Role.STAFF, Role.HEAD]
    ).first()
    if office is None:
        return 0
    channel = deputies.open_channel(actor=office, unit=unit, title=f"{unit.name}与群众面对面", area="东湖区")
    deputies.post_as_deputy(actor=deputy, channel=channel, text="本月代表小组将围绕老旧小区改造听取意见，欢迎留言。")
    return 1
