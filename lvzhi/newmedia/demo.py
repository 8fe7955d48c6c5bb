"""Demo registry for `lvzhi demo` (called from lvzhi/web/demo.py after the people and bodies).

Invented content only; idempotent (each piece is looked up first). The city government (江海市人民政府): its
portal, five department websites and about 20 accounts on WeChat, Weibo, Douyin and Toutiao, each filed and
reported; one old duplicate found in the inventory (住建局's second WeChat account), one account outside the matrix
(文旅局's Toutiao account, listed for closure), a filing waiting for the office's review and a registration
waiting to be filed. The city CPPCC's existing new-media users (朱新媒 operator, 秦主编 chief editor, 尤主管
competent office) host and review the CPPCC's own accounts.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import local_date
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.workdays import calendar

from . import services
from .models import Duty, Filing, FilingKind, NameApproval, Origin, Outlet, OutletPerson, Status

GOV, CPPCC = "江海市人民政府", "江海市政协"
# The city congress's portal site (lvzhi.portal's demo: /site/jianghai/, host jhrd.localhost) is registered too, so
# that the portal office sees the site evaluated against the inspection indicators (S4-2.1.3).
CONGRESS, CONGRESS_SITE, CONGRESS_URL = "江海市人大常委会", "江海市人大常委会网站", "http://jhrd.localhost/"
DEPTS = ["市住建局", "市教育局", "市卫生健康委", "市交通运输局", "市文化和旅游局"]
DEMO_PASSWORD = "Lvzhi@2026demo"
# (phone, name, unit under GOV or None for the body, roles, title)
STAFF = [
    ("13900001501", "邱主管", None, (Role.NM_COMPETENT,), "市政府办公室政务公开科"),
    ("13900001502", "蒋运营", "市住建局", (Role.NM_OPERATOR,), "住建局新媒体编辑"),
    ("13900001503", "黎总编", "市住建局", (Role.NM_EDITOR,), "住建局新媒体总编辑"),
    ("13900001504", "沈运营", "市教育局", (Role.NM_OPERATOR, Role.NM_EDITOR), "教育局新媒体编辑"),
]
LOGINS = [
    ("市政府办公室（政务新媒体主管：审核备案、上报、清理）", "13900001501"),
    ("市住建局新媒体编辑（登记账号、报备）", "13900001502"),
    ("市住建局新媒体总编辑", "13900001503"),
    ("市教育局新媒体编辑", "13900001504"),
]
PLATFORMS = ["wechat", "weibo", "douyin", "toutiao"]
ACCOUNT_NAMES = {"市住建局": "住建之声", "市教育局": "教育之窗", "市卫生健康委": "健康守护", "市交通运输局": "畅行交通"}


def _gov():
    return OrgUnit.objects.filter(name=GOV, parent__isnull=True).first()


def _ensure_user(actor, phone, name, unit, roles, title):
    user = User.objects.filter(phone=phone).first()
    made = 0
    if user is None:
        user = account_services.create_user(
            actor=actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title=title
        )
        account_services.mark_demo_password_kept(actor=actor, user=user)
        made = 1
    for role in roles:
        if not RoleAssignment.objects.filter(user=user, role=role, unit=unit, revoked_at=None).exists():
            account_services.grant_role(actor=actor, user=user, role=role, unit=unit)
    return user, made


def _outlet(body, unit, platform, name, people, *, origin=Origin.REGISTERED, in_matrix=True, decided=None):
    existing = Outlet.objects.filter(host_unit=unit, platform=platform, name=name).first()
    if existing is not None:
        return existing, 0
    decided = decided or calendar.working_days_before(local_date() - dt.timedelta(days=60), 1)
    outlet = Outlet.objects.create(
        body=body, platform=platform, name=name, verification_subject=unit.name, host_unit=unit,
        competent_office=body, status=Status.OPEN, origin=origin, in_matrix=in_matrix,
        account_id=f"jh_{platform}_{unit.pk}", decision_date=decided, decision_ref="党组会议纪要", head_consent=True,
        name_approval=NameApproval.APPROVED if "江海" in name else NameApproval.NOT_NEEDED,
    )  # fmt: skip
    for duty, user in people:
        OutletPerson.objects.get_or_create(outlet=outlet, user=user, duty=duty)
    if origin == Origin.REGISTERED:
        moment = timezone.now() - dt.timedelta(days=55)
        Filing.objects.create(
            outlet=outlet, kind=FilingKind.OPEN, status=Filing.Status.REPORTED, unit=unit, office=body,
            decision_date=decided, decision_ref="党组会议纪要", head_consent=True, file_by=decided, filed_at=moment,
            on_time=True, times_filed=1, accepted_at=moment, reported_at=moment, effected_at=moment,
        )  # fmt: skip
    return outlet, 1


def _staff_of(unit, fallback):
    users = [a.user for a in RoleAssignment.objects.filter(unit=unit, revoked_at=None, role=Role.NM_EDITOR)]
    users += [a.user for a in RoleAssignment.objects.filter(unit=unit, revoked_at=None, role=Role.NM_OPERATOR)]
    users = users or [fallback]
    return [(d.value, users[0]) for d in Duty]


def _departments_and_staff(gov, actor):
    """The government's departments and the new-media staff: (units by name, users by phone, how many made)."""
    made = 0
    for name in DEPTS:
        if not OrgUnit.objects.filter(parent=gov, name=name).exists():
            org_services.create_unit(actor=actor, name=name, kind=UnitKind.HANDLING_UNIT, parent=gov)
            made += 1
    units = {u.name: u for u in OrgUnit.objects.filter(parent=gov, name__in=DEPTS)}
    users = {}
    for phone, name, unit_name, roles, title in STAFF:
        unit = units[unit_name] if unit_name else gov
        users[phone], n = _ensure_user(actor, phone, name, unit, roles, title)
        made += n
    return units, users, made


