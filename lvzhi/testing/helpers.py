"""Test helpers shared by every app: build org trees and users through the real services, log in through pages."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import ADMIN_ROLES
from lvzhi.orgs.models import BodyType, Level, OrgUnit, UnitKind

from .factories import PASSWORD, BodyFactory, UnitFactory, UserFactory, next_phone


def make_body(name="测试市政协", level=Level.CITY, body_type=BodyType.CPPCC, parent=None) -> OrgUnit:
    return BodyFactory(name=name, level=level, body_type=body_type, parent=parent)


def make_unit(parent: OrgUnit, name="办公室", kind=UnitKind.OFFICE, function="") -> OrgUnit:
    return UnitFactory(parent=parent, name=name, kind=kind, function=function)


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
    return UserFactory(
        unit=unit,
        roles=roles,
        real_name=real_name,
        phone=phone or next_phone(),
        password=password,
        must_change_password=must_change_password,
        id_card=id_card,
    )


# --- accounts: administrators (三员) log in with a second factor (TOTP, S2-34) -------------------------------------


def totp_token(device) -> str:
    """The current code of a django-otp TOTP device, as an authenticator app would show it."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def totp_device(user):
    """The user's confirmed TOTP device, created if there is none, ready to accept the current code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return device


def login(client, user, password=PASSWORD):
    """Log a test client in through the real login page; an administrator also passes the TOTP step."""
    response = client.post("/accounts/login/", {"phone": user.phone, "password": password})
    assert response.status_code == 302, f"the login failed ({response.status_code})"  # success always redirects
    is_admin = RoleAssignment.objects.filter(user=user, role__in=ADMIN_ROLES, revoked_at__isnull=True).exists()
    if is_admin and response.status_code == 302:
        verified = client.post("/accounts/otp/verify/", {"token": totp_token(totp_device(user))})
        assert verified.status_code == 302, verified.status_code
    return response
