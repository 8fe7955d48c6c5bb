"""The demo data of `lvzhi demo`: an invented city with its CPPCC, people's congress, counties, a township and
government handling units, ~30 members and deputies and a staff user for every role.

Everything here is invented: no real people, phone numbers in the 139 0000 / 138 0000 ranges. Every demo user's
password is DEMO_PASSWORD and none must change it at login, except FORCED_CHANGE_PHONE, who shows the forced
change of the initial password (S0-22). The three administrators log in with the DEMO-ONLY TOTP secret
DEMO_TOTP_SECRET (base32) in any authenticator app.

`load_demo()` is idempotent: it looks everything up first and writes (through the services, audited) only what is
missing or different, so a second run changes nothing.
"""

import base64

from django.db import transaction
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.backoffice import services as backoffice_services
from lvzhi.consultation.demo import LOGINS as CONSULTATION_LOGINS
from lvzhi.dashboards.demo import LOGINS as DASHBOARD_LOGINS
from lvzhi.deliberation.demo import LOGINS as DELIBERATION_LOGINS
from lvzhi.duty.demo import LOGINS as DUTY_LOGINS
from lvzhi.letters.demo import LOGINS as LETTERS_LOGINS
from lvzhi.newmedia.demo import LOGINS as NEWMEDIA_LOGINS
from lvzhi.onboarding.demo import LOGINS as ONBOARDING_LOGINS
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodySetting, BodyType, Level, OrgUnit, UnitFunction, UnitKind
from lvzhi.portal.demo import LOGINS as PORTAL_LOGINS
from lvzhi.proposals.demo import HEADS
from lvzhi.web.demo_staffing import extra_logins

DEMO_PASSWORD = "Lvzhi@2026demo"
# DEMO ONLY: a fixed TOTP key, printed by `lvzhi demo`. Never use demo data in production.
DEMO_TOTP_KEY = "4c767a68692d64656d6f2d6f6e6c792d746f7470"  # 20 bytes, hex (django-otp's format)
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode("ascii")
DEMO_DEVICE_NAME = "demo"
FORCED_CHANGE_PHONE = "13800000099"

BODY, COMMITTEE, OFFICE, HOTLINE, SECTOR = (
    UnitKind.BODY,
    UnitKind.COMMITTEE,
    UnitKind.OFFICE,
    UnitKind.HOTLINE,
    UnitKind.SECTOR,
)
DELEGATION, GROUP, HANDLING = UnitKind.DELEGATION, UnitKind.GROUP, UnitKind.HANDLING_UNIT
F = UnitFunction

CPPCC = "江海市政协"
CONGRESS = "江海市人大常委会"
GOV = "江海市人民政府"

SECTORS = ["中共", "民革", "民盟", "民建", "无党派人士", "经济界", "教育界", "医药卫生界", "科技界", "文化艺术界"]

