"""Demo duty records for `lvzhi demo` (called from lvzhi/web/demo.py after the people, proposals and reports).

Invented content only; idempotent (each piece is looked up first). Installs the city CPPCC's rules for last year
and this year and the county's own (S3-18); names the staff of every role of the module (entering staff and heads
of the economic committee, the general office and the members' work committee, a county office, a department
administrator); enters and reviews a meeting with QR check-in, hand records and the automatic records of the demo
reports and proposals; leaves a record to review, a late entry to approve, an open check-in and an objection.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import local_date
from lvzhi.orgs.models import OrgUnit
from lvzhi.workdays import calendar

from . import ruledata, services
from .models import Attendance, Event, Objection, Record, Source
from .services.records import create_record

CPPCC, COUNTY = "江海市政协", "东湖区政协"
# (phone, name, unit path under the city CPPCC, role, title)
STAFF = [
    ("13900000801", "钱经委", ("文化文史和学习委员会",), Role.STAFF, "文化文史和学习委员会办公室干部"),
    ("13900000802", "李振华", ("文化文史和学习委员会",), Role.HEAD, "文化文史和学习委员会办公室主任"),
    ("13900000803", "赵文涛", ("办公厅",), Role.HEAD, "办公厅副主任"),
    ("13900000804", "林委工", ("委员联络委员会",), Role.HEAD, "委员工作委员会主任"),
    ("13900000805", "陆东湖", (COUNTY, "办公室"), Role.STAFF, "东湖区政协办公室干部"),
    ("13900000806", "杜东湖", (COUNTY, "办公室"), Role.HEAD, "东湖区政协办公室主任"),
    ("13900000807", "宋文史", ("文化文史和学习委员会",), None, "文化文史和学习委员会干部"),
]
ADMIN_PHONE = "13900000807"  # the culture-and-history committee's administrator of this module (S3-15)
LOGINS = [
    ("文化文史和学习委员会工作人员（录入、扫码签到）", "13900000801"),
    ("文化文史和学习委员会负责人（审核）", "13900000802"),
    ("办公厅负责人（审核自动生成的社情民意记录）", "13900000803"),
    ("委员工作委员会负责人（通报、抽查、补录审批）", "13900000804"),
    ("委员工作委员会工作人员（人员管理、规则）", "13900000003"),
    ("东湖区政协办公室工作人员（本级规则）", "13900000805"),
    ("东湖区政协办公室负责人（审核）", "13900000806"),
    ("部门管理员（文史委）", "13900000807"),
    ("委员（我的履职）", "13800000001"),
]
ECON_MEMBERS = ("13800000001", "13800000004", "13800000006", "13800000009", "13800000015")

DEMO_PASSWORD = "Lvzhi@2026demo"  # the one demo password (see lvzhi.web.demo)


def _unit(*names) -> OrgUnit | None:
    unit = OrgUnit.objects.filter(name=CPPCC, parent__isnull=True).first()
    for name in names:
        if unit is None:
            return None
        unit = OrgUnit.objects.filter(parent=unit, name=name).first()
    return unit


def _user(phone) -> User | None:
    return User.objects.filter(phone=phone, is_active=True).first()


def _ensure_staff(actor) -> int:
    made = 0
    for phone, name, path, role, title in STAFF:
        unit = _unit(*path)
        if unit is None:
            continue
        user = _user(phone)
        if user is None:
            user = account_services.create_user(
                actor=actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title=title
            )
            account_services.mark_demo_password_kept(actor=actor, user=user)
            made += 1
        if role and not RoleAssignment.objects.filter(user=user, role=role, unit=unit, revoked_at=None).exists():
            account_services.grant_role(actor=actor, user=user, role=role, unit=unit)
    return made


def _last_working_day(before: dt.date, n: int) -> dt.date:
    return calendar.working_days_before(before, n)


def load_duty_demo(actor=None) -> int:
    city, county = _unit(), _unit(COUNTY)
    if city is None:
        return 0
    made = _ensure_staff(actor)
    today = local_date()
    year = today.year
    with transaction.atomic():
        for y in (year - 1, year):
            made += ruledata.install(
                actor=actor,
                body=city,
                year=y,
                rules=ruledata.CITY_RULES,
                caps=ruledata.CITY_CAPS,
                year_cap=ruledata.CITY_YEAR_CAP,
                threshold=ruledata.CITY_THRESHOLD,
            )[1]
        if county is not None:
            made += ruledata.install(
                actor=actor,
                body=county,
                year=year,
                rules=ruledata.COUNTY_RULES,
                caps=ruledata.COUNTY_CAPS,
                year_cap=ruledata.COUNTY_YEAR_CAP,
                threshold=ruledata.COUNTY_THRESHOLD,
            )[1]
    admin = _user(ADMIN_PHONE)
    culture = _unit("文化文史和学习委员会")
    liaison_staff = _user("13900000003")
    if admin and culture and liaison_staff and not services.current_admin(culture):
        services.assign_admin(actor=liaison_staff, department=culture, user_id=admin.pk)
        made += 1
    made += _meeting(city, today)
    made += _hand_records(city, today)
    made += _review_automatic(city)
    made += _open_items(city, today)
    if made:  # a re-run changes nothing (not even an audit row)
        for y in (year - 1, year):
            services.recompute_year(body=city, year=y, actor=actor)
        if county is not None:
            services.recompute_year(body=county, year=year, actor=actor)
    return made


def _meeting(city, today) -> int:
    """A committee meeting a few working days ago: QR check-ins, a leave, a no-show; entered and reviewed."""
    title = "文化文史和学习委员会季度全体会议"
    if Event.objects.filter(body=city, title=title).exists():
        return 0
    staff, head, econ = _user("13900000801"), _user("13900000802"), _unit("文化文史和学习委员会")
    members = [u for u in (_user(p) for p in ECON_MEMBERS) if u is not None]
    if not (staff and head and econ and members):
        return 0
    day = _last_working_day(today, 2)
    with transaction.atomic():
        event = services.open_event(
            actor=staff, organiser=econ, title=title, day=day, invitee_ids=[m.pk for m in members]
        )
        token = services.qr_token(event)
        for member in members[:3]:
            services.check_in(actor=member, event_id=event.pk, token=token)
        if len(members) > 3:
            services.request_leave(actor=members[3], event_id=event.pk, reason="外出考察")
            att = Attendance.objects.get(event=event, member=members[3])
            services.decide_request(actor=staff, attendance_id=att.pk, approve=True)
        services.close_event(actor=staff, event=event)
        services.enter_event_records(actor=staff, event=event)
        services.review_records(actor=head, records=list(Record.objects.filter(event=event)))
    return 1


# (member phone, kind, outcome, title, unit path, quantity, months ago)
HAND = [
    ("13800000001", "plenary_speech", "delivered", "全会大会发言：推动港产城融合发展", ("办公厅",), 1, 8),
    ("13800000003", "history", "submitted", "文史资料：江海老港口的变迁", ("文化文史和学习委员会",), 1, 5),
    ("13800000004", "research", "submitted", "民营企业融资环境调研报告", ("文化文史和学习委员会",), 1, 4),
    ("13800000006", "meeting", "attended", "经济形势分析座谈会", ("文化文史和学习委员会",), 1, 6),
    ("13800000009", "meeting", "absent", "经济形势分析座谈会", ("文化文史和学习委员会",), 1, 6),
    ("13800000015", "article", "published", "委员风采宣传稿件", ("办公厅",), 2, 3),
    ("13800000002", "speech", "delivered", "法治化营商环境协商会发言", ("社会和法制委员会",), 1, 7),
    ("13800000010", "studio", "attended", "委员工作室接待群众", ("委员联络委员会",), 3, 2),
]


def _head_of(unit, member_id) -> User | None:
    return (
        User.objects.filter(
            role_assignments__unit=unit,
            role_assignments__role=Role.HEAD,
            role_assignments__revoked_at=None,
            is_active=True,
        )
        .exclude(pk=member_id)
        .order_by("pk")
        .first()
    )


def _hand_records(city, today) -> int:
    """Records of earlier months, as the entering units put them in then, reviewed by their heads."""
    made = 0
    for phone, kind, outcome, title, path, quantity, months in HAND:
        member, unit = _user(phone), _unit(*path)
        if member is None or unit is None or Record.objects.filter(member=member, title=title).exists():
            continue
        day = _months_ago(today, months)
        if day.year != today.year:
            continue
        with transaction.atomic():
            rec = create_record(
                actor=_user("13900000003"),
                body=city,
                member=member,
                kind=kind,
                outcome=outcome,
                day=day,
                title=title,
                organiser=unit,
                source=Source.HAND,
                quantity=quantity,
                late_needs_approval=False,
            )
            head = _head_of(rec.unit, rec.member_id)
            if head is not None:
                services.review_record(actor=head, record=rec)
        made += 1
    return made


def _months_ago(today: dt.date, months: int) -> dt.date:
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, min(today.day, 28))


def _review_automatic(city) -> int:
    """The general office's and the proposals committee's heads review the automatic records of the demo reports
    and proposals (all but one, left for the review queue)."""
    made = 0
    pending = list(
        Record.objects.filter(body=city, source=Source.AUTO, status=Record.Status.PENDING)
        .filter(Q(source_ref__startswith="opinions.") | Q(source_ref__startswith="proposals."))
        .order_by("pk")
    )  # not the deliberation posts or meetings of the demos loaded after this one: a re-run would review those
    for rec in pending[:-1]:
        head = _head_of(rec.unit, rec.member_id)
        if head is not None:
            services.review_record(actor=head, record=rec)
            made += 1
    return made


def _open_items(city, today) -> int:
    """An open check-in for today, a late entry awaiting the members' work committee, a record to review, an
    objection awaiting its answer."""
    made = 0
    staff, econ = _user("13900000801"), _unit("文化文史和学习委员会")
    if staff and econ and not Event.objects.filter(body=city, title="界别协商座谈会（扫码签到演示）").exists():
        members = [u for u in (_user(p) for p in ECON_MEMBERS) if u is not None]
        services.open_event(
            actor=staff,
            organiser=econ,
            title="界别协商座谈会（扫码签到演示）",
            day=today,
            invitee_ids=[m.pk for m in members],
        )
        made += 1
    member = _user("13800000004")
    if staff and econ and member and not Record.objects.filter(title="补录：企业走访活动").exists():
        services.enter_record(
            actor=staff,
            organiser=econ,
            member_id=member.pk,
            kind="activity",
            outcome="attended",
            day=_last_working_day(today, 8),
            title="补录：企业走访活动",
        )
        made += 1
    if staff and econ and member and not Record.objects.filter(title="产业链专题调研").exists():
        services.enter_record(
            actor=staff,
            organiser=econ,
            member_id=member.pk,
            kind="research",
            outcome="submitted",
            day=_last_working_day(today, 1),
            title="产业链专题调研",
        )
        made += 1
    objector = _user("13800000009")
    absent = Record.objects.filter(member=objector, outcome="absent", status=Record.Status.COUNTED).first()
    if objector and absent and not Objection.objects.filter(member=objector).exists():
        services.raise_objection(
            actor=objector,
            body=city,
            year=absent.year,
            target="record",
            record=absent,
            text_value="当天我在外地参加市里安排的招商活动，已向委员会口头请假，请核实。",
        )
        made += 1
    return made
