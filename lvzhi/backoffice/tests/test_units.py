"""Org units and body settings in the back office (S3-18, S4-2.2)."""

import re

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodySetting, BodyType, Level, OrgUnit, UnitKind
from lvzhi.orgs.selectors import body_setting, effective_settings
from lvzhi.testing import login, make_body, make_unit, make_user

KEY = "accounts.data_change_working_days"


@pytest.mark.django_db
@pytest.mark.req("S4-2.2")
@pytest.mark.parametrize("rows", [5, 50])
def test_org_tree_one_query_for_units_and_counts(client, world, django_assert_max_num_queries, rows):
    for i in range(rows):
        unit = make_unit(world.county, f"处室{i:02d}")
        make_user(unit, real_name=f"干部{i:02d}")
    login(client, world.users["sysadmin"])
    with django_assert_max_num_queries(10):
        response = client.get("/office/units/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r'data-unit="\d+"', html)) == OrgUnit.objects.filter(path__startswith=world.city.path).count()
    assert world.other.name not in html  # another body's tree is not shown


@pytest.mark.django_db
@pytest.mark.req("S4-2.2")
def test_tree_shows_user_counts_per_unit(client, world):
    login(client, world.users["sysadmin"])
    html = client.get("/office/units/").content.decode()
    item = re.search(rf'data-unit="{world.research.pk}".*?</li>', html, re.S).group(0)
    assert re.search(r'data-testid="user-count">\s*1 ', item)  # 陈研究


@pytest.mark.django_db
@pytest.mark.req("S4-2.2")
def test_sysadmin_creates_a_county_body_and_an_office(client, world):
    login(client, world.users["sysadmin"])
    response = client.post(
        f"/office/units/{world.city.pk}/new/",
        {"name": "西山县政协", "kind": UnitKind.BODY, "level": Level.COUNTY, "body_type": BodyType.CPPCC},
    )
    assert response.status_code == 302
    county = OrgUnit.objects.get(name="西山县政协")
    assert (county.parent, county.body, county.level, county.depth) == (world.city, county, Level.COUNTY, 1)
    response = client.post(
        f"/office/units/{county.pk}/new/", {"name": "办公室", "kind": UnitKind.OFFICE, "function": "general_office"}
    )
    office = OrgUnit.objects.get(parent=county)
    assert (office.body, office.level, office.body_type) == (county, Level.COUNTY, BodyType.CPPCC)
    assert AuditEvent.objects.filter(event="orgs.unit.create", object_id=str(office.pk)).exists()


@pytest.mark.django_db
@pytest.mark.req("S4-2.2")
@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"name": "", "kind": "office"}, "这个字段是必填项"),
        ({"name": "   ", "kind": "office"}, "这个字段是必填项"),
        ({"name": "长" * 101, "kind": "office"}, "100"),
        ({"name": "某处", "kind": "nonsense"}, "选择一个有效的选项"),
        ({"name": "某县", "kind": "body"}, "机关须选择层级和类型"),
    ],
    ids=["empty", "blank", "oversized", "bad-kind", "body-without-level"],
)
def test_unit_bad_input_creates_nothing(client, world, chinese, data, text):
    login(client, world.users["sysadmin"])
    count = OrgUnit.objects.count()
    response = client.post(f"/office/units/{world.city.pk}/new/", data)
    assert response.status_code == 200
    assert text in response.content.decode()
    assert OrgUnit.objects.count() == count


@pytest.mark.django_db
@pytest.mark.req("S4-2.2")
def test_rename_and_deactivate_rules(client, world, chinese):
    login(client, world.users["sysadmin"])
    assert client.post(f"/office/units/{world.research.pk}/rename/", {"name": ""}).status_code == 200
    assert client.post(f"/office/units/{world.research.pk}/rename/", {"name": "调研处"}).status_code == 302
    assert OrgUnit.objects.get(pk=world.research.pk).name == "调研处"
    # A unit with active users cannot be deactivated: a clear message, nothing changed.
    response = client.post(f"/office/units/{world.research.pk}/deactivate/")
    assert response.status_code == 409 and "该单位仍有在用账号" in response.content.decode()
    assert OrgUnit.objects.get(pk=world.research.pk).is_active
    # Nor a body with active units below.
    empty = make_unit(world.county, "空处室")
    response = client.post(f"/office/units/{world.county.pk}/deactivate/")
    assert response.status_code == 409 and "请先停用其下级单位" in response.content.decode()
    assert OrgUnit.objects.get(pk=world.county.pk).is_active
    assert client.post(f"/office/units/{empty.pk}/deactivate/").status_code == 302
    assert not OrgUnit.objects.get(pk=empty.pk).is_active
    assert client.post(f"/office/units/{empty.pk}/reactivate/").status_code == 302
    assert OrgUnit.objects.get(pk=empty.pk).is_active
    assert AuditEvent.objects.filter(event="orgs.unit.deactivate", object_id=str(empty.pk)).exists()


