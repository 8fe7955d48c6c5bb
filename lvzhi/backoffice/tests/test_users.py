"""User management in the back office: creation, bad input, masking, search, the list's query bound."""

import html
import re

import pytest
from django.contrib.auth.hashers import check_password

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.testing import login, make_user


def post_new(client, world, **overrides):
    data = {
        "phone": "13900001111",
        "real_name": "林新员",
        "unit": world.research.pk,
        "title": "科员",
        "email": "",
        "id_card": "",
        "role": "",
        "password_mode": "generate",
        "password": "",
    }
    data.update(overrides)
    return client.post("/office/users/new/", data)


@pytest.mark.django_db
@pytest.mark.req("S0-2", "S0-27")
def test_info_office_creates_account_with_generated_password_shown_once(client, world):
    login(client, world.users["info_in"])
    response = post_new(client, world, role=Role.STAFF, id_card="110101199001011237")
    assert response.status_code == 200
    password = html.unescape(re.search(r'data-testid="initial-password">([^<]+)<', response.content.decode()).group(1))
    user = User.objects.get(phone="13900001111")
    assert user.must_change_password is True
    assert user.unit == world.research and user.real_name == "林新员" and user.id_card == "110101199001011237"
    assert check_password(password, user.password)
    assert RoleAssignment.objects.filter(user=user, role=Role.STAFF, unit=world.research).exists()  # at once: S0-27
    assert AuditEvent.objects.filter(event="accounts.user.create", object_id=str(user.pk)).exists()
    # Shown once: the user page never shows it again.
    assert password not in client.get(f"/office/users/{user.pk}/").content.decode()


@pytest.mark.django_db
@pytest.mark.req("S0-2")
def test_entered_initial_password_must_follow_the_policy(client, world):
    login(client, world.users["info_in"])
    weak = post_new(client, world, password_mode="enter", password="abc")
    assert weak.status_code == 200 and 'class="errorlist' in weak.content.decode()
    assert not User.objects.filter(phone="13900001111").exists()
    good = post_new(client, world, password_mode="enter", password="Jianghai#2026")
    assert good.status_code == 200
    assert 'data-testid="initial-password"' not in good.content.decode()
    assert check_password("Jianghai#2026", User.objects.get(phone="13900001111").password)


BAD_INPUT = [
    ("empty name", {"real_name": "  "}, "这个字段是必填项"),
    ("empty phone", {"phone": ""}, "这个字段是必填项"),
    ("invalid phone", {"phone": "12345"}, "请输入11位大陆手机号"),
    ("malformed phone", {"phone": "1390000111x"}, "请输入11位大陆手机号"),
    ("oversized name", {"real_name": "长" * 51}, "50"),
    ("malformed ID card", {"id_card": "1234"}, "18位居民身份证号码"),
    ("ID card with a wrong check digit", {"id_card": "110101199001011234"}, "请核对出生日期和最后一位校验码"),
    ("ID card with an impossible birth date", {"id_card": "110101199002301236"}, "请核对出生日期和最后一位校验码"),
    ("unit outside scope", {"unit": "OTHER"}, "选择一个有效的选项"),
    ("unit that does not exist", {"unit": "999999"}, "选择一个有效的选项"),
    ("admin role at creation", {"role": Role.SYSADMIN}, "选择一个有效的选项"),
    # the validation kit (clean_text) at the back office's door
    ("control characters in the name", {"real_name": "林\x1b[31m新员"}, "真实姓名含有控制字符"),
    ("a bell in the post", {"title": "科员\x07"}, "职务含有控制字符"),
    ("a text-direction override in the post", {"title": "科员\u202e"}, "职务"),
    ("an invisible-only name", {"real_name": "\u200b\u200b"}, "真实姓名不能为空"),
]


