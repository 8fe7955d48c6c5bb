import pytest

from lvzhi.accounts import services
from lvzhi.accounts.models import ApiToken, MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.notify.models import Delivery, Message
from lvzhi.testing import PASSWORD, login, make_unit, make_user

from .conftest import api_login, bearer

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-24")
def test_freezing_logs_out_at_the_next_request_stops_tokens_and_notifies_owner_and_leaders(
    client, member, info_officer, leader, django_capture_on_commit_callbacks
):
    token = api_login(client, member)
    login(client, member)
    assert client.get("/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.freeze_user(actor=info_officer, user=member, reason="疑似账号被盗")
    user = User.objects.get(pk=member.pk)
    assert user.is_frozen and user.frozen_reason == "疑似账号被盗" and user.frozen_at is not None
    # the web session ends at once, and the API refuses the token
    assert client.get("/").status_code == 302
    assert "_auth_user_id" not in client.session
    api = client.get("/api/v1/me", **bearer(token))
    assert api.status_code == 401 and api.json()["code"] == "token_invalid"
    assert ApiToken.objects.get(user=member).revoked_at is not None
    # the owner: inbox and SMS; the body's leader: inbox
    assert Message.objects.filter(recipient=member, event="accounts.user.freeze").count() == 1
    assert Delivery.objects.filter(to=member.phone, channel="sms", status="sent").count() == 1
    assert Message.objects.filter(recipient=leader, event="accounts.user.freeze").count() == 1
    assert not Message.objects.filter(recipient=info_officer).exists()
    event = AuditEvent.objects.get(event="accounts.user.freeze")
    assert event.actor_id == info_officer.pk and event.after["reason"] == "疑似账号被盗"


@pytest.mark.req("S0-24")
def test_a_frozen_user_with_a_session_is_refused_by_the_api_too(client, member, info_officer):
    login(client, member)
    services.freeze_user(actor=info_officer, user=member, reason="异常登录")
    response = client.get("/api/v1/me")
    assert response.status_code == 401


@pytest.mark.req("S0-24")
def test_unfreezing_lets_the_user_in_again_and_tells_them(client, member, info_officer, leader):
    services.freeze_user(actor=info_officer, user=member, reason="异常登录")
    assert client.post("/accounts/login/", {"phone": member.phone, "password": PASSWORD}).status_code == 200
    services.unfreeze_user(actor=info_officer, user=member, reason="已核实处理")
    assert client.post("/accounts/login/", {"phone": member.phone, "password": PASSWORD}).status_code == 302
    assert Message.objects.filter(recipient=member, event="accounts.user.unfreeze").count() == 1
    assert Delivery.objects.filter(to=member.phone, channel="sms").count() == 2
    assert not Message.objects.filter(recipient=leader, event="accounts.user.unfreeze").exists()
    assert AuditEvent.objects.filter(event="accounts.user.unfreeze", actor=info_officer).exists()


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("info_office_above", True),
        ("info_office_other_body", False),
        ("info_office_no_descendants_elsewhere", False),
        ("secadmin", True),
        ("sysadmin", False),
        ("auditadmin", False),
        ("leader", False),
        ("staff", False),
        ("member_self", False),
    ],
)
@pytest.mark.req("S0-24")
def test_who_may_freeze(body, other_body, office, member, who, allowed):
    other_office = make_unit(other_body, "信息化办")
    committee = make_unit(body, "提案委员会")
    actors = {
        "info_office_above": lambda: make_user(office, roles=[(Role.INFO_OFFICE, body, True)]),
        "info_office_other_body": lambda: make_user(other_office, roles=[(Role.INFO_OFFICE, other_body, True)]),
        "info_office_no_descendants_elsewhere": lambda: make_user(office, roles=[(Role.INFO_OFFICE, committee)]),
        "secadmin": lambda: make_user(office, roles=[(Role.SECADMIN, body, True)]),
        "sysadmin": lambda: make_user(office, roles=[(Role.SYSADMIN, body, True)]),
        "auditadmin": lambda: make_user(office, roles=[(Role.AUDITADMIN, body, True)]),
        "leader": lambda: make_user(body, roles=[Role.LEADER]),
        "staff": lambda: make_user(office, roles=[(Role.STAFF, body, True)]),
        "member_self": lambda: member,
    }
    actor = actors[who]()
    if allowed:
        services.freeze_user(actor=actor, user=member, reason="核查")
        assert User.objects.get(pk=member.pk).is_frozen
        services.unfreeze_user(actor=actor, user=member, reason="解除")
        assert not User.objects.get(pk=member.pk).is_frozen
    else:
        with pytest.raises(PermissionDenied):
            services.freeze_user(actor=actor, user=member, reason="核查")
        assert not User.objects.get(pk=member.pk).is_frozen
        assert not AuditEvent.objects.filter(event="accounts.user.freeze").exists()


