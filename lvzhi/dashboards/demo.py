"""Demo: leaders who open the dashboards from their home page (phones 13900003301, -02 and -04; a committee's head
is the duty demo's 李振华, no new user there: a head of the economic committee would leave its columns' chains
without staff). Idempotent: only missing users and roles are added; the on-time roll-up is brought up to date (the
demo's cases keep it exact anyway)."""

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import OrgUnit

from . import rollup

DEMO_PASSWORD = "Lvzhi@2026demo"  # the demo password of every demo login (README)
# (phone, name, post, path of unit names from the root, role, reaching down)
PEOPLE = [
    ("13900003301", "黎晓东", "市政协主席（领导驾驶舱）", ("江海市政协",), Role.LEADER, False),
    ("13900003302", "柯文澜", "市人大常委会主任（领导驾驶舱）", ("江海市人大常委会",), Role.LEADER, False),
    ("13900003304", "温建业", "市住建局局长", ("江海市人民政府", "市住建局"), Role.HEAD, False),
]
# For the demo login list (lvzhi.web.demo): (what they see, phone).
LOGINS = [
    ("领导驾驶舱：市政协领导（本机关及东湖区政协）", "13900003301"),
    ("领导驾驶舱：市人大常委会领导（本机关及西山县、青石镇）", "13900003302"),
    # a committee's head (the duty demo's 李振华): their committee's figures
    ("领导驾驶舱：文化文史和学习委员会负责人（本委员会）", "13900000802"),
    ("领导驾驶舱：市住建局负责人（本单位）", "13900003304"),
]


def _unit(path) -> OrgUnit | None:
    unit = None
    for name in path:
        unit = OrgUnit.objects.filter(parent=unit, name=name).first()
        if unit is None:
            return None
    return unit


def load_dashboards_demo(actor=None) -> int:
    created = 0
    for phone, name, post, path, role, below in PEOPLE:
        unit = _unit(path)
        if unit is None:
            continue
        user = User.objects.filter(phone=phone).first()
        if user is None:
            user = account_services.create_user(
                actor=actor, phone=phone, real_name=name, unit=unit, initial_password=DEMO_PASSWORD, title=post
            )
            account_services.mark_demo_password_kept(actor=actor, user=user)
            created += 1
        if not RoleAssignment.objects.filter(user=user, role=role, unit=unit, revoked_at__isnull=True).exists():
            account_services.grant_role(actor=actor, user=user, role=role, unit=unit, include_descendants=below)
    rollup.refresh_overdue()
    return created
