"""Limits a body may tighten but never relax (S3-18): the seeds' numbers are ceilings (or floors where the seed
says "at least"); zero, negative and looser values are refused in the back office and the API, and stored values
outside the bounds make `lvzhi check` fail."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import ValidationFailed
from lvzhi.orgs import services as org_services
from lvzhi.orgs.checks import settings_within_bounds
from lvzhi.orgs.limits import LIMITS
from lvzhi.orgs.models import BodySetting, BodyType, Level
from lvzhi.orgs.selectors import body_setting
from lvzhi.orgs.settings_registry import default_for, registered_keys
from lvzhi.testing import login, make_body, make_user

pytestmark = pytest.mark.django_db

# What the seeds say, written independently of lvzhi/orgs/limits.py: key → (allowed, refused).
SEED_LIMITS = {
    "opinions.route_working_days": ([1, 2], [0, -1, 3, 30]),  # S0-16.1: within 2 working days
    "accounts.data_change_working_days": ([1, 5], [0, -1, 6, 30]),  # S0-27: within 5 working days
    "deliberation.topic_notice_days": ([15, 30], [14, 0, -1]),  # art. 12 (1): at least 15 days before
    "newmedia.closure_notice_working_days": ([15, 20], [14, 0, -1]),  # seed 002 art. 17: at least 15
}


@pytest.fixture
def chinese(settings):
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def tree(db):
    city = make_body("江海市政协", body_type=BodyType.CPPCC)
    county = make_body("东湖区政协", level=Level.COUNTY, body_type=BodyType.CPPCC, parent=city)
    sysadmin = make_user(city, roles=[(Role.SYSADMIN, city, True)], real_name="吴系统")
    return city, county, sysadmin


@pytest.mark.req("S3-18", "S0-16.1", "S0-27")
@pytest.mark.parametrize("key", sorted(SEED_LIMITS))
def test_seed_limits_may_be_tightened_never_relaxed(tree, key):
    city, county, sysadmin = tree
    allowed, refused = SEED_LIMITS[key]
    for value in refused:
        with pytest.raises(ValidationFailed) as error:
            org_services.set_body_setting(actor=sysadmin, body=county, key=key, value=value)
        assert error.value.code in ("setting_below_minimum", "setting_above_maximum")
        assert not BodySetting.objects.filter(key=key).exists()
    for value in allowed:
        org_services.set_body_setting(actor=sysadmin, body=county, key=key, value=value)
        assert body_setting(county, key) == value


def test_every_working_day_or_month_setting_has_bounds_that_keep_its_default():
    for key in registered_keys():
        default = default_for(key)
        if isinstance(default, bool) or not isinstance(default, int):
            continue
        assert key in LIMITS, key
        limit = LIMITS[key]
        assert limit.minimum is not None and limit.minimum >= 0 and limit.meaning, key
        assert limit.minimum <= default and (limit.maximum is None or default <= limit.maximum), key


@pytest.mark.req("S3-18", "S0-16.1")
def test_back_office_refuses_with_a_chinese_message(client, tree, chinese):
    city, county, sysadmin = tree
    login(client, sysadmin)
    key = "opinions.route_working_days"
    page = client.get(f"/office/settings/{county.pk}/").content.decode()
    assert "1 至 2" in page  # the allowed values are shown
    for value in ("30", "0", "-1"):
        response = client.post(f"/office/settings/{county.pk}/", {"key": key, "value": value})
        html = response.content.decode()
        assert response.status_code == 200
        assert "只能在 1 至 2 之间" in html and "2个工作日" in html
    assert not BodySetting.objects.filter(key=key).exists()
    assert not AuditEvent.objects.filter(event="orgs.setting.set").exists()
    assert client.post(f"/office/settings/{county.pk}/", {"key": key, "value": "1"}).status_code == 302
    assert body_setting(county, key) == 1


@pytest.mark.req("S3-18", "S0-27")
def test_api_refuses_with_a_stable_code(client, tree):
    city, county, sysadmin = tree
    login(client, sysadmin)
    url = f"/api/v1/office/bodies/{county.pk}/settings/accounts.data_change_working_days"
    for value, code in ((30, "setting_above_maximum"), (0, "setting_below_minimum"), (-1, "setting_below_minimum")):
        response = client.put(url, json.dumps({"value": value}), content_type="application/json")
        assert response.status_code == 400 and response.json()["code"] == code
    assert not BodySetting.objects.exists()
    response = client.put(url, json.dumps({"value": 3}), content_type="application/json")
    assert response.status_code == 200
    assert response.json() | {} == response.json() and response.json()["value"] == 3
    assert (response.json()["minimum"], response.json()["maximum"]) == (1, 5)
    listing = client.get(f"/api/v1/office/bodies/{county.pk}/settings").json()
    row = next(r for r in listing if r["key"] == "opinions.route_working_days")
    assert (row["minimum"], row["maximum"], row["value"]) == (1, 2, 2)
    other = make_body("北川市政协")
    assert client.get(f"/api/v1/office/bodies/{other.pk}/settings").status_code == 404


@pytest.mark.req("S3-18", "S0-16.1")
def test_stored_values_outside_bounds_fail_the_check_and_read_as_the_default(tree):
    city, county, sysadmin = tree
    BodySetting.objects.create(body=county, key="opinions.route_working_days", value=30)  # written before bounds
    BodySetting.objects.create(body=city, key="accounts.data_change_working_days", value=-1)
    errors = settings_within_bounds()
    assert sorted(e.obj for e in errors) == [
        f"orgs.BodySetting(body={city.pk}, key=accounts.data_change_working_days)",
        f"orgs.BodySetting(body={county.pk}, key=opinions.route_working_days)",
    ]
    assert all(e.id == "orgs.E001" for e in errors)
    with pytest.raises(SystemCheckError):
        call_command("check")
    assert body_setting(county, "opinions.route_working_days") == 2  # never the stored 30
    assert body_setting(county, "accounts.data_change_working_days") == 5  # never -1
    BodySetting.objects.all().delete()
    assert settings_within_bounds() == []