@pytest.mark.django_db
@pytest.mark.req("S4-2.2")
def test_units_of_another_body_are_not_found(client, world):
    login(client, world.users["sysadmin"])
    for path in ("", "new/", "rename/"):
        assert client.get(f"/office/units/{world.other_info.pk}/{path}").status_code == 404
    assert client.post(f"/office/units/{world.other_info.pk}/deactivate/").status_code == 404
    assert client.get(f"/office/settings/{world.other.pk}/").status_code == 404
    assert client.get("/office/units/999999/").status_code == 404


# ---- body settings: inheritance city → county → township (S3-18, S4-2.2) ----


@pytest.fixture
def congress_tree(db):
    city = make_body("江海市人大常委会", body_type=BodyType.CONGRESS)
    county = make_body("西山县人大常委会", level=Level.COUNTY, body_type=BodyType.CONGRESS, parent=city)
    township = make_body("青石镇人大", level=Level.TOWNSHIP, body_type=BodyType.CONGRESS, parent=county)
    office = make_unit(township, "人大办")
    sysadmin = make_user(city, roles=[(Role.SYSADMIN, city, True)], real_name="吴系统")
    return city, county, township, office, sysadmin


@pytest.mark.django_db
@pytest.mark.req("S3-18", "S4-2.2")
def test_county_inherits_city_and_own_override_wins_township_inherits_county(congress_tree):
    city, county, township, office, sysadmin = congress_tree
    assert body_setting(county, KEY) == 5  # platform default
    org_services.set_body_setting(actor=sysadmin, body=city, key=KEY, value=4)
    assert body_setting(county, KEY) == 4 and body_setting(township, KEY) == 4 and body_setting(office, KEY) == 4
    org_services.set_body_setting(actor=sysadmin, body=county, key=KEY, value=3)
    assert body_setting(city, KEY) == 4
    assert body_setting(county, KEY) == 3
    assert body_setting(township, KEY) == 3
    rows = {r["key"]: r for r in effective_settings(township)}
    assert rows[KEY]["source"] == "inherited" and rows[KEY]["source_body"]["name"] == "西山县人大常委会"
    org_services.clear_body_setting(actor=sysadmin, body=county, key=KEY)
    assert body_setting(township, KEY) == 4


@pytest.mark.django_db
@pytest.mark.req("S3-18", "S4-2.2", "S2-34")
def test_settings_page_shows_source_and_sets_and_clears(client, congress_tree, chinese, django_assert_max_num_queries):
    city, county, township, office, sysadmin = congress_tree
    login(client, sysadmin)
    org_services.set_body_setting(actor=sysadmin, body=city, key=KEY, value=4)

    def source(body):
        html = client.get(f"/office/settings/{body.pk}/").content.decode()
        block = re.search(rf'data-key="{re.escape(KEY)}".*?</section>', html, re.S).group(0)
        value = re.search(r'data-testid="value"><code>(.*?)</code>', block).group(1)
        kind, text = re.search(r'data-source="(\w+)">(.*?)</dd>', block, re.S).groups()
        return (kind, " ".join(text.split())), value

    (kind, text), value = source(township)
    assert (kind, value) == ("inherited", "4") and "沿用江海市人大常委会的设置" in text
    (kind, text), value = source(city)
    assert (kind, value) == ("own", "4")
    response = client.post(f"/office/settings/{county.pk}/", {"key": KEY, "value": "3"})
    assert response.status_code == 302
    assert source(township)[1] == "3"
    # Bad values: not JSON, wrong type, unknown key → a message, nothing stored.
    bad = client.post(f"/office/settings/{county.pk}/", {"key": KEY, "value": "three"})
    assert bad.status_code == 200 and "不是有效的 JSON 值" in bad.content.decode()
    bad = client.post(f"/office/settings/{county.pk}/", {"key": KEY, "value": '"3"'})
    assert bad.status_code == 200 and "取值类型与默认值的类型不一致" in bad.content.decode()
    bad = client.post(f"/office/settings/{county.pk}/", {"key": "no.such.key", "value": "1"})
    assert bad.status_code == 200 and "未知的设置项" in bad.content.decode()
    assert not BodySetting.objects.filter(key="no.such.key").exists()
    assert BodySetting.objects.get(body=county, key=KEY).value == 3
    # Clear: inherited again, audited.
    assert client.post(f"/office/settings/{county.pk}/", {"key": KEY, "value": "", "clear": "1"}).status_code == 302
    assert source(county)[0][0] == "inherited"
    assert AuditEvent.objects.filter(event="orgs.setting.clear").exists()
    with django_assert_max_num_queries(12):  # two for the settings, whatever the number of keys and ancestors
        client.get(f"/office/settings/{township.pk}/")


@pytest.mark.django_db
@pytest.mark.req("S3-18")
def test_setting_only_on_bodies_and_known_keys(congress_tree):
    from lvzhi.core.errors import ValidationFailed

    city, county, township, office, sysadmin = congress_tree
    with pytest.raises(ValidationFailed):
        org_services.set_body_setting(actor=sysadmin, body=office, key=KEY, value=1)
    with pytest.raises(ValidationFailed):
        org_services.set_body_setting(actor=sysadmin, body=city, key="unknown.key", value=1)
    assert not BodySetting.objects.exists()