# (path of names from the root, kind, function, level, body type) — parents come before their children.
UNITS = [
    ((CPPCC,), BODY, "", Level.CITY, BodyType.CPPCC),
    ((CPPCC, "办公厅"), OFFICE, F.GENERAL_OFFICE, None, None),
    ((CPPCC, "研究室"), OFFICE, F.RESEARCH_OFFICE, None, None),
    ((CPPCC, "委员联络委员会"), COMMITTEE, F.LIAISON_OFFICE, None, None),
    ((CPPCC, "信息化办"), OFFICE, F.INFO_OFFICE, None, None),
    ((CPPCC, "保密办"), OFFICE, F.SECRECY_OFFICE, None, None),
    ((CPPCC, "提案委员会"), COMMITTEE, F.PROPOSALS_OFFICE, None, None),
    ((CPPCC, "经济委员会"), COMMITTEE, "", None, None),
    ((CPPCC, "社会和法制委员会"), COMMITTEE, "", None, None),
    ((CPPCC, "文化文史和学习委员会"), COMMITTEE, F.STUDY, None, None),
    ((CPPCC, "新闻宣传处"), OFFICE, F.PUBLICITY, None, None),
    ((CPPCC, "委员热线"), HOTLINE, "", None, None),
    *[((CPPCC, name), SECTOR, "", None, None) for name in SECTORS],
    ((CPPCC, "东湖区政协"), BODY, "", Level.COUNTY, BodyType.CPPCC),
    ((CPPCC, "东湖区政协", "办公室"), OFFICE, F.GENERAL_OFFICE, None, None),
    ((CPPCC, "东湖区政协", "委员联络室"), OFFICE, F.LIAISON_OFFICE, None, None),
    ((CPPCC, "东湖区政协", "提案委员会"), COMMITTEE, F.PROPOSALS_OFFICE, None, None),
    ((CPPCC, "东湖区政协", "经济界"), SECTOR, "", None, None),
    ((CPPCC, "西山县政协"), BODY, "", Level.COUNTY, BodyType.CPPCC),
    ((CPPCC, "西山县政协", "办公室"), OFFICE, F.GENERAL_OFFICE, None, None),
    ((CPPCC, "西山县政协", "委员联络室"), OFFICE, F.LIAISON_OFFICE, None, None),
    ((CONGRESS,), BODY, "", Level.CITY, BodyType.CONGRESS),
    ((CONGRESS, "办公厅"), OFFICE, F.GENERAL_OFFICE, None, None),
    ((CONGRESS, "研究室"), OFFICE, F.RESEARCH_OFFICE, None, None),
    ((CONGRESS, "代表联络委员会"), COMMITTEE, F.LIAISON_OFFICE, None, None),
    ((CONGRESS, "信息化办"), OFFICE, F.INFO_OFFICE, None, None),
    ((CONGRESS, "人代会议案办"), OFFICE, F.PROPOSALS_OFFICE, None, None),
    ((CONGRESS, "法制委员会"), COMMITTEE, "", None, None),
    ((CONGRESS, "财政经济委员会"), COMMITTEE, "", None, None),
    ((CONGRESS, "教育科学文化卫生委员会"), COMMITTEE, "", None, None),
    ((CONGRESS, "东湖区代表团"), DELEGATION, "", None, None),
    ((CONGRESS, "东湖区代表团", "第一代表小组"), GROUP, "", None, None),
    ((CONGRESS, "西山县代表团"), DELEGATION, "", None, None),
    ((CONGRESS, "西山县代表团", "第一代表小组"), GROUP, "", None, None),
    ((CONGRESS, "东湖区人大常委会"), BODY, "", Level.COUNTY, BodyType.CONGRESS),
    ((CONGRESS, "东湖区人大常委会", "办公室"), OFFICE, F.GENERAL_OFFICE, None, None),
    ((CONGRESS, "西山县人大常委会"), BODY, "", Level.COUNTY, BodyType.CONGRESS),
    ((CONGRESS, "西山县人大常委会", "办公室"), OFFICE, F.GENERAL_OFFICE, None, None),
    ((CONGRESS, "西山县人大常委会", "青石镇人大"), BODY, "", Level.TOWNSHIP, BodyType.CONGRESS),
    ((CONGRESS, "西山县人大常委会", "青石镇人大", "人大办"), OFFICE, F.GENERAL_OFFICE, None, None),
    ((GOV,), BODY, "", Level.CITY, BodyType.GOVERNMENT),
    ((GOV, "市住建局"), HANDLING, "", None, None),
    ((GOV, "市教育局"), HANDLING, "", None, None),
    ((GOV, "市卫生健康委"), HANDLING, "", None, None),
    ((GOV, "市交通运输局"), HANDLING, "", None, None),
]

# Body settings that show inheritance: the county overrides the city; the township inherits its county.
SETTINGS = [
    ((CPPCC,), "workflow.reminder_working_days", 2),
    ((CPPCC, "西山县政协"), "workflow.reminder_working_days", 1),
    ((CONGRESS, "西山县人大常委会"), "accounts.data_change_working_days", 3),
]


