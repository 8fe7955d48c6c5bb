"""`lvzhi demo`: idempotent, and its users can log in."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.orgs.models import BodySetting, OrgUnit
from lvzhi.orgs.selectors import body_setting
from lvzhi.web.demo import DEMO_PASSWORD, DEMO_TOTP_KEY, DEMO_TOTP_SECRET, FORCED_CHANGE_PHONE, demo_logins


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (User, OrgUnit, RoleAssignment, MemberProfile, BodySetting, AuditEvent, TOTPDevice)
    }


@pytest.fixture
def demo(db):
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.req("S4-2.2", "S0-2")
def test_demo_twice_changes_nothing(demo):
    before = counts()
    assert before["User"] >= 50 and before["MemberProfile"] >= 28
    out = StringIO()
    call_command("demo", stdout=out)
    assert counts() == before
    assert DEMO_PASSWORD in demo and DEMO_TOTP_SECRET in demo
    assert "DEMO ONLY" in demo or "仅供演示" in demo


@pytest.mark.django_db
@pytest.mark.req("S4-2.2", "S3-18")
def test_demo_tree_and_settings(demo):
    township = OrgUnit.objects.get(name="青石镇人大")
    county = OrgUnit.objects.get(name="西山县人大常委会")
    assert township.parent == county and township.is_body and county.parent.name == "江海市人大常委会"
    assert body_setting(township, "accounts.data_change_working_days") == 3  # inherited from its county
    assert OrgUnit.objects.filter(kind="handling_unit", parent__name="江海市人民政府").count() >= 2
    assert OrgUnit.objects.filter(kind="sector", name="无党派人士").exists()
    held = set(RoleAssignment.objects.filter(revoked_at__isnull=True).values_list("role", flat=True))
    assert held == set(Role.values)  # a user for every role


@pytest.mark.django_db
@pytest.mark.req("S0-2")
def test_printed_logins_exist(demo):
    rows = demo_logins()
    for row in rows:
        assert row["phone"] in demo and row["name"] in demo
        user = User.objects.get(phone=row["phone"])
        assert user.real_name == row["name"]
        assert user.must_change_password is (row["phone"] == FORCED_CHANGE_PHONE)
        assert user.phone.startswith(("1390000", "1380000"))


@pytest.mark.django_db
@pytest.mark.req("S0-22", "S4-2.2")
def test_demo_member_logs_in(client, demo):
    response = client.post("/accounts/login/", {"phone": "13800000001", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "金文博" in home.content.decode()


@pytest.mark.django_db
@pytest.mark.req("S0-22")
def test_the_documented_user_must_change_the_password(client, demo):
    client.post("/accounts/login/", {"phone": FORCED_CHANGE_PHONE, "password": DEMO_PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/password/change/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.req("S0-25", "S2-34")
def test_demo_admin_logs_in_with_the_demo_totp_secret(client, demo):
    admin = User.objects.get(phone="13900000031")
    device = TOTPDevice.objects.get(user=admin, confirmed=True)
    assert device.key == DEMO_TOTP_KEY
    client.post("/accounts/login/", {"phone": admin.phone, "password": DEMO_PASSWORD})
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    assert client.post("/accounts/otp/verify/", {"token": token}).status_code == 302
    assert client.get("/office/units/").status_code == 200
    assert client.get(f"/office/settings/{OrgUnit.objects.get(name='青石镇人大').pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.req("S0-2", "S0-26")
def test_demo_offices_work_in_the_back_office(client, demo):
    client.post("/accounts/login/", {"phone": "13900000001", "password": DEMO_PASSWORD})  # CPPCC information office
    listing = client.get("/office/users/", {"role": Role.MEMBER})
    assert listing.status_code == 200 and "金文博" in listing.content.decode()
    assert "鲁志强" not in client.get("/office/users/").content.decode()  # a deputy of the congress: another body
    client.logout()
    client.post("/accounts/login/", {"phone": "13900000003", "password": DEMO_PASSWORD})  # CPPCC liaison office
    member = User.objects.get(phone="13800000002")
    assert client.get(f"/office/users/{member.pk}/profile/").status_code == 200


@pytest.mark.django_db
@pytest.mark.req("S0-5", "S0-7", "S4-2.2")
def test_demo_staffs_every_chain_publishes_in_every_column_and_prints_every_login(demo):
    from pathlib import Path

    from django.conf import settings

    from lvzhi.backoffice.staffing import staffing_gaps
    from lvzhi.content import selectors as content_selectors
    from lvzhi.content import services as content_services
    from lvzhi.content.models import Article, Column
    from lvzhi.web.demo import CONGRESS, CPPCC, GOV

    city = list(OrgUnit.objects.filter(parent=None, name__in=[CPPCC, CONGRESS, GOV]))
    gaps = [g for g in staffing_gaps(city) if g.kind in ("chain", "handling", "hotline")]
    assert gaps == []
    # committees without office staff are left on purpose: the back office warns, reports go to the liaison office
    assert {g.unit.name for g in staffing_gaps(city) if g.kind == "reports"} >= {"经济委员会"}
    for body in city[:2]:
        for column in Column.objects.filter(body=body, is_active=True):
            assert Article.objects.filter(column=column, status=Article.Status.PUBLISHED).exists(), column.name
    # the people of the issue can write and submit: 冯晓东 in 政协动态, 周明轩 in 通知公告, 吴若兰 in 委员学习,
    # 陈思远 in 政协动态, the new-media operator and editor in 政协动态
    cppcc = OrgUnit.objects.get(parent=None, name=CPPCC)
    for phone, code in [
        ("13900000006", "news"),
        ("13900000007", "news"),
        ("13900000002", "notices"),
        ("13900000003", "study"),
        ("13900000014", "news"),
        ("13900000015", "news"),
    ]:
        user = User.objects.get(phone=phone)
        column = content_selectors.column_by_code(cppcc, code)
        article = content_services.create_draft(actor=user, column=column, title="测试稿件", body_html="<p>正文</p>")
        article = content_services.submit(actor=user, article=article)
        assert article.status == Article.Status.IN_REVIEW, phone
        assert article.current_step.unit is not None
    # every demo user's login is printed, and listed in the README
    readme = (Path(settings.BASE_DIR).parent / "README.md").read_text(encoding="utf-8")
    printed = {row["phone"] for row in demo_logins()}
    for user in User.objects.filter(is_active=True):
        assert user.phone in demo, user.phone
        assert user.phone in printed
        assert user.phone in readme, f"README lacks the demo login {user.phone}"


@pytest.mark.django_db
@pytest.mark.req("S4-2.1.3", "S2-2")
def test_the_demo_portal_office_sees_its_site_evaluated_on_the_indicators(client, demo):
    from lvzhi.portal.models import Site

    site = Site.objects.get(code="jianghai")
    response = client.post("/accounts/login/", {"phone": "13900002601", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(f"/portal/office/sites/{site.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "江海市人大常委会网站" in html  # registered in the new-media registry, watched by the monitor
    assert 'data-indicator="error_entry" data-verdict="open"' in html  # the demo's finding: no 纠错 entry
    assert 'data-indicator="updates" data-verdict="ok"' in html  # items logged every other day
