"""The administrators' calendar pages (/office/calendar/) and the calendar API (/api/v1/calendar/)."""

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.testing import login, make_body, make_user
from lvzhi.workdays import calendar
from lvzhi.workdays.models import CalendarOverride

pytestmark = pytest.mark.django_db
URL = "/office/calendar/"


@pytest.fixture
def body():
    return make_body()


@pytest.fixture
def sysadmin(body):
    return make_user(body, roles=["sysadmin"], real_name="系统管理员")


@pytest.fixture
def admin_client(client, sysadmin):
    login(client, sysadmin)
    return client


@pytest.mark.req("S2-34")
def test_url_names():
    assert reverse("workdays:calendar") == URL
    assert reverse("workdays:delete") == URL + "delete/"


@pytest.mark.req("S0-16.1")
@freeze_time("2026-11-20T10:00:00+08:00")
def test_page_lists_package_days_overrides_and_warns_of_years_without_data(admin_client, sysadmin):
    response = admin_client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="missing-years"' in text and "2027" in text
    assert 'data-testid="package-days"' in text and "2026-10-10" in text  # adjusted working Saturday
    CalendarOverride.objects.create(date=dt.date(2027, 2, 8), is_workday=False, note="春节补录", updated_by=sysadmin)
    response = admin_client.get(URL + "?year=2027")
    text = response.content.decode()
    assert "春节补录" in text and 'data-testid="overrides"' in text
    assert 'data-testid="missing-years"' in text  # an override alone does not confirm the year


@pytest.mark.req("S0-16.1")
@freeze_time("2026-11-20T10:00:00+08:00")
def test_add_change_and_delete_an_override_through_the_page(admin_client, sysadmin):
    response = admin_client.post(URL, {"date": "2027-10-01", "is_workday": "0", "note": "国庆节"})
    assert response.status_code == 302
    row = CalendarOverride.objects.get(date=dt.date(2027, 10, 1))
    assert (row.is_workday, row.note, row.updated_by) == (False, "国庆节", sysadmin)
    assert calendar.is_workday(dt.date(2027, 10, 1)) is False
    event = AuditEvent.objects.filter(event="workdays.override.set").latest("id")
    assert event.actor == sysadmin and event.before is None and event.after["is_workday"] is False

    response = admin_client.post(URL, {"date": "2027-10-01", "is_workday": "1", "note": ""})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.is_workday is True and calendar.is_workday(dt.date(2027, 10, 1)) is True
    event = AuditEvent.objects.filter(event="workdays.override.set").latest("id")
    assert event.before["is_workday"] is False and event.after["is_workday"] is True

    response = admin_client.post(URL + "delete/", {"date": "2027-10-01"})
    assert response.status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(event="workdays.override.delete").count() == 1
    assert calendar.day_info(dt.date(2027, 10, 1)).source == calendar.SOURCE_PREDICTED


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"date": "", "is_workday": "0"},
        {"date": "2027-02-30", "is_workday": "0"},
        {"date": "not a date", "is_workday": "1"},
        {"date": "1999-12-31", "is_workday": "0"},
        {"date": "2027-01-01", "is_workday": "maybe"},
        {"date": "2027-01-01", "is_workday": "0", "note": "长" * 101},
    ],
)
def test_bad_input_is_shown_on_the_form_and_nothing_is_written(admin_client, data):
    response = admin_client.post(URL, data)
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not CalendarOverride.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="workdays.").exists()


@pytest.mark.req("S2-34")
def test_deleting_a_day_without_override_is_not_found(admin_client):
    response = admin_client.post(URL + "delete/", {"date": "2027-01-01"})
    assert response.status_code == 404
    response = admin_client.post(URL + "delete/", {"date": "garbage"})
    assert response.status_code == 404


