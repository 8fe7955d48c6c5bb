import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.accounts import services
from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict
from lvzhi.notify.services import notify
from lvzhi.testing import PASSWORD, login, make_user, totp_device, totp_token

pytestmark = pytest.mark.django_db


def password_login(client, user):
    return client.post("/accounts/login/", {"phone": user.phone, "password": PASSWORD})


@pytest.mark.parametrize("first", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
@pytest.mark.parametrize("second", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN, Role.STAFF, Role.MEMBER])
@pytest.mark.req("S2-34", "S0-25")
def test_an_administrator_holds_exactly_one_role(office, first, second):
    admin = make_user(office, roles=[first])
    if second == first:
        with pytest.raises(Conflict):  # held already at this unit
            services.grant_role(actor=None, user=admin, role=second, unit=office)
    else:
        with pytest.raises(Conflict) as info:
            services.grant_role(actor=None, user=admin, role=second, unit=office)
        assert info.value.code == "admin_roles_separated"
    assert list(admin.role_assignments.values_list("role", flat=True)) == [first]


@pytest.mark.parametrize("admin_role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
@pytest.mark.req("S2-34", "S0-25")
def test_a_business_user_cannot_become_an_administrator(office, admin_role):
    staff = make_user(office, roles=[Role.STAFF])
    with pytest.raises(Conflict):
        services.grant_role(actor=None, user=staff, role=admin_role, unit=office)


@pytest.mark.req("S2-34", "S0-25")
def test_an_administrator_without_a_device_enrols_with_a_qr_code_then_gets_in(client, office):
    admin = make_user(office, roles=[Role.SYSADMIN])
    assert password_login(client, admin).status_code == 302
    for path in ("/", "/office/", "/accounts/profile/", "/accounts/password/change/", "/accounts/otp/verify/"):
        response = client.get(path, follow=True)
        assert response.redirect_chain[-1][0] == "/accounts/otp/enrol/", path
    page = client.get("/accounts/otp/enrol/").content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    secret = base64.b32encode(device.bin_key).decode()
    assert secret in page
    assert client.post("/accounts/otp/enrol/", {"token": "123"}).status_code == 200
    wrong = f"{(int(totp_token(device)) + 1) % 1000000:06d}"
    assert client.post("/accounts/otp/enrol/", {"token": wrong}).status_code == 200
    assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # django-otp's back-off
    response = client.post("/accounts/otp/enrol/", {"token": totp_token(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=admin).confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(event="accounts.otp.enrol", actor=admin).exists()


@pytest.mark.req("S2-34", "S0-25")
def test_an_administrator_with_a_device_must_give_the_current_code(client, office):
    admin = make_user(office, roles=[Role.AUDITADMIN])
    device = totp_device(admin)
    password_login(client, admin)
    assert client.get("/")["Location"] == "/accounts/otp/verify/"
    assert client.get("/api/v1/me").json()["code"] == "second_factor_required"
    wrong = "000000" if totp_token(device) != "000000" else "111111"
    assert client.post("/accounts/otp/verify/", {"token": wrong}).status_code == 200
    assert client.get("/")["Location"] == "/accounts/otp/verify/"
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)  # django-otp's back-off
    assert client.post("/accounts/otp/verify/", {"token": totp_token(device)}).status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(event="accounts.otp.verify", actor=admin).exists()


@pytest.mark.req("S2-34", "S0-25", "S2-37")
def test_wrong_codes_count_towards_the_lockout(client, office):
    admin = make_user(office, roles=[Role.SECADMIN])
    totp_device(admin)
    password_login(client, admin)
    TOTPDevice.objects.filter(user=admin).update(throttling_failure_count=0)
    for _ in range(5):
        TOTPDevice.objects.filter(user=admin).update(throttling_failure_timestamp=None)
        client.post("/accounts/otp/verify/", {"token": "999999"})
    assert User.objects.get(pk=admin.pk).locked_until is not None
    assert "_auth_user_id" not in client.session
    assert password_login(client, admin).status_code == 200


@pytest.mark.req("S2-34", "S0-25")
def test_an_ordinary_user_never_sees_the_second_factor(client, member):
    login(client, member)
    assert client.get("/accounts/otp/enrol/")["Location"] == "/"
    assert client.get("/accounts/otp/verify/")["Location"] == "/"
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("admin_role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
@pytest.mark.req("S2-34", "S0-25")
def test_an_administrator_home_shows_no_business_content(client, office, admin_role):
    admin = make_user(office, roles=[admin_role])
    notify([admin], title="业务消息标题")
    login(client, admin)
    page = client.get("/").content.decode()
    assert "业务消息标题" not in page and 'data-testid="columns"' not in page


@pytest.mark.parametrize("admin_role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN])
@pytest.mark.req("S2-34", "S0-25", "S3-14")
def test_administrators_cannot_get_api_tokens(client, office, admin_role):
    admin = make_user(office, roles=[admin_role])
    response = client.post(
        "/api/v1/auth/token", {"phone": admin.phone, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "admin_no_api"
    assert not admin.api_tokens.exists()
