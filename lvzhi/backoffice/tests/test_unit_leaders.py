"""S2-5: each unit names its responsible leaders (主要负责人, 分管领导); they are shown on the unit's back-office page,
and a unit gets back-office operator accounts only once both are named. Members (not operators) need no leaders."""

import pytest

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.orgs.models import UnitFunction, UnitLeader
from lvzhi.testing import login, make_unit, make_user

from .test_users import post_new

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare(world):
    """A new office of the city body, no leaders named yet."""
    return make_unit(world.city, "督查室", function=UnitFunction.RESEARCH_OFFICE)


@pytest.mark.req("S2-5")
def test_no_operator_accounts_until_both_leaders_are_named(client, world, bare, chinese):
    login(client, world.users["info_in"])
    response = post_new(client, world, unit=bare.pk, role=Role.STAFF, phone="13900002222")
    assert response.status_code == 200 and "请先在单位页面登记本单位的主要负责人和分管领导" in response.content.decode()
    assert not User.objects.filter(phone="13900002222").exists()
    target = make_user(world.research, real_name="待授权")
    response = client.post(f"/office/users/{target.pk}/roles/", {"role": Role.STAFF, "unit": bare.pk})
    assert "主要负责人和分管领导" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=target, unit=bare).exists()
    # An account without an operator role is not held up.
    assert "账号已创建" in post_new(client, world, unit=bare.pk, role="", phone="13900003333").content.decode()
    assert User.objects.filter(phone="13900003333").exists()

    # The system administrator names the principal only: still refused; then the leader in charge.
    login(client, world.users["sysadmin"])
    page = client.get(f"/office/units/{bare.pk}/").content.decode()
    assert 'data-missing="principal"' in page and 'data-missing="in_charge"' in page
    url = f"/office/units/{bare.pk}/leaders/"
    assert client.post(url + "principal/", {"name": "赵主任", "post": "督查室主任"}).status_code == 302
    login(client, world.users["info_in"])
    post_new(client, world, unit=bare.pk, role=Role.STAFF, phone="13900004444")
    assert not User.objects.filter(phone="13900004444").exists()
    login(client, world.users["sysadmin"])
    assert client.post(url + "in_charge/", {"name": "钱副秘书长", "post": "副秘书长"}).status_code == 302
    page = client.get(f"/office/units/{bare.pk}/").content.decode()
    assert "赵主任" in page and "督查室主任" in page and "钱副秘书长" in page and "data-missing" not in page
    assert "主要负责人" in page and "分管领导" in page

    login(client, world.users["info_in"])
    assert "账号已创建" in post_new(client, world, unit=bare.pk, role=Role.STAFF, phone="13900005555").content.decode()
    assert RoleAssignment.objects.filter(user__phone="13900005555", role=Role.STAFF, unit=bare).exists()
    # The audit row names the unit and the duty, not the person's name.
    event = AuditEvent.objects.filter(event="orgs.unit.leader").latest("id")
    assert event.after["duty"] == "in_charge" and "钱副秘书长" not in str(event.after)


@pytest.mark.req("S2-5")
def test_leaders_are_replaced_not_duplicated_and_bad_input_is_refused(client, world, bare, chinese):
    login(client, world.users["sysadmin"])
    url = f"/office/units/{bare.pk}/leaders/principal/"
    client.post(url, {"name": "赵主任"})
    client.post(url, {"name": "孙主任", "post": ""})
    assert list(UnitLeader.objects.filter(unit=bare).values_list("name", flat=True)) == ["孙主任"]
    response = client.post(url, {"name": "孙\x1b[31m主任"})
    assert response.status_code == 200 and "含有控制字符" in response.content.decode()
    assert client.post(url, {"name": "长" * 51}).status_code == 200
    assert client.get(f"/office/units/{bare.pk}/leaders/deputy/").status_code == 404  # no such duty
    assert UnitLeader.objects.get(unit=bare).name == "孙主任"


@pytest.mark.req("S2-5")
def test_only_unit_managers_of_the_body_record_leaders(client, world, bare):
    url = f"/office/units/{bare.pk}/leaders/principal/"
    for who in ("member", "general", "info_out", "auditadmin"):
        login(client, world.users[who])
        response = client.post(url, {"name": "冒名者"})
        assert response.status_code in (302, 403, 404), who
        client.logout()
    assert not UnitLeader.objects.filter(unit=bare).exists()
    outsider_admin = make_user(world.other_info, roles=[(Role.SYSADMIN, world.other, True)], real_name="外市系统")
    login(client, outsider_admin)
    assert client.post(url, {"name": "冒名者"}).status_code == 404
    assert not UnitLeader.objects.filter(unit=bare).exists()


@pytest.mark.req("S2-5")
def test_the_demo_names_the_leaders_of_every_unit_with_operators(world):
    from lvzhi.web.demo_leaders import load_leaders_demo

    bare = make_unit(world.city, "督查室", function=UnitFunction.RESEARCH_OFFICE)
    make_user(bare, roles=[Role.STAFF], real_name="督查员")
    assert load_leaders_demo() == 2
    assert {row.duty for row in UnitLeader.objects.filter(unit=bare)} == {"principal", "in_charge"}
    assert load_leaders_demo() == 0  # idempotent