@pytest.mark.req("S0-2")
@pytest.mark.parametrize("role", ["secadmin", "auditadmin", "staff", "head", "info_office", "member", None])
def test_only_the_system_administrator_keeps_the_calendar(client, body, role):
    user = make_user(body, roles=[role] if role else [])
    login(client, user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"date": "2027-01-01", "is_workday": "0"}).status_code == 404
    CalendarOverride.objects.create(date=dt.date(2027, 1, 2), is_workday=False)
    assert client.post(URL + "delete/", {"date": "2027-01-02"}).status_code == 404
    assert CalendarOverride.objects.count() == 1
    assert not CalendarOverride.objects.filter(date=dt.date(2027, 1, 1)).exists()


@pytest.mark.req("S2-34")
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.req("S2-34")
def test_page_queries_do_not_grow_with_overrides(admin_client, sysadmin, django_assert_max_num_queries):
    def add(n):
        CalendarOverride.objects.bulk_create(
            [
                CalendarOverride(date=dt.date(2027, 1, 1) + dt.timedelta(days=i), is_workday=False, updated_by=sysadmin)
                for i in range(n)
            ],
            ignore_conflicts=True,
        )

    add(2)
    with django_assert_max_num_queries(20) as small:
        assert admin_client.get(URL + "?year=2027").status_code == 200
    add(60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(URL + "?year=2027")
    assert response.content.decode().count("<tr>") >= 60


# ---- API -----------------------------------------------------------------------------------------------------


@pytest.fixture
def member_client(client, body):
    login(client, make_user(body, roles=["member"]))
    return client


@pytest.mark.req("S0-16.1")
def test_api_day(member_client, settings):
    settings.LANGUAGE_CODE = "en"
    response = member_client.get("/api/v1/calendar/day", {"date": "2026-10-10"})
    assert response.status_code == 200
    assert response.json() == {"date": "2026-10-10", "is_workday": True, "source": "package", "note": "National Day"}
    data = member_client.get("/api/v1/calendar/day", {"date": "2030-10-01"}).json()
    assert data["source"] == "predicted" and data["is_workday"] is False  # National Day by the holiday rules


@pytest.mark.req("S0-16.1", "S0-27")
def test_api_deadline_and_between(member_client):
    response = member_client.get(
        "/api/v1/calendar/deadline", {"start": "2026-09-30T15:00:00+08:00", "days": "2", "unit": "working"}
    )
    assert response.status_code == 200
    assert response.json() == {"due_at": "2026-10-10T00:00:00+08:00", "last_day": "2026-10-09"}
    data = member_client.get("/api/v1/calendar/deadline", {"start": "2026-09-28", "days": "5", "unit": "calendar"})
    assert data.json()["last_day"] == "2026-10-08"
    data = member_client.get("/api/v1/calendar/deadline", {"start": "2026-09-28", "days": "5"}).json()
    assert data["last_day"] == "2026-10-10"
    data = member_client.get("/api/v1/calendar/between", {"start": "2026-09-30", "end": "2026-10-12"}).json()
    assert data == {"working_days": 4}


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    "path,params,code",
    [
        ("day", {}, "invalid_date"),
        ("day", {"date": "2026-02-30"}, "invalid_date"),
        ("day", {"date": "x" * 5000}, "invalid_date"),
        ("day", {"date": "9999-01-01"}, "invalid_date"),
        ("deadline", {"start": "2026-01-01", "days": "-1"}, "invalid_days"),
        ("deadline", {"start": "2026-01-01", "days": "abc"}, "invalid_days"),
        ("deadline", {"start": "2026-01-01", "days": "99999999"}, "invalid_days"),
        ("deadline", {"start": "2026-01-01", "days": "3", "unit": "weeks"}, "invalid_unit"),
        ("deadline", {"start": "yesterday", "days": "3"}, "invalid_date"),
        ("between", {"start": "2026-01-01"}, "invalid_date"),
        ("between", {"start": "2026-01-01", "end": "2090-01-01"}, "range_too_long"),
    ],
)
def test_api_bad_input_is_a_400_with_a_code(member_client, path, params, code):
    response = member_client.get(f"/api/v1/calendar/{path}", params)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["message"]


@pytest.mark.req("S2-34")
def test_api_needs_authentication(client):
    response = client.get("/api/v1/calendar/day", {"date": "2026-10-10"})
    assert response.status_code == 401
    assert response.json()["code"] in {"not_authenticated", "token_invalid"}