def _staff(phone, name, unit, roles, title="", label=""):
    return {"phone": phone, "name": name, "unit": unit, "roles": roles, "title": title, "label": label}


# Staff: one user for every role. roles: (role, unit path, reaches below)
STAFF = [
    _staff("13900000001", "孙立华", (CPPCC, "信息化办"), [(Role.INFO_OFFICE, (CPPCC,), True)], "信息化办主任"),
    _staff("13900000002", "周明轩", (CPPCC, "办公厅"), [(Role.STAFF, (CPPCC, "办公厅"), False)], "办公厅干部"),
    _staff(
        "13900000003",
        "吴若兰",
        (CPPCC, "委员联络委员会"),
        [(Role.STAFF, (CPPCC, "委员联络委员会"), False)],
        "联络处干部",
    ),
    _staff(
        "13900000004",
        "郑海波",
        (CPPCC, "提案委员会"),
        [(Role.STAFF, (CPPCC, "提案委员会"), False)],
        "专委会工作处干部",
        "committee office staff",
    ),
    _staff(
        "13900000005", "王建平", (CPPCC, "提案委员会"), [(Role.HEAD, (CPPCC, "提案委员会"), False)], "提案委员会主任"
    ),
    # S0-7.1/7.2: a committee's notices and topics are reviewed by another staff member of its office (工作处).
    _staff(
        "13900000061", "罗审稿", (CPPCC, "提案委员会"), [(Role.STAFF, (CPPCC, "提案委员会"), False)], "专委会工作处干部"
    ),
    # S0-7.3: reposts from other media are reviewed by the research office's publicity section.
    _staff("13900000062", "邵宣传", (CPPCC, "新闻宣传处"), [(Role.STAFF, (CPPCC, "新闻宣传处"), False)], "宣传处干部"),
    _staff("13900000006", "冯晓东", (CPPCC, "研究室"), [(Role.STAFF, (CPPCC, "研究室"), False)], "研究室干部"),
    _staff("13900000007", "陈思远", (CPPCC, "研究室"), [(Role.HEAD, (CPPCC, "研究室"), False)], "研究室主任"),
    _staff("13900000008", "褚国强", (CPPCC,), [(Role.LEADER, (CPPCC,), False)], "副主席"),
    _staff("13900000009", "卫丽娟", (CPPCC, "委员热线"), [(Role.HOTLINE, (CPPCC, "委员热线"), False)], "热线接线员"),
    _staff("13900000010", "蒋志刚", (GOV, "市住建局"), [(Role.HANDLING, (GOV, "市住建局"), False)], "办公室科员"),
    _staff("13900000011", "沈雅琴", (GOV, "市教育局"), [(Role.HANDLING, (GOV, "市教育局"), False)], "办公室科员"),
    _staff("13900000012", "韩保密", (CPPCC, "保密办"), [(Role.SECRECY_OFFICE, (CPPCC,), True)], "保密办干部"),
    _staff("13900000013", "杨志愿", (CPPCC, "信息化办"), [(Role.MONITOR, (CPPCC,), False)], "信息化志愿者"),
    # The new-media operator and chief editor work in the publicity section: they also write (as its staff and
    # head) in the columns it owns (S0-7.3).
    _staff(
        "13900000014",
        "朱新媒",
        (CPPCC, "新闻宣传处"),
        [(Role.NM_OPERATOR, (CPPCC, "新闻宣传处"), False), (Role.STAFF, (CPPCC, "新闻宣传处"), False)],
        "运营编辑",
    ),
    _staff(
        "13900000015",
        "秦主编",
        (CPPCC, "新闻宣传处"),
        [(Role.NM_EDITOR, (CPPCC, "新闻宣传处"), False), (Role.HEAD, (CPPCC, "新闻宣传处"), False)],
        "总编辑",
    ),
    _staff("13900000016", "尤主管", (CPPCC, "办公厅"), [(Role.NM_COMPETENT, (CPPCC,), False)], "主管处室干部"),
    _staff("13900000017", "许人大", (CONGRESS, "信息化办"), [(Role.INFO_OFFICE, (CONGRESS,), True)], "信息化办主任"),
    _staff("13900000018", "何联络", (CONGRESS, "代表联络委员会"), [(Role.STAFF, (CONGRESS, "代表联络委员会"), False)]),
    _staff("13900000019", "吕议案", (CONGRESS, "人代会议案办"), [(Role.STAFF, (CONGRESS, "人代会议案办"), False)]),
    _staff("13900000020", "施主任", (CONGRESS,), [(Role.LEADER, (CONGRESS,), False)], "常委会副主任"),
    _staff("13900000021", "张东湖", (CPPCC, "东湖区政协"), [(Role.LEADER, (CPPCC, "东湖区政协"), False)], "区政协主席"),
    _staff(
        "13900000022",
        "孔西山",
        (CPPCC, "西山县政协", "委员联络室"),
        [(Role.STAFF, (CPPCC, "西山县政协", "委员联络室"), False)],
    ),
    _staff(
        "13900000031",
        "曹系统",
        (CPPCC, "信息化办"),
        [(Role.SYSADMIN, (CPPCC,), True), (Role.SYSADMIN, (CONGRESS,), True), (Role.SYSADMIN, (GOV,), True)],
        "系统管理员",
    ),
    _staff(
        "13900000032",
        "严安全",
        (CPPCC, "信息化办"),
        [(Role.SECADMIN, (CPPCC,), True), (Role.SECADMIN, (CONGRESS,), True), (Role.SECADMIN, (GOV,), True)],
        "安全管理员",
    ),
    _staff(
        "13900000033",
        "华审计",
        (CPPCC, "信息化办"),
        [(Role.AUDITADMIN, (CPPCC,), True), (Role.AUDITADMIN, (CONGRESS,), True), (Role.AUDITADMIN, (GOV,), True)],
        "审计管理员",
    ),
]

