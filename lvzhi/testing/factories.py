"""factory_boy factories for the foundation's objects, built through the real services (never `objects.create`).

Org units keep their materialised path and body, users their password history and audit rows, because each
factory's `_create` calls the service that production code calls. Use them where a test needs "some unit" or "some
user" and does not care about the details:

    body = BodyFactory()                             # a city CPPCC committee with a unique name
    office = UnitFactory(parent=body, function="secrecy_office")
    clerk = UserFactory(unit=office, roles=[Role.STAFF])
"""

import itertools

import factory

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import User
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodyType, Level, OrgUnit, UnitKind

PASSWORD = "Lvzhi@2026pass"
_phones = itertools.count(13800000001)


def next_phone() -> str:
    """A mobile number no user of the test database has yet."""
    while True:
        phone = str(next(_phones))
        if not User.objects.filter(phone=phone).exists():
            return phone


class BodyFactory(factory.Factory):
    """A representative body (the root of an org tree, or below `parent`)."""

    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: "测试市政协" if n == 0 else f"测试市政协{n}")
    level = Level.CITY
    body_type = BodyType.CPPCC
    parent = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return org_services.create_unit(actor=None, kind=UnitKind.BODY, **kwargs)


class UnitFactory(factory.Factory):
    """An office (or another kind of unit) below `parent`."""

    class Meta:
        model = OrgUnit

    parent = factory.SubFactory(BodyFactory)
    name = "办公室"
    kind = UnitKind.OFFICE
    function = ""

    @classmethod
    def _create(cls, model_class, **kwargs):
        return org_services.create_unit(actor=None, **kwargs)


class UserFactory(factory.Factory):
    """A user of `unit` with the test password, no forced password change, and `roles` granted.

    `roles` lists role codes (granted at `unit`) or tuples (role, unit[, include_descendants]).
    """

    class Meta:
        model = User

    unit = factory.SubFactory(UnitFactory)
    phone = factory.LazyFunction(next_phone)
    real_name = "测试用户"
    password = PASSWORD
    id_card = ""
    must_change_password = False
    roles = ()

    @classmethod
    def _create(cls, model_class, *, unit, phone, real_name, password, id_card, must_change_password, roles):
        user = account_services.create_user(
            actor=None, phone=phone, real_name=real_name, unit=unit, initial_password=password, id_card=id_card
        )
        if not must_change_password:
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            user.must_change_password = False
        for spec in roles:
            role, at, below = (spec, unit, False) if isinstance(spec, str) else (tuple(spec) + (False,))[:3]
            account_services.grant_role(actor=None, user=user, role=role, unit=at, include_descendants=below)
        return user