@pytest.mark.django_db
@pytest.mark.req("S0-2", "S2-34")
@pytest.mark.parametrize(("case", "overrides", "chinese_text"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT])
def test_bad_input_gives_chinese_form_error_and_creates_nothing(client, world, chinese, case, overrides, chinese_text):
    login(client, world.users["info_in"])
    if overrides.get("unit") == "OTHER":
        overrides["unit"] = world.other_info.pk
    users_before, audit_before = User.objects.count(), AuditEvent.objects.count()
    response = post_new(client, world, **overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert chinese_text in html, html[html.find("errorlist") - 200 : html.find("errorlist") + 400]
    assert User.objects.count() == users_before
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.django_db
@pytest.mark.req("S0-2")
def test_duplicate_phone_gives_chinese_error_and_creates_nothing(client, world, chinese):
    login(client, world.users["info_in"])
    count = User.objects.count()
    response = post_new(client, world, phone=world.staff.phone)
    assert response.status_code == 200
    assert "该手机号已有账号" in response.content.decode()
    assert User.objects.count() == count


@pytest.mark.django_db
@pytest.mark.req("S0-2")
def test_failed_role_grant_at_creation_rolls_back_the_account(client, world, monkeypatch):
    """Both or nothing: if the role cannot be granted, no account is left behind."""
    from lvzhi.accounts import services as account_services
    from lvzhi.core.errors import Conflict

    def refuse(**kwargs):
        raise Conflict("refused", code="role_held")

    monkeypatch.setattr(account_services, "grant_role", refuse)
    login(client, world.users["info_in"])
    response = post_new(client, world, role=Role.STAFF)
    assert response.status_code == 200 and "refused" in response.content.decode()
    assert not User.objects.filter(phone="13900001111").exists()


@pytest.mark.django_db
@pytest.mark.req("S0-25", "S2-34")
def test_second_admin_role_is_refused_with_chinese_error(client, world, chinese):
    target = make_user(world.research, real_name="白管理", roles=[(Role.AUDITADMIN, world.city)])
    login(client, world.users["secadmin"])
    response = client.post(f"/office/users/{target.pk}/roles/", {"role": Role.SYSADMIN, "unit": world.city.pk})
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not RoleAssignment.objects.filter(user=target, role=Role.SYSADMIN).exists()


@pytest.mark.django_db
@pytest.mark.req("S0-25")
def test_secadmin_grants_and_revokes_an_admin_role(client, world):
    target = make_user(world.research, real_name="白管理")
    login(client, world.users["secadmin"])
    response = client.post(f"/office/users/{target.pk}/roles/", {"role": Role.AUDITADMIN, "unit": world.city.pk})
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=target, role=Role.AUDITADMIN, revoked_at__isnull=True)
    response = client.post(f"/office/users/{target.pk}/roles/{assignment.pk}/revoke/")
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert AuditEvent.objects.filter(event="accounts.role.revoke", object_id=str(target.pk)).exists()


@pytest.mark.django_db
@pytest.mark.req("S0-25")
def test_info_office_may_not_touch_an_administrators_account(client, world):
    login(client, world.users["info_in"])
    admin = world.users["sysadmin"]
    assert client.get(f"/office/users/{admin.pk}/").status_code == 200  # visible in its scope …
    for path in ("edit/", "roles/", "freeze/", "deactivate/", "reset-password/"):
        assert client.get(f"/office/users/{admin.pk}/{path}").status_code == 404, path  # … but not managed


@pytest.mark.django_db
@pytest.mark.req("S0-2")
def test_nobody_manages_their_own_account_here(client, world):
    me = world.users["info_in"]
    login(client, me)
    for path in ("edit/", "roles/", "freeze/", "deactivate/", "reset-password/"):
        assert client.get(f"/office/users/{me.pk}/{path}").status_code == 404, path


@pytest.mark.django_db
@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    ("role", "full"), [("info_in", True), ("secadmin", False), ("general", False)], ids=["info", "secadmin", "general"]
)
def test_id_card_and_phone_masked_except_for_the_information_office(client, world, role, full):
    login(client, world.users[role])
    html = client.get(f"/office/users/{world.staff.pk}/").content.decode()
    assert ("110101198501011234" in html) is full
    assert ("1101**********1234" in html) is not full
    assert (world.staff.phone in html) is full
    # Lists always show masked phones.
    listing = client.get("/office/users/", {"q": "陈研究"}).content.decode()
    assert world.staff.phone not in listing and world.staff.masked_phone in listing