# CPPCC members: (phone, name, sector, committee, workplace)
MEMBERS = [
    ("13800000001", "金文博", "中共", "经济委员会", "江海市发展研究中心主任"),
    ("13800000002", "魏静怡", "民革", "社会和法制委员会", "江海律师事务所律师"),
    ("13800000003", "陶宏宇", "民盟", "文化文史和学习委员会", "江海大学教授"),
    ("13800000004", "姜雨桐", "民建", "经济委员会", "江海纺织有限公司董事长"),
    ("13800000005", "戚书航", "无党派人士", "提案委员会", "江海市第一中学校长"),
    ("13800000006", "谢慧敏", "经济界", "经济委员会", "江海农商银行行长"),
    ("13800000007", "邹子涵", "教育界", "文化文史和学习委员会", "江海职业技术学院副院长"),
    ("13800000008", "喻嘉怡", "医药卫生界", "社会和法制委员会", "江海市人民医院主任医师"),
    ("13800000009", "柏振华", "科技界", "经济委员会", "江海新材料研究院研究员"),
    ("13800000010", "水若曦", "文化艺术界", "文化文史和学习委员会", "江海市文化馆馆长"),
    ("13800000011", "窦明哲", "经济界", "提案委员会", "江海港务集团副总经理"),
    ("13800000012", "章欣然", "教育界", "社会和法制委员会", "东湖区实验小学校长"),
    ("13800000013", "云鹏程", "医药卫生界", "提案委员会", "江海市中医院院长"),
    ("13800000014", "苏婉清", "民盟", "社会和法制委员会", "江海市妇幼保健院医师"),
    ("13800000015", "潘俊杰", "科技界", "经济委员会", "江海软件园企业负责人"),
    ("13800000016", "葛雅琪", "无党派人士", "文化文史和学习委员会", "江海日报社编辑"),
]
# County CPPCC members (东湖区政协).
COUNTY_MEMBERS = [
    ("13800000017", "范晨阳", "经济界", "提案委员会", "东湖区商会副会长"),
    ("13800000018", "彭诗涵", "经济界", "提案委员会", "东湖区农业合作社理事长"),
]
# Deputies of the city congress: (phone, name, delegation, group, committee, workplace)
DEPUTIES = [
    ("13800000021", "鲁志强", "东湖区代表团", "第一代表小组", "法制委员会", "东湖区社区工作者"),
    ("13800000022", "韦淑芬", "东湖区代表团", "第一代表小组", "财政经济委员会", "江海食品公司工人"),
    ("13800000023", "昌明远", "东湖区代表团", "第一代表小组", "", "东湖街道卫生服务中心医生"),
    ("13800000024", "马晓燕", "西山县代表团", "第一代表小组", "教育科学文化卫生委员会", "西山县中学教师"),
    ("13800000025", "苗国栋", "西山县代表团", "第一代表小组", "", "西山县果业合作社社长"),
    ("13800000026", "凤雨欣", "西山县代表团", "第一代表小组", "财政经济委员会", "西山县农商银行职员"),
    ("13800000027", "花建军", "东湖区代表团", "", "法制委员会", "江海物流公司司机"),
    ("13800000028", "方丽萍", "西山县代表团", "", "", "西山县卫生院护士"),
]
# Township deputies (青石镇人大): (phone, name, workplace)
TOWNSHIP_DEPUTIES = [
    ("13800000031", "俞大山", "青石镇石桥村党支部书记"),
    ("13800000032", "任春梅", "青石镇中心小学教师"),
    ("13800000033", "袁有福", "青石镇种粮大户"),
]
FORCED_CHANGE = ("13800000099", "钟新委", "经济界", "经济委员会", "江海市新任委员")


