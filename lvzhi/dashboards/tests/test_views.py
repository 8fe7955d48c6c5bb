"""Every dashboard through its page: the figures on known data, role scoping (a unit's head sees only their units,
another unit's figures answer "not found" exactly like a missing unit), the Excel export, and query-count bounds."""

import datetime as dt
import io
import re

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.accounts import services as account_services
from lvzhi.core import rollup as core_rollup
from lvzhi.dashboards import rollup
from lvzhi.dashboards.models import MonthCount
from lvzhi.opinions import services as opinions
from lvzhi.opinions.models import Instruction
from lvzhi.testing import login
from lvzhi.workflow.models import Deadline

from .conftest import holiday_cases, submit

PAGES = ("/dashboards/", "/dashboards/deadlines/", "/dashboards/flows/", "/dashboards/duty/", "/dashboards/screen/")


def without_tokens(response) -> str:
    """The page without its per-request CSRF tokens (masked anew on every answer) and the id asked for (echoed in
    the language switch's and the feedback link's return address)."""
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", response.content.decode())
    return re.sub(r"(unit|body)(=|%3D)\d+", r"\1\2X", text)


def get(client, url):
    with freeze_time("2026-10-08T12:00:00+08:00"):
        return client.get(url)


@pytest.mark.req("S2-41", "S0-21", "S0-16.1")
def test_the_body_leader_sees_on_time_rates_of_every_unit_with_drill_down(client, w):
    holiday_cases(w)
    login(client, w.leader)
    page = get(client, "/dashboards/deadlines/?year=2026").content.decode()
    assert 'data-testid="kpi-rate">33.3%' in page  # 1 on time / (1 on time + 1 late + 1 overdue)
    assert 'data-testid="kpi-overdue">1<' in page
    assert "经济委员会" in page and 'data-testid="table-slowest-units"' in page
    assert f"/dashboards/deadlines/cases/?unit={w.econ.pk}&amp;year=2026" in page
    cases = get(client, f"/dashboards/deadlines/cases/?unit={w.econ.pk}&year=2026&state=late").content.decode()
    assert "东湖路问题1" in cases and "东湖路问题0" not in cases and "/opinions/" in cases
    overdue = get(client, f"/dashboards/deadlines/cases/?unit={w.econ.pk}&year=2026").content.decode()
    assert "东湖路问题2" in overdue and "东湖路问题1" not in overdue


@pytest.mark.req("S0-4", "S2-41")
def test_a_unit_head_sees_only_their_unit_and_another_units_figures_are_not_found(client, w):
    holiday_cases(w)
    with freeze_time("2026-10-08T10:00:00+08:00"):
        submit(w, member=w.co, title="社区养老")  # the social committee's
    login(client, w.head)  # head of the economic committee
    page = get(client, "/dashboards/deadlines/?year=2026").content.decode()
    assert "经济委员会" in page and "社会和法制委员会" not in page
    for url in (
        f"/dashboards/deadlines/?unit={w.social.pk}",
        f"/dashboards/deadlines/cases/?unit={w.social.pk}",
        f"/dashboards/flows/?unit={w.social.pk}",
        f"/dashboards/duty/?body={w.body.pk}",
        f"/dashboards/deadlines/?unit={w.econ2.pk}",
    ):
        missing = get(client, url.replace(str(w.social.pk), "999999").replace(str(w.econ2.pk), "999998"))
        response = get(client, url)
        assert response.status_code == 404 == missing.status_code, url
        assert without_tokens(response) == without_tokens(missing), url
    assert get(client, f"/dashboards/deadlines/cases/?unit={w.econ.pk}").status_code == 200


@pytest.mark.req("S0-4")
def test_who_has_no_dashboards(client, w):
    for user in (w.member, w.staff, w.hotline, w.sysadmin):
        client.logout()
        login(client, user)
        for url in PAGES:
            assert get(client, url).status_code == 404, (user.real_name, url)
    client.logout()
    assert get(client, "/dashboards/deadlines/").status_code == 302  # to the login page


