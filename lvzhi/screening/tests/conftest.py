from types import SimpleNamespace

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import Level, UnitFunction
from lvzhi.screening import engine
from lvzhi.testing import make_body, make_unit, make_user

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_card(first17: str) -> str:
    """A mainland ID-card number with a valid GB 11643 check digit."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def luhn_complete(partial: str) -> str:
    """`partial` plus the Luhn check digit."""
    for digit in "0123456789":
        number = partial + digit
        total = 0
        for i, char in enumerate(reversed(number)):
            value = int(char) * (2 if i % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return number
    raise AssertionError


@pytest.fixture(autouse=True)
def _fresh_automaton():
    engine.forget()
    yield
    engine.forget()


@pytest.fixture
def world(db):
    """A city CPPCC (top level) with a county CPPCC below it, another city's CPPCC; a user per role."""
    w = SimpleNamespace()
    w.city = make_body("江海市政协")
    w.county = make_body("东湖区政协", level=Level.COUNTY, parent=w.city)
    w.other = make_body("北川市政协")
    info = make_unit(w.city, "信息化办", function=UnitFunction.INFO_OFFICE)
    secrecy = make_unit(w.city, "保密办", function=UnitFunction.SECRECY_OFFICE)
    w.users = {
        "info_city": make_user(info, roles=[(Role.INFO_OFFICE, w.city, True)], real_name="孙信息"),
        "secrecy_city": make_user(secrecy, roles=[(Role.SECRECY_OFFICE, w.city, True)], real_name="韩保密"),
        "info_county": make_user(w.county, roles=[(Role.INFO_OFFICE, w.county, True)], real_name="李区信息"),
        "secrecy_county": make_user(w.county, roles=[(Role.SECRECY_OFFICE, w.county, True)], real_name="周区保密"),
        "info_other": make_user(w.other, roles=[(Role.INFO_OFFICE, w.other, True)], real_name="赵外市"),
        "staff": make_user(w.city, roles=[Role.STAFF], real_name="钱干部"),
        "member": make_user(w.city, roles=[Role.MEMBER], real_name="王委员"),
        "sysadmin": make_user(w.city, roles=[(Role.SYSADMIN, w.city, True)], real_name="系统管理员"),
    }
    return w