@transaction.atomic
def enrol_demo_totp(*, actor, user: User):
    """DEMO ONLY: give an administrator a confirmed TOTP device with the fixed, printed demo secret."""

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        return device
    device = TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=DEMO_TOTP_KEY, confirmed=True)
    record("accounts.otp.demo_enrol", actor=actor, obj=user, org_unit=user.unit_id, after={"device": device.pk})
    return device


@transaction.atomic
class DemoLoader:
    def __init__(self, actor=None):
        self.actor = actor
        self.units: dict[tuple, OrgUnit] = {}
        self.created = 0

    # ---- units and settings ----
    def unit(self, path: tuple) -> OrgUnit:
        return self.units[path]

    def ensure_units(self):
        for path, kind, function, level, body_type in UNITS:
            parent = self.units.get(path[:-1]) if len(path) > 1 else None
            unit = OrgUnit.objects.filter(parent=parent, name=path[-1]).first()
            if unit is None:
                unit = backoffice_services.create_unit(  # a body gets its default columns, an office its part
                    actor=self.actor,
                    name=path[-1],
                    kind=kind,
                    parent=parent,
                    level=level,
                    body_type=body_type,
                    function=function,
                )
                self.created += 1
            self.units[path] = unit

    def ensure_settings(self):
        for path, key, value in SETTINGS:
            body = self.unit(path)
            current = BodySetting.objects.filter(body=body, key=key).values_list("value", flat=True).first()
            if current != value:
                org_services.set_body_setting(actor=self.actor, body=body, key=key, value=value)

    # ---- users ----
    def ensure_user(self, *, phone, name, unit, title="", forced=False) -> User:
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = account_services.create_user(
                actor=self.actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title=title
            )
            if not forced:
                account_services.mark_demo_password_kept(actor=self.actor, user=user)
            self.created += 1
        return user

    def ensure_role(self, user, role, unit, below=False):
        if not RoleAssignment.objects.filter(user=user, role=role, unit=unit, revoked_at__isnull=True).exists():
            account_services.grant_role(actor=self.actor, user=user, role=role, unit=unit, include_descendants=below)

    def ensure_profile(self, user, body, *, sector=None, committee=None, delegation=None, term="", workplace=""):
        profile = MemberProfile.objects.filter(user=user, body=body).first()
        wanted = (getattr(sector, "pk", None), getattr(committee, "pk", None), getattr(delegation, "pk", None))
        if (
            profile is not None
            and (profile.sector_id, profile.committee_id, profile.delegation_id) == wanted
            and (profile.term, profile.workplace) == (term, workplace)
        ):
            return
        account_services.set_member_profile(
            actor=self.actor,
            user=user,
            body=body,
            sector=sector,
            committee=committee,
            delegation=delegation,
            term=term,
            workplace=workplace,
        )

    def ensure_member(self, body_path, phone, name, sector, committee, workplace, forced=False):
        body = self.unit(body_path)
        user = self.ensure_user(phone=phone, name=name, unit=body, title="政协委员", forced=forced)
        self.ensure_role(user, Role.MEMBER, body)
        self.ensure_profile(
            user,
            body,
            sector=self.unit((*body_path, sector)),
            committee=self.unit((*body_path, committee)) if committee else None,
            term="第十三届",
            workplace=workplace,
        )

    def load(self):
        self.ensure_units()
        self.ensure_settings()
        for spec in STAFF:
            user = self.ensure_user(
                phone=spec["phone"], name=spec["name"], unit=self.unit(spec["unit"]), title=spec["title"]
            )
            for role, path, below in spec["roles"]:
                self.ensure_role(user, role, self.unit(path), below)
            if any(role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN) for role, _p, _b in spec["roles"]):
                enrol_demo_totp(actor=self.actor, user=user)
        for phone, name, sector, committee, workplace in MEMBERS:
            self.ensure_member((CPPCC,), phone, name, sector, committee, workplace)
        for phone, name, sector, committee, workplace in COUNTY_MEMBERS:
            self.ensure_member((CPPCC, "东湖区政协"), phone, name, sector, committee, workplace)
        phone, name, sector, committee, workplace = FORCED_CHANGE
        self.ensure_member((CPPCC,), phone, name, sector, committee, workplace, forced=True)
        congress = self.unit((CONGRESS,))
        for phone, name, delegation, group, committee, workplace in DEPUTIES:
            user = self.ensure_user(phone=phone, name=name, unit=congress, title="人大代表")
            self.ensure_role(user, Role.DEPUTY, congress)
            self.ensure_profile(
                user,
                congress,
                committee=self.unit((CONGRESS, committee)) if committee else None,
                delegation=self.unit((CONGRESS, delegation, group) if group else (CONGRESS, delegation)),
                term="第十六届",
                workplace=workplace,
            )
        township = self.unit((CONGRESS, "西山县人大常委会", "青石镇人大"))
        for phone, name, workplace in TOWNSHIP_DEPUTIES:
            user = self.ensure_user(phone=phone, name=name, unit=township, title="镇人大代表")
            self.ensure_role(user, Role.DEPUTY, township)
            self.ensure_profile(user, township, term="第十九届", workplace=workplace)
        return self.created