@pytest.mark.req("S0-4", "S3-18")
def test_the_province_sees_the_bodies_below_a_city_leader_only_their_own(client, w):
    with freeze_time("2026-09-28T10:00:00+08:00"):
        submit(w)
    # A deadline of the city below the province (moved onto the city's committee, then recounted).
    d = Deadline.objects.get(kind="route")
    before = rollup.deadline_keys(d.content_type, d.object_id)
    Deadline.objects.filter(pk=d.pk).update(responsible_unit=w.city_econ)
    rollup.deadlines_changed(content_type=d.content_type, object_id=d.object_id, before=before)
    login(client, w.province_leader)
    assert "经济委员会" in get(client, "/dashboards/deadlines/?year=2026").content.decode()
    assert get(client, f"/dashboards/deadlines/cases/?unit={w.city_econ.pk}&state=open").status_code == 200
    assert get(client, f"/dashboards/deadlines/cases/?unit={w.econ.pk}").status_code == 404  # another province's
    client.logout()
    login(client, w.leader_b2)
    page = get(client, "/dashboards/deadlines/?year=2026").content.decode()
    assert "经济委员会" not in page and 'data-testid="kpi-due">0<' in page


@pytest.mark.req("S4-2.2.4", "S0-16", "S0-12")
def test_case_flows_funnel_categories_and_year_on_year(client, w):
    holiday_cases(w)
    login(client, w.leader)
    page = get(client, "/dashboards/flows/?year=2026").content.decode()
    assert 'data-testid="kpi-opinions">3<' in page
    for name in ("opinion-funnel", "proposal-funnel", "categories", "by-committee", "satisfaction", "year-on-year"):
        assert f'data-testid="table-{name}"' in page and f'data-testid="summary-{name}"' in page
    assert "3 reports received this year" in page or "今年收到社情民意3件" in page
    export = get(client, "/dashboards/flows/?year=2026&format=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(export.content))
    assert len(book.sheetnames) == 6
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[3][1] == 3  # received


@pytest.mark.req("S4-2.2.4", "S3-18", "S0-4")
def test_case_flows_of_the_province_read_the_bodies_below_and_rank_the_committees(client, w):
    reports = holiday_cases(w)
    with freeze_time("2026-10-09T10:00:00+08:00"):
        submit(w, member=w.co, title="社区养老")  # the social committee
    moved = reports[2]  # one moves to the city below the province
    moved.body, moved.committee = w.city, w.city_econ
    moved.save()
    login(client, w.province_leader)
    page = get(client, "/dashboards/flows/?year=2026").content.decode()
    assert 'data-testid="kpi-opinions">1<' in page and "经济委员会" in page and "社会和法制委员会" not in page
    client.logout()
    login(client, w.leader)  # the first city's: two left in its economic committee, one in the social one
    page = get(client, "/dashboards/flows/?year=2026").content.decode()
    assert 'data-testid="kpi-opinions">3<' in page
    table = page[page.index('data-testid="table-by-committee"') :]
    assert 0 <= table.index("经济委员会") < table.index("社会和法制委员会")  # ranked by reports received
    client.logout()
    login(client, w.city_leader)
    page = get(client, "/dashboards/flows/?year=2026").content.decode()
    assert 'data-testid="kpi-opinions">1<' in page and "社会和法制委员会" not in page


@pytest.mark.req("S4-2.2.4", "S2-41")
def test_the_instruction_rate_counts_the_reports_instructed_through_their_committee(client, w):
    reports = holiday_cases(w)  # three reports of the economic committee, two taken on
    with freeze_time("2026-10-09T10:00:00+08:00"):
        for report in reports[:2]:
            opinions.instruct_report(actor=w.leader, report=report, level="city", day="2026-10-09", text="请抓紧办理")
        taken_back = Instruction.objects.get(report=reports[1])
        opinions.withdraw_instruction(actor=w.leader, instruction=taken_back, reason="误录")
    october = dt.date(2026, 10, 1)
    assert MonthCount.objects.get(unit_id=w.econ.pk, month=october, metric="instructed").n == 1
    source = core_rollup.sources()["opinions.report"]
    assert core_rollup.stored(source) == core_rollup.full_recount(source)
    login(client, w.leader)
    page = get(client, "/dashboards/flows/?year=2026").content.decode()
    assert 'data-testid="kpi-instruction">33.3%' in page  # 1 instructed of 3 received
    assert 'data-testid="kpi-opinions">3<' in page


@pytest.mark.req("S3-12", "S3-10")
def test_duty_dashboard_lists_members_without_a_record(client, w):
    login(client, w.leader)
    page = get(client, "/dashboards/duty/?year=2026").content.decode()
    for name in ("points", "by-committee", "by-sector", "trend"):
        assert f'data-testid="table-{name}"' in page
    assert "金文博" in page and "陶宏宇" in page  # members of the body, no record this year
    client.logout()
    login(client, w.head)  # the economic committee's head: their committee's members only
    page = get(client, "/dashboards/duty/?year=2026").content.decode()
    assert "金文博" in page and "魏静怡" not in page and 'data-testid="table-points"' not in page


@pytest.mark.req("S0-21")
def test_the_cockpit_refreshes_itself_and_shows_the_key_figures(client, w):
    holiday_cases(w)
    login(client, w.leader)
    page = get(client, "/dashboards/screen/?year=2026").content.decode()
    assert '<meta http-equiv="refresh" content="300">' in page and "dash-screen" in page
    assert 'data-testid="kpi-rate">33.3%' in page and page.count('class="dash-chart"') == 4
    assert "/static/vendor/echarts/echarts.min.js" in page and "http://" not in page.split("<body")[0]


@pytest.mark.req("S0-21")
def test_the_home_page_links_the_dashboards_for_leaders_only(client, w):
    login(client, w.leader)
    assert "/dashboards/" in client.get("/").content.decode()
    client.logout()
    login(client, w.member)
    assert "/dashboards/" not in client.get("/").content.decode()


def _many(w, n):
    with freeze_time("2026-09-28T10:00:00+08:00"):
        for i in range(n):
            submit(w, member=w.co if i % 2 else w.member, title=f"问题{i}")
    for i in range(n):
        member = w.co if i % 2 else w.member
        account_services.set_member_profile(actor=None, user=member, body=w.body, committee=w.econ)


@pytest.mark.req("S2-41")
@pytest.mark.parametrize("n", [1, 12])
def test_query_counts_do_not_grow_with_the_cases(client, w, n, django_assert_max_num_queries):
    _many(w, n)
    login(client, w.leader)
    bounds = {
        "/dashboards/deadlines/?year=2026": 16,
        f"/dashboards/deadlines/cases/?unit={w.econ.pk}&year=2026&state=open": 14,
        "/dashboards/flows/?year=2026": 16,
        "/dashboards/duty/?year=2026": 18,
        "/dashboards/screen/?year=2026": 22,
    }
    for url, bound in bounds.items():
        with django_assert_max_num_queries(bound):
            assert get(client, url).status_code == 200


@pytest.mark.req("S0-4")
def test_bad_query_parameters_never_fail_the_page(client, w):
    login(client, w.leader)
    assert get(client, "/dashboards/deadlines/?year=1900").status_code == 404
    assert get(client, "/dashboards/deadlines/?year=abc").status_code == 200
    assert get(client, "/dashboards/deadlines/?rule=x:y&page=zz").status_code == 200
    assert get(client, "/dashboards/deadlines/cases/?unit=abc").status_code == 404


@pytest.mark.req("S0-4")
def test_a_head_of_a_unit_without_members_has_no_duty_dashboard(client, w):
    login(client, w.hotline_head)  # head of the members' hotline: deadlines and flows, no members' duty
    page = get(client, "/dashboards/deadlines/").content.decode()
    assert "/dashboards/duty/" not in page and "/dashboards/flows/" in page
    assert get(client, "/dashboards/duty/").status_code == 404
