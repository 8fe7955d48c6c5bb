"""Test helpers shared by every app: build org trees and users through the real services."""

import itertools

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import User
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodyType, Level, OrgUnit, UnitKind

PASSWORD = "Lvzhi@2026pass"
_phones = itertools.count(13800000001)


def next_phone() -> str:
    while True:
        phone = str(next(_phones))
        if not User.objects.filter(phone=phone).exists():
            return phone


def make_body(name="测试市政协", level=Level.CITY, body_type=BodyType.CPPCC, parent=None) -> OrgUnit:
    return org_services.create_unit(
        actor=None, name=name, kind=UnitKind.BODY, level=level, body_type=body_type, parent=parent
    )


def make_unit(parent: OrgUnit, name="办公室", kind=UnitKind.OFFICE, function="") -> OrgUnit:
    return org_services.create_unit(actor=None, name=name, kind=kind, parent=parent, function=function)


def make_user(
    unit: OrgUnit,
    *,
    roles=(),
    real_name="测试用户",
    phone=None,
    password=PASSWORD,
    must_change_password=False,
    id_card="",
) -> User:
    """A user of `unit`. `roles` lists role codes (granted at `unit`) or (role, unit[, include_descendants])."""
    user = account_services.create_user(
        actor=None,
        phone=phone or next_phone(),
        real_name=real_name,
        unit=unit,
        initial_password=password,
        id_card=id_card,
    )
    if not must_change_password:
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
    for spec in roles:
        role, at, below = (spec, unit, False) if isinstance(spec, str) else (tuple(spec) + (False,))[:3]
        account_services.grant_role(actor=None, user=user, role=role, unit=at, include_descendants=below)
    return user


def login(client, user, password=PASSWORD):
    """Log a test client in through the real login page."""
    response = client.post("/accounts/login/", {"phone": user.phone, "password": password})
    assert response.status_code in (200, 302), response.status_code
    return response


# --- accounts: administrators (三员) log in with a second factor (TOTP, S2-34) -------------------------------------

_password_login = login


def totp_token(device) -> str:
    """The current code of a django-otp TOTP device, as an authenticator app would show it."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def totp_device(user):
    """The user's confirmed TOTP device, created if there is none, ready to accept the current code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return device


def login(client, user, password=PASSWORD):  # noqa: F811  (extends the page login above with the second factor)
    """Log a test client in through the real login page; an administrator also passes the TOTP step."""
    from lvzhi.accounts.models import RoleAssignment
    from lvzhi.accounts.roles import ADMIN_ROLES

    response = _password_login(client, user, password)
    is_admin = RoleAssignment.objects.filter(user=user, role__in=ADMIN_ROLES, revoked_at__isnull=True).exists()
    if is_admin and response.status_code == 302:
        verified = client.post("/accounts/otp/verify/", {"token": totp_token(totp_device(user))})
        assert verified.status_code == 302, verified.status_code
    return response