# Each module's own demo cases, loaded after the people and bodies above (each loader is idempotent).
MODULE_DEMOS = [
    "lvzhi.proposals.demo.load_proposals_demo",
    "lvzhi.opinions.demo.load_opinions_demo",
    "lvzhi.duty.demo.load_duty_demo",
    "lvzhi.feedback.demo.load_feedback_demo",
    "lvzhi.deliberation.demo.load_deliberation_demo",
    "lvzhi.consultation.demo.load_consultation_demo",
    "lvzhi.newmedia.demo.load_newmedia_demo",
    "lvzhi.monitoring.demo.load_monitoring_demo",
    "lvzhi.inspections.demo.load_inspections_demo",
    # before staffing, which publishes an article in every column (the portal's public columns too)
    "lvzhi.portal.demo.load_portal_demo",
    "lvzhi.letters.demo.load_letters_demo",
    # last: staffs every step the chains and case flows declare, then publishes an article in every column
    "lvzhi.web.demo_staffing.load_staffing_demo",
    # after staffing: maintainers, sources, archive, a rumour rebuttal and an annual report (issue 9)
    "lvzhi.content.demo.load_content_rules_demo",
    # then the units that now have operators name their responsible leaders (S2-5)
    "lvzhi.web.demo_leaders.load_leaders_demo",
    # the learning library, a course with a video lesson and quiz, plans (after duty: its study staff exist)
    "lvzhi.learning.demo.load_learning_demo",
    # a liaison clerk with one finished spreadsheet import (issue 20)
    "lvzhi.onboarding.demo.load_onboarding_demo",
    # last: the leaders who open the dashboards, and the on-time roll-up brought up to date
    "lvzhi.dashboards.demo.load_dashboards_demo",
]


