"""Demo remote-consultation meetings for `lvzhi demo` (called from lvzhi/web/demo.py after the people and bodies).

Invented content only; idempotent (each user and meeting is looked up first). Names the information office's head
(who approves applications) and an economic-committee staffer (who applies); leaves an approved department meeting
with the committee's members invited, an application awaiting the leader, and a meeting a member started himself.
The information office's 孙立华 (13900000001) keeps the queue; the CPPCC's leader 褚国强 (13900000008) may approve too.
"""

import datetime as dt

from django.utils import timezone

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import local_date
from lvzhi.orgs.models import OrgUnit
from lvzhi.workdays import calendar

from . import services
from .models import Meeting

CPPCC = "江海市政协"
DEMO_PASSWORD = "Lvzhi@2026demo"  # the one demo password (see lvzhi.web.demo)
# (phone, name, unit under the city CPPCC, role, title). The staffer works at 文化文史和学习委员会, which the duty
# and deliberation demos staff too: 经济委员会 stays without office staff for the reports' liaison-office fallback.
STAFF = [
    ("13900000901", "冯信息", "信息化办", Role.HEAD, "信息化办负责人"),
    ("13900000902", "韩会务", "文化文史和学习委员会", Role.STAFF, "文化文史和学习委员会办公室干部"),
]
LOGINS = [
    ("信息化办负责人（审批视频会议申请）", "13900000901"),
    ("文化文史和学习委员会工作人员（申请视频会议、邀请、主持）", "13900000902"),
    ("信息化办（视频会议申请队列）", "13900000001"),
    ("委员（发起远程协商、受邀参会）", "13800000001"),
]
APPROVED = "文化文史和学习委员会远程协商会：推进文旅融合发展"
PENDING = "文化文史和学习委员会视频座谈会：历史文化街区保护"
MEMBER = "委员远程协商：社区养老服务"


def _unit(name=None):
    body = OrgUnit.objects.filter(name=CPPCC, parent__isnull=True).first()
    if body is None or name is None:
        return body
    return OrgUnit.objects.filter(parent=body, name=name).first()


def _user(phone):
    return User.objects.filter(phone=phone, is_active=True).first()


def _ensure_staff(actor) -> int:
    made = 0
    for phone, name, unit_name, role, title in STAFF:
        unit = _unit(unit_name)
        if unit is None:
            continue
        user = _user(phone)
        if user is None:
            user = account_services.create_user(
                actor=actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title=title
            )
            account_services.mark_demo_password_kept(actor=actor, user=user)
            made += 1
        if not RoleAssignment.objects.filter(user=user, role=role, unit=unit, revoked_at=None).exists():
            account_services.grant_role(actor=actor, user=user, role=role, unit=unit)
    return made


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _working_days_ahead(n: int) -> dt.date:
    return calendar.due_date(calendar.add_working_days(timezone.now(), n))


def load_consultation_demo(actor=None) -> int:
    body = _unit()
    if body is None:
        return 0
    made = _ensure_staff(actor)
    staff, head, econ = _user("13900000902"), _user("13900000901"), _unit("文化文史和学习委员会")
    member = _user("13800000001")
    if not (staff and head and econ and member):
        return made
    if not Meeting.objects.filter(body=body, title=APPROVED).exists():
        m = services.apply_for_meeting(
            actor=staff,
            unit=econ,
            title=APPROVED,
            agenda="一、通报文旅融合发展情况\n二、委员协商发言\n三、部门回应",
            starts_at=_at(_working_days_ahead(8), 14, 30),
            duration_minutes=120,
            undertaking=True,
        )
        guests = [u.pk for u in (_user(p) for p in ("13800000001", "13800000003", "13800000005")) if u]
        services.invite(actor=staff, meeting=m, unit_ids=[econ.pk], user_ids=guests)
        services.decide_application(actor=head, meeting=m, approve=True, note="同意使用视频会议系统")
        made += 1
    if not Meeting.objects.filter(body=body, title=PENDING).exists():
        m = services.apply_for_meeting(
            actor=staff,
            unit=econ,
            title=PENDING,
            starts_at=_at(_working_days_ahead(12), 9, 30),
            duration_minutes=90,
            undertaking=True,
        )
        services.invite(actor=staff, meeting=m, unit_ids=[econ.pk])
        made += 1
    if not Meeting.objects.filter(body=body, title=MEMBER).exists():
        m = services.start_member_meeting(
            actor=member,
            body=body,
            title=MEMBER,
            agenda="围绕社区居家养老服务听取意见",
            starts_at=_at(local_date() + dt.timedelta(days=3), 10),
            duration_minutes=60,
            undertaking=True,
        )
        others = [u.pk for u in (_user(p) for p in ("13800000002", "13800000004", "13800000006")) if u]
        if others:
            services.invite(actor=member, meeting=m, user_ids=others)
        made += 1
    return made
