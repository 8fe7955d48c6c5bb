import pytest

from lvzhi.accounts.roles import Role
from lvzhi.backoffice import services as backoffice_services
from lvzhi.notify.services import notify
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodyType, Level, UnitKind
from lvzhi.testing import login, make_unit, make_user

pytestmark = pytest.mark.django_db


def make_body(name, level=Level.CITY, body_type=BodyType.CPPCC, parent=None):
    """A body created as the back office creates one: with its default columns (S0-5)."""
    return backoffice_services.create_unit(
        actor=None, name=name, kind=UnitKind.BODY, level=level, body_type=body_type, parent=parent
    )


@pytest.fixture
def cppcc():
    return make_body("江海市政协")


@pytest.mark.req("S0-2")
def test_home_needs_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.req("S0-5")
def test_member_home_shows_the_eight_cppcc_columns_and_the_inbox(client, cppcc):
    member = make_user(cppcc, roles=[Role.MEMBER], real_name="王委员")
    notify([member], title="请按时提交社情民意信息")
    client.force_login(member)
    page = client.get("/").content.decode()
    for name in ["通知公告", "网络议政", "远程协商", "社情民意", "工作信息", "政协动态", "委员学习", "党建专栏"]:
        assert name in page
    assert "请按时提交社情民意信息" in page
    assert "王委员" in page


@pytest.mark.req("S4-2.2", "S3-18")
def test_a_congress_deputy_gets_the_congress_columns_and_a_body_may_override_them(client):
    congress = make_body("江海市人大常委会", body_type=BodyType.CONGRESS)
    deputy = make_user(congress, roles=[Role.DEPUTY])
    client.force_login(deputy)
    page = client.get("/").content.decode()
    assert "议案建议" in page and "网络议政" not in page
    county = make_body("东湖区人大常委会", level=Level.COUNTY, body_type=BodyType.CONGRESS, parent=congress)
    org_services.set_body_setting(
        actor=None, body=county, key="web.columns", value=[{"code": "x", "name": "乡镇代表之家"}]
    )
    township = make_body("青石镇人大", level=Level.TOWNSHIP, body_type=BodyType.CONGRESS, parent=county)
    township_deputy = make_user(township, roles=[Role.DEPUTY])
    client.force_login(township_deputy)
    page = client.get("/").content.decode()
    assert "乡镇代表之家" in page and 'data-column="bills"' not in page


@pytest.mark.req("S2-34", "S0-25")
def test_an_administrator_home_shows_no_business_content(client, cppcc):
    info = make_unit(cppcc, "信息化办", kind=UnitKind.OFFICE, function="info_office")
    admin = make_user(info, roles=[Role.SYSADMIN], real_name="系统管理员甲")
    member = make_user(cppcc, roles=[Role.MEMBER])
    notify([admin, member], title="业务消息标题")
    # The same home, for a member, shows both (so the absence below is the administrator's view, not an empty page).
    client.force_login(member)
    member_page = client.get("/").content.decode()
    assert "业务消息标题" in member_page and "通知公告" in member_page
    client.logout()
    login(client, admin)  # through the password page and the TOTP step, as an administrator really logs in
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "系统管理员甲" in page and 'href="/office/"' in page  # the administrator's home, with the back office
    assert "业务消息标题" not in page
    assert "通知公告" not in page and 'data-testid="columns"' not in page


@pytest.mark.req("S0-2")
def test_home_query_count_does_not_grow_with_the_inbox(client, cppcc, django_assert_max_num_queries):
    member = make_user(cppcc, roles=[Role.MEMBER])
    client.force_login(member)
    notify([member], title="一")
    client.get("/")
    with django_assert_max_num_queries(15) as small:
        client.get("/")
    notify([member] * 1, title="二")
    for i in range(40):
        notify([member], title=f"消息{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/").status_code == 200


@pytest.mark.req("S0-5.4", "S4-2.2.4")
def test_home_links_each_user_to_the_cases_they_work_on(client, cppcc):
    member = make_user(cppcc, roles=[Role.MEMBER])
    client.force_login(member)
    page = client.get("/").content.decode()
    assert 'href="/opinions/"' in page and "我的社情民意" in page
    assert 'href="/proposals/"' in page
    assert 'href="/opinions/queue/"' not in page  # a member has no staff queue


@pytest.mark.req("S0-5")
def test_the_home_page_never_writes_on_a_get(client, cppcc, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lvzhi.content.models import Column

    bare = make_user(make_unit(cppcc, "办公厅", function="general_office"), roles=[Role.STAFF])
    client.force_login(bare)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    # a body created outside the back office (no columns): the home page shows none and installs none
    other = make_body_without_columns()
    member = make_user(other, roles=[Role.MEMBER])
    client.force_login(member)
    assert client.get("/").status_code == 200
    assert not Column.objects.filter(body=other).exists()


def make_body_without_columns():
    return org_services.create_unit(
        actor=None, name="未初始化政协", kind=UnitKind.BODY, level=Level.CITY, body_type=BodyType.CPPCC
    )


@pytest.mark.req("S0-5")
def test_an_office_created_later_becomes_an_owner_of_the_columns_that_name_it(cppcc):
    from lvzhi.content.models import Column

    party = backoffice_services.create_unit(
        actor=None, name="机关党组", kind=UnitKind.OFFICE, parent=cppcc, function="party_org"
    )
    assert list(Column.objects.get(body=cppcc, code="party").owners.all()) == [party]
    committee = backoffice_services.create_unit(actor=None, name="经济委员会", kind=UnitKind.COMMITTEE, parent=cppcc)
    assert committee in Column.objects.get(body=cppcc, code="deliberation").owners.all()
    # S0-5 (1), (5): every department and committee right under the body owns its notices, as at installation
    assert committee in Column.objects.get(body=cppcc, code="notices").owners.all()
    assert party in Column.objects.get(body=cppcc, code="notices").owners.all()
    section = backoffice_services.create_unit(actor=None, name="综合处", kind=UnitKind.OFFICE, parent=committee)
    assert section not in Column.objects.get(body=cppcc, code="notices").owners.all()  # a section is no department