def load_demo(actor=None) -> int:
    """Create what is missing of the demo data; returns how many units, users and cases were created (0 on a
    re-run)."""

    with transaction.atomic():
        created = DemoLoader(actor).load()
    for dotted in MODULE_DEMOS:
        with transaction.atomic():
            created += import_string(dotted)(actor) or 0
    return created


def _login(role, name, phone, unit, body, note=""):
    return {"role": str(Role(role).label), "name": name, "phone": phone, "unit": unit, "body": body, "note": note}


def _stored_logins(logins, *, unit: str | None = None, body: str | None = None) -> list[dict]:
    """The rows of the module logins (label, phone) whose users the database holds, in the order given. Unit and
    body default to the user's unit and its body (the unit itself when it has none); a module may fix either."""
    users = {u.phone: u for u in User.objects.filter(phone__in=[p for _r, p in logins]).select_related("unit")}
    rows = []
    for label, phone in logins:
        if phone not in users:
            continue
        user = users[phone]
        own_body = user.unit.body if user.unit and user.unit.body_id else user.unit
        rows.append({"role": label, "name": user.real_name, "phone": phone,
                     "unit": str(user.unit or "") if unit is None else unit,
                     "body": str(own_body or "") if body is None else body, "note": ""})  # fmt: skip
    return rows


def demo_logins() -> list[dict]:
    """Every demo login, as printed by `lvzhi demo`: role, name, phone, unit, body, note. The users added to staff
    the chains (`demo_staffing`) and the handling units' heads come from the database."""

    rows = []
    for spec in STAFF:
        role, _path, _below = spec["roles"][0]
        body = spec["unit"][-2] if len(spec["unit"]) > 1 else spec["unit"][0]
        note = "TOTP" if role in (Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN) else ""
        rows.append(_login(role, spec["name"], spec["phone"], spec["unit"][-1], body, note))
    for phone, name, unit, _title in HEADS:
        rows.append(_login(Role.HEAD, name, phone, unit, GOV, "sign-off"))
    for phone, name, *_rest in MEMBERS:
        rows.append(_login(Role.MEMBER, name, phone, CPPCC, CPPCC))
    for phone, name, *_rest in COUNTY_MEMBERS:
        rows.append(_login(Role.MEMBER, name, phone, "东湖区政协", "东湖区政协"))
    for phone, name, *_rest in DEPUTIES:
        rows.append(_login(Role.DEPUTY, name, phone, CONGRESS, CONGRESS))
    for phone, name, _workplace in TOWNSHIP_DEPUTIES:
        rows.append(_login(Role.DEPUTY, name, phone, "青石镇人大", "青石镇人大"))

    module_logins = DUTY_LOGINS + CONSULTATION_LOGINS + LETTERS_LOGINS + DASHBOARD_LOGINS + ONBOARDING_LOGINS
    rows += _stored_logins(module_logins)
    rows += _stored_logins(DELIBERATION_LOGINS)
    rows += _stored_logins(PORTAL_LOGINS, unit="法制委员会", body="江海市人大常委会")
    rows += _stored_logins(NEWMEDIA_LOGINS, body=GOV)
    phone, name, *_rest = FORCED_CHANGE
    rows.append(_login(Role.MEMBER, name, phone, CPPCC, CPPCC, "must change password"))

    rows += [dict(r, note="added") for r in extra_logins()]
    return rows
