"""自查 in a real Chromium on a phone: the housing bureau's operator finds last quarter's self-inspection report
drafted from the monitor's findings (marked overdue once its day has passed), edits and submits it; the competent
office returns it, the unit submits the revision, the office accepts it; and the monitoring list fits the phone."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.inspections import services
from lvzhi.inspections.models import SelfInspection
from lvzhi.monitoring import services as monitoring
from lvzhi.testing.helpers import PASSWORD
from lvzhi.web.tests.crawl import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _last_quarter(today):
    quarter = (today.month - 1) // 3  # the quarter before this one (0: the year before's fourth)
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def _label(status) -> str:
    with translation.override("zh-hans"):
        return str(SelfInspection.Status(status).label)


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.req("S1-5.3", "S1-3.3")
def test_a_self_inspection_is_drafted_edited_submitted_and_reviewed_on_a_phone(w, live_server, browser, phone_page):
    base = live_server.url
    year, quarter = _last_quarter(local_date())
    in_quarter = start_of_day(dt.date(year, quarter * 3, 10)) + dt.timedelta(hours=10)
    monitoring.raise_finding(
        kind="dead_links", summary="首页有3个死链", outlet=w.site, url="http://zj.example.gov.cn/", now=in_quarter
    )
    services.open_quarter(office=w.body, year=year, quarter=quarter)
    report = SelfInspection.objects.get(unit=w.housing, year=year, quarter=quarter)
    overdue = timezone.now() >= report.next_due_at

    _the_unit_edits_and_submits_its_draft(phone_page, base, w, report, overdue)
    office = _the_office_returns_it(browser, base, w, report)

    phone_page.reload()
    revised = report.report + "\n死链地址：/a/1、/a/2、/a/3"
    phone_page.fill("[data-testid=self-report] form textarea[name=text]", revised)
    with phone_page.expect_navigation():  # typed and submitted at once: nothing typed is lost
        phone_page.click("[data-testid=self-save-submit]")
    phone_page.wait_for_selector("[data-testid=self-status]")
    assert phone_page.inner_text("[data-testid=self-status]") == _label("submitted")

    office.reload()
    with office.expect_navigation():
        office.click("form[data-step=accept] button[type=submit]")
    office.wait_for_selector("[data-testid=self-status]")
    assert office.inner_text("[data-testid=self-status]") == _label("accepted")
    assert _fits(office)
    report.refresh_from_db()
    assert report.status == "accepted" and "死链地址" in report.report

    # the monitoring list of the unit on the same phone
    phone_page.goto(f"{base}/monitoring/")
    phone_page.wait_for_selector("[data-kind=dead_links]")
    assert "首页有3个死链" in phone_page.inner_text("[data-kind=dead_links]")
    assert _fits(phone_page)


def _the_unit_edits_and_submits_its_draft(phone_page, base, w, report, overdue):
    """The operator finds the drafted report in the list (due day, overdue mark), edits, saves and submits it."""
    log_in(phone_page, base, w.op.phone, PASSWORD)
    phone_page.goto(f"{base}/inspections/")
    row = phone_page.locator("[data-testid=self-list] li", has_text=w.housing.name)
    assert row.locator("[data-testid=self-due]").inner_text().endswith(report.due_on.isoformat())
    assert (row.locator("[data-testid=self-overdue]").count() == 1) is overdue
    assert _fits(phone_page)
    with phone_page.expect_navigation():
        row.locator("a").first.click()
    phone_page.wait_for_selector("[data-testid=self-report]")
    draft = phone_page.input_value("[data-testid=self-report] form textarea[name=text]")
    assert "首页有3个死链" in draft and "dead_links" in draft  # drafted from the monitor's finding
    phone_page.fill("[data-testid=self-report] form textarea[name=text]", draft + "\n整改：死链已全部修复。")
    with phone_page.expect_navigation():
        phone_page.click("[data-testid=self-report] form button[type=submit] >> nth=0")  # save
    assert "整改：死链已全部修复。" in phone_page.input_value("[data-testid=self-report] form textarea[name=text]")
    assert _fits(phone_page)
    with phone_page.expect_navigation():
        phone_page.click("[data-testid=self-save-submit]")
    phone_page.wait_for_selector("[data-testid=self-status]")
    assert phone_page.inner_text("[data-testid=self-status]") == _label("submitted")
    report.refresh_from_db()
    assert report.status == "submitted" and "整改：死链已全部修复。" in report.report
    if overdue:  # late: the due day and how late, in words
        assert "逾期" in phone_page.inner_text("[data-testid=self-late]")
    assert phone_page.locator("[data-testid=self-review-due]").count() == 1


def _the_office_returns_it(browser, base, w, report):
    """The competent office reads the report on its phone and returns it; the unit's new due day is shown."""
    office = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True).new_page()
    log_in(office, base, w.office.phone, PASSWORD)
    office.goto(f"{base}/inspections/self/{report.pk}/")
    assert "整改：死链已全部修复。" in office.inner_text("[data-testid=self-report]")
    office.fill("form[data-step=return] textarea[name=text]", "请补充死链的具体地址")
    with office.expect_navigation():
        office.click("form[data-step=return] button[type=submit]")
    office.wait_for_selector("[data-testid=self-status]")
    assert office.inner_text("[data-testid=self-status]") == _label("returned")
    report.refresh_from_db()
    assert office.inner_text("[data-testid=self-revise-due]").endswith(
        timezone.localtime(report.next_due_at - dt.timedelta(microseconds=1)).date().isoformat()
    )
    return office
