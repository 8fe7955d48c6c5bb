"""Test helpers and factory_boy factories (not under `core`: they import accounts and orgs).

from lvzhi.testing import PASSWORD, login, make_body, make_unit, make_user
from lvzhi.testing.factories import BodyFactory, UnitFactory, UserFactory
"""

from .factories import BodyFactory, UnitFactory, UserFactory, next_phone
from .helpers import PASSWORD, login, make_body, make_unit, make_user, totp_device, totp_token

__all__ = [
    "PASSWORD",
    "BodyFactory",
    "UnitFactory",
    "UserFactory",
    "login",
    "make_body",
    "make_unit",
    "make_user",
    "next_phone",
    "totp_device",
    "totp_token",
]
