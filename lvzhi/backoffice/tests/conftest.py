from types import SimpleNamespace

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import Level, UnitFunction, UnitKind, UnitLeader
from lvzhi.testing import login, make_body, make_unit, make_user

# The roles of the permission matrix.
ROLES = [
    "anonymous",
    "member",
    "info_in",
    "info_out",
    "general",
    "liaison",
    "sysadmin",
    "secadmin",
    "auditadmin",
]


def name_leaders(*units):
    """S2-5: the units' responsible leaders are named (operator accounts are given only then)."""
    for unit in units:
        for duty in UnitLeader.Duty.values:
            UnitLeader.objects.create(unit=unit, duty=duty, name=f"{unit.name}{duty}", post="负责人")


@pytest.fixture
def world(db):
    """A city CPPCC with a county below it, and another city's CPPCC; a user for every back-office role."""
    w = SimpleNamespace()
    w.city = make_body("江海市政协")
    w.county = make_body("东湖区政协", level=Level.COUNTY, parent=w.city)
    w.other = make_body("北川市政协")
    w.info = make_unit(w.city, "信息化办", function=UnitFunction.INFO_OFFICE)
    w.general = make_unit(w.city, "办公厅", function=UnitFunction.GENERAL_OFFICE)
    w.liaison = make_unit(w.city, "委员联络委员会", function=UnitFunction.LIAISON_OFFICE)
    w.sector = make_unit(w.city, "经济界", kind=UnitKind.SECTOR)
    w.committee = make_unit(w.city, "提案委员会", kind=UnitKind.COMMITTEE)
    w.research = make_unit(w.city, "研究室", function=UnitFunction.RESEARCH_OFFICE)
    w.other_info = make_unit(w.other, "信息化办", function=UnitFunction.INFO_OFFICE)
    name_leaders(
        w.city, w.county, w.other, w.info, w.general, w.liaison, w.sector, w.committee, w.research, w.other_info
    )

    w.users = {
        "anonymous": None,
        "member": make_user(w.city, roles=[Role.MEMBER], real_name="王委员", id_card="110101199003071234"),
        "info_in": make_user(w.info, roles=[(Role.INFO_OFFICE, w.city, True)], real_name="李信息"),
        "info_out": make_user(w.other_info, roles=[(Role.INFO_OFFICE, w.other, True)], real_name="周外信"),
        "general": make_user(w.general, roles=[Role.STAFF], real_name="孙办公"),
        "liaison": make_user(w.liaison, roles=[Role.STAFF], real_name="钱联络"),
        "sysadmin": make_user(w.info, roles=[(Role.SYSADMIN, w.city, True)], real_name="吴系统"),
        "secadmin": make_user(w.info, roles=[(Role.SECADMIN, w.city, True)], real_name="郑安全"),
        "auditadmin": make_user(w.info, roles=[(Role.AUDITADMIN, w.city, True)], real_name="冯审计"),
    }
    # Targets: a staff member and a member of the city body; a user of the other body.
    w.staff = make_user(w.research, roles=[Role.STAFF], real_name="陈研究", id_card="110101198501011234")
    w.member = w.users["member"]
    w.outsider = make_user(w.other, roles=[Role.STAFF], real_name="韩外人")
    return w


@pytest.fixture
def as_role(client, world):
    """Log the client in as the matrix role `name` (anonymous: not at all); returns the user."""

    def _login(name):
        user = world.users[name]
        if user is not None:
            login(client, user)
        return user

    return _login


@pytest.fixture
def chinese(settings):
    """Pages in the default language, zh-hans, translated by the committed catalogue."""
    settings.LANGUAGE_CODE = "zh-hans"
    yield