def _grant_cppcc_new_media_roles(cppcc, actor) -> None:
    """The CPPCC's own new-media users host and review its accounts (granted once)."""
    if cppcc is None:
        return
    for phone, role in (("13900000014", Role.NM_OPERATOR), ("13900000015", Role.NM_EDITOR)):
        user = User.objects.filter(phone=phone).first()
        if user and not RoleAssignment.objects.filter(user=user, role=role, unit=cppcc, revoked_at=None).exists():
            account_services.grant_role(actor=actor, user=user, role=role, unit=cppcc)


def load_newmedia_demo(actor=None) -> int:
    gov = _gov()
    if gov is None:
        return 0
    made = 0
    with transaction.atomic():
        units, users, made = _departments_and_staff(gov, actor)
        office = users["13900001501"]
        cppcc = OrgUnit.objects.filter(name=CPPCC, parent__isnull=True).first()
        _grant_cppcc_new_media_roles(cppcc, actor)
        staff = {name: _staff_of(unit, office) for name, unit in units.items()}
        made += _outlet(gov, gov, "portal", "江海市人民政府门户网站", _staff_of(gov, office))[1]
        for name, unit in units.items():
            made += _outlet(gov, unit, "site", f"江海市{name[1:]}网站", staff[name])[1]
        for platform in ("wechat", "weibo"):
            made += _outlet(gov, gov, platform, "江海发布", _staff_of(gov, office))[1]
        for unit_name, account in ACCOUNT_NAMES.items():
            for platform in PLATFORMS:
                if unit_name == "市教育局" and platform == "douyin":
                    continue  # registered below and waiting to be filed
                made += _outlet(gov, units[unit_name], platform, account, staff[unit_name])[1]
        made += _outlet(gov, units["市文化和旅游局"], "wechat", "文旅江海", staff["市文化和旅游局"])[1]
        made += _outlet(gov, units["市文化和旅游局"], "toutiao", "文旅江海", staff["市文化和旅游局"], in_matrix=False)[
            1
        ]
        # An old duplicate found in the inventory: 住建局's second WeChat account.
        made += _outlet(gov, units["市住建局"], "wechat", "住建之声服务号", staff["市住建局"], origin=Origin.INVENTORY)[
            1
        ]
        if cppcc is not None and not Outlet.objects.filter(host_unit=cppcc).exists():
            made += _outlet(cppcc, cppcc, "wechat", "江海政协", _staff_of(cppcc, office))[1]
        congress = OrgUnit.objects.filter(name=CONGRESS, parent__isnull=True).first()
        if congress is not None:
            site, n = _outlet(congress, congress, "site", CONGRESS_SITE, [])
            if n:
                Outlet.objects.filter(pk=site.pk).update(url=CONGRESS_URL)
            made += n
    made += _pending(units, users)
    return made


def _pending(units, users) -> int:
    """A registration waiting to be filed (教育局, Douyin) and one filed, waiting for the office (卫健委 closing)."""
    edu = units["市教育局"]
    made = 0
    if not Outlet.objects.filter(host_unit=edu, platform="douyin").exists():
        op = users["13900001504"]
        with transaction.atomic():
            services.register_outlet(
                actor=op, host_unit=edu, platform="douyin", name="教育之窗", verification_subject=edu.name,
                decision_date=calendar.working_days_before(local_date(), 1), decision_ref="局党组会议纪要",
                head_consent=True, account_id="jh_edu_douyin",
                people={d.value: [op.pk] for d in Duty},
            )  # fmt: skip
        made += 1
    return made