@pytest.mark.django_db
@pytest.mark.req("S0-2")
def test_search_by_name_masked_phone_unit_role_and_status(client, world):
    login(client, world.users["info_in"])

    def found(**params):
        html = client.get("/office/users/", params).content.decode()
        return {int(pk) for pk in re.findall(r'data-user="(\d+)"', html)}

    assert found(q="陈研") == {world.staff.pk}
    assert found(q=world.staff.masked_phone) == {world.staff.pk}
    assert found(q=world.staff.phone[-4:]) >= {world.staff.pk}
    assert found(unit=world.liaison.pk) == {world.users["liaison"].pk}
    assert found(role=Role.MEMBER) == {world.member.pk}
    assert world.outsider.pk not in found()
    User.objects.filter(pk=world.staff.pk).update(is_frozen=True)
    assert found(status="frozen") == {world.staff.pk}
    assert world.staff.pk not in found(status="active")
    assert found(unit="not-a-number") >= {world.staff.pk}  # a bad filter is ignored, not a 500


@pytest.mark.django_db
@pytest.mark.req("S0-2")
def test_user_list_query_count_is_constant(client, world, django_assert_max_num_queries):
    def users(start, stop):
        for i in range(start, stop):
            make_user(world.research, roles=[Role.STAFF, (Role.MEMBER, world.city)], real_name=f"用户{i:02d}")

    filtered = {"q": "用户", "role": Role.STAFF, "page": 2}
    users(0, 5)
    login(client, world.users["info_in"])
    with django_assert_max_num_queries(12) as few:
        assert client.get("/office/users/").status_code == 200
    with django_assert_max_num_queries(12) as few_filtered:
        assert client.get("/office/users/", filtered).status_code == 200
    users(5, 50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/office/users/").status_code == 200
    with django_assert_max_num_queries(len(few_filtered.captured_queries)):
        response = client.get("/office/users/", filtered)
    html = response.content.decode()
    assert response.status_code == 200
    # Page 2 of the filtered list, 20 to a page in name order: 用户20 to 用户39, and no one else.
    assert "用户20" in html and "用户39" in html
    assert "用户19" not in html and "用户40" not in html


@pytest.mark.django_db
@pytest.mark.req("S0-2", "S0-24")
def test_freeze_and_unfreeze_need_a_reason(client, world):
    login(client, world.users["info_in"])
    empty = client.post(f"/office/users/{world.staff.pk}/freeze/", {"reason": "   "})
    assert empty.status_code == 200 and 'class="errorlist' in empty.content.decode()
    assert not User.objects.get(pk=world.staff.pk).is_frozen
    long = client.post(f"/office/users/{world.staff.pk}/freeze/", {"reason": "长" * 201})
    assert long.status_code == 200 and not User.objects.get(pk=world.staff.pk).is_frozen
    assert client.post(f"/office/users/{world.staff.pk}/freeze/", {"reason": "账号异常"}).status_code == 302
    staff = User.objects.get(pk=world.staff.pk)
    assert staff.is_frozen and staff.frozen_reason == "账号异常"
    assert client.post(f"/office/users/{world.staff.pk}/unfreeze/", {"reason": "已核实"}).status_code == 302
    assert not User.objects.get(pk=world.staff.pk).is_frozen


@pytest.mark.django_db
@pytest.mark.req("S0-27", "S2-38")
def test_leaver_is_closed_at_once_and_loses_every_role(client, world, chinese):
    login(client, world.users["info_in"])
    response = client.post(f"/office/users/{world.staff.pk}/deactivate/", {"reason": "调离本单位"})
    assert response.status_code == 302
    staff = User.objects.get(pk=world.staff.pk)
    assert not staff.is_active
    assert not RoleAssignment.objects.filter(user=staff, revoked_at__isnull=True).exists()
    assert "已离职" in client.get(f"/office/users/{staff.pk}/").content.decode()


@pytest.mark.django_db
@pytest.mark.req("S0-2", "S2-38")
def test_reset_initial_password(client, world):
    login(client, world.users["info_in"])
    response = client.post(f"/office/users/{world.staff.pk}/reset-password/", {"password_mode": "generate"})
    assert response.status_code == 200
    password = html.unescape(re.search(r'data-testid="initial-password">([^<]+)<', response.content.decode()).group(1))
    staff = User.objects.get(pk=world.staff.pk)
    assert staff.must_change_password and check_password(password, staff.password)
    assert AuditEvent.objects.filter(event="accounts.password.reset_initial", object_id=str(staff.pk)).exists()


@pytest.mark.django_db
@pytest.mark.req("S0-26", "S0-27")
def test_edit_basic_data_and_bad_input(client, world, chinese):
    login(client, world.users["info_in"])
    url = f"/office/users/{world.staff.pk}/edit/"
    base = {"real_name": "陈研究", "phone": world.staff.phone, "unit": world.research.pk, "title": "", "email": ""}
    dup = client.post(url, {**base, "phone": world.member.phone})
    assert dup.status_code == 200 and "该手机号已有账号" in dup.content.decode()
    outside = client.post(url, {**base, "unit": world.other_info.pk})
    assert outside.status_code == 200 and "选择一个有效的选项" in outside.content.decode()
    assert User.objects.get(pk=world.staff.pk).unit == world.research
    audit_before = AuditEvent.objects.count()
    wrong_digit = client.post(url, {**base, "title": "副主任", "id_card": "110101198501011230"})
    assert wrong_digit.status_code == 200 and "请核对出生日期和最后一位校验码" in wrong_digit.content.decode()
    assert User.objects.get(pk=world.staff.pk).title == "" and AuditEvent.objects.count() == audit_before
    ok = client.post(url, {**base, "unit": world.general.pk, "title": "副主任", "id_card": "11010119850101101x"})
    assert ok.status_code == 302
    staff = User.objects.get(pk=world.staff.pk)
    assert (staff.unit, staff.title, staff.id_card) == (world.general, "副主任", "11010119850101101X")
    event = AuditEvent.objects.filter(event="accounts.user.update").latest("id")
    assert "110101198501011234" not in str(event.before) + str(event.after)  # masked in the audit log


@pytest.mark.django_db
@pytest.mark.req("S0-26")
def test_liaison_office_maintains_member_profile_with_units_of_its_body_only(client, world):
    login(client, world.users["liaison"])
    url = f"/office/users/{world.member.pk}/profile/"
    foreign = make_user(world.other, real_name="无关")  # noqa: F841
    from lvzhi.orgs.models import UnitKind
    from lvzhi.testing import make_unit

    other_sector = make_unit(world.other, "外市界别", kind=UnitKind.SECTOR)
    bad = client.post(url, {"sector": other_sector.pk})
    assert bad.status_code == 200 and not world.member.member_profiles.exists()
    ok = client.post(url, {"sector": world.sector.pk, "committee": world.committee.pk, "term": "第十三届"})
    assert ok.status_code == 302
    profile = world.member.member_profiles.get()
    assert (profile.body, profile.sector, profile.committee, profile.term) == (
        world.city,
        world.sector,
        world.committee,
        "第十三届",
    )
    # The general office does not maintain members' profiles (S0-26).
    client.logout()
    login(client, world.users["general"])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.req("S0-27")
def test_granted_role_takes_effect_at_the_next_request(client, world):
    target = make_user(world.research, real_name="新授权")
    login(client, world.users["info_in"])
    client.post(f"/office/users/{target.pk}/roles/", {"role": Role.STAFF, "unit": world.general.pk})
    from django.test import Client

    other = Client()
    login(other, target)
    assert other.get("/office/").status_code == 200
    assert 'data-nav="datachange:queue"' in other.get("/office/").content.decode()