@pytest.mark.parametrize("reason", ["", "   ", "长" * 201])
@pytest.mark.req("S0-24")
def test_a_reason_is_required_and_bounded(member, info_officer, reason):
    with pytest.raises(ValidationFailed):
        services.freeze_user(actor=info_officer, user=member, reason=reason)
    assert not User.objects.get(pk=member.pk).is_frozen


@pytest.mark.req("S0-24")
def test_freezing_twice_or_unfreezing_an_open_account_is_a_conflict(member, info_officer):
    with pytest.raises(Conflict):
        services.unfreeze_user(actor=info_officer, user=member, reason="x")
    services.freeze_user(actor=info_officer, user=member, reason="x")
    with pytest.raises(Conflict):
        services.freeze_user(actor=info_officer, user=member, reason="x")
    assert AuditEvent.objects.filter(event="accounts.user.freeze").count() == 1


@pytest.mark.req("S0-27", "S2-38")
def test_a_leaver_loses_everything_at_once(client, body, member, info_officer):
    services.set_member_profile(actor=info_officer, user=member, body=body, term="第十三届")
    token = api_login(client, member)
    login(client, member)
    assert client.get("/").status_code == 200
    services.deactivate_user(actor=info_officer, user=member, reason="届满离任")
    user = User.objects.get(pk=member.pk)
    assert not user.is_active and not user.has_usable_password()
    assert not RoleAssignment.objects.filter(user=member, revoked_at__isnull=True).exists()
    assert not MemberProfile.objects.filter(user=member, is_active=True).exists()
    assert ApiToken.objects.get(user=member).revoked_at is not None
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401
    assert client.post("/accounts/login/", {"phone": member.phone, "password": PASSWORD}).status_code == 200
    event = AuditEvent.objects.get(event="accounts.user.deactivate")
    assert event.before["roles"] == [["member", body.pk]]
    with pytest.raises(Conflict):
        services.deactivate_user(actor=info_officer, user=member, reason="again")


@pytest.mark.req("S0-27", "S2-38")
def test_only_the_information_office_over_the_unit_deactivates_or_resets(body, other_body, member):
    outsider = make_user(other_body, roles=[(Role.INFO_OFFICE, other_body, True)])
    secadmin = make_user(body, roles=[(Role.SECADMIN, body, True)])
    for actor in (outsider, secadmin, member):
        with pytest.raises(PermissionDenied):
            services.deactivate_user(actor=actor, user=member, reason="x")
        with pytest.raises(PermissionDenied):
            services.reset_initial_password(actor=actor, user=member, new_password="Chushi@2026x")
    assert User.objects.get(pk=member.pk).is_active


@pytest.mark.req("S0-27")
def test_a_role_change_is_effective_at_the_next_request(client, body, info_officer):
    user = make_user(body, roles=[], real_name="新委员")
    token = api_login(client, user)
    login(client, user)
    assert client.get("/api/v1/me", **bearer(token)).json()["roles"] == []
    assignment = services.grant_role(actor=info_officer, user=user, role=Role.STAFF, unit=body)
    assert [r["role"] for r in client.get("/api/v1/me", **bearer(token)).json()["roles"]] == ["staff"]
    assert [r["role"] for r in client.get("/api/v1/me").json()["roles"]] == ["staff"]
    services.revoke_role(actor=info_officer, assignment=assignment)
    assert client.get("/api/v1/me", **bearer(token)).json()["roles"] == []


@pytest.mark.req("S0-22", "S2-38")
def test_staff_reset_of_the_initial_password_forces_a_change_and_revokes_tokens(client, member, info_officer):
    token = api_login(client, member)
    with pytest.raises(ValidationFailed):
        services.reset_initial_password(actor=info_officer, user=member, new_password="short")
    services.reset_initial_password(actor=info_officer, user=member, new_password="Chushi@2026x")
    user = User.objects.get(pk=member.pk)
    assert user.must_change_password and user.check_password("Chushi@2026x")
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401
    login(client, member, password="Chushi@2026x")
    assert client.get("/")["Location"] == "/accounts/password/change/"
    assert AuditEvent.objects.filter(event="accounts.password.reset_initial", actor=info_officer).exists()
