"""In real Chromium on a phone-sized screen: a unit registers a WeChat account and files it; the government office
rejects it in writing; the unit corrects and refiles; the office accepts it and records the upward report."""

import re

import pytest

from lvzhi.core.timeutil import local_date
from lvzhi.newmedia.models import Filing, Outlet, Rejection
from lvzhi.testing import PASSWORD

from .conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTEXT = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.req("S1-3.2", "S2-16", "S2-13", "S1-A")
def test_register_file_reject_refile_accept_report(live_server, browser):
    w = build_world()
    base = live_server.url
    unit = browser.new_context(**CONTEXT).new_page()
    log_in(unit, base, w.op)
    unit.goto(f"{base}/newmedia/register/")
    form = "[data-testid=register-form]"
    unit.select_option(f"{form} select[name=platform]", "wechat")
    unit.fill(f"{form} input[name=name]", "住建之声")
    unit.fill(f"{form} input[name=account_id]", "gh_zhujian")
    unit.fill(f"{form} input[name=decision_ref]", "局党组会议纪要〔2026〕5号")
    unit.fill(f"{form} input[name=decision_date]", local_date().isoformat())
    unit.check(f"{form} input[name=head_consent]")
    unit.select_option(f"{form} select[name=chief_editor]", str(w.chief.pk))
    unit.select_option(f"{form} select[name=editor]", [str(w.op.pk), str(w.tech.pk)])
    unit.select_option(f"{form} select[name=reviewer]", str(w.chief.pk))
    unit.select_option(f"{form} select[name=technical]", str(w.tech.pk))
    unit.click(f"{form} button[type=submit]")
    unit.wait_for_url(re.compile(r".*/newmedia/outlets/\d+/$"))
    assert "待备案" in unit.get_by_test_id("outlet-status").inner_text()
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390
    filing = Filing.objects.get()
    unit.goto(f"{base}/newmedia/filings/{filing.pk}/")
    unit.click("form[data-step=file] button")
    unit.wait_for_url(re.compile(r".*/newmedia/filings/\d+/$"))
    assert "审核中" in unit.get_by_test_id("filing-status").inner_text()

    office = browser.new_context(**CONTEXT).new_page()
    log_in(office, base, w.office)
    office.goto(f"{base}/newmedia/queue/")
    office.click(f"[data-testid=queue] a[href='/newmedia/filings/{filing.pk}/']")
    office.fill("form[data-step=reject] textarea[name=text]", "技术保障人员未单独配备，请补充后重新报备。")
    office.click("form[data-step=reject] button")
    office.wait_for_url(re.compile(r".*/newmedia/filings/\d+/$"))
    assert "书面告知" in office.get_by_test_id("filing-status").inner_text()
    doc = Rejection.objects.get()
    office.goto(f"{base}/newmedia/rejections/{doc.pk}/")
    assert "技术保障人员未单独配备" in office.get_by_test_id("rejection-reasons").inner_text()

    unit.goto(f"{base}/newmedia/filings/{filing.pk}/")
    assert "技术保障人员未单独配备" in unit.get_by_test_id("rejections").inner_text()
    unit.click("form[data-step=file] button")  # corrected and filed again
    unit.wait_for_url(re.compile(r".*/newmedia/filings/\d+/$"))

    office.goto(f"{base}/newmedia/filings/{filing.pk}/")
    office.click("form[data-step=accept] button")
    office.wait_for_url(re.compile(r".*/newmedia/filings/\d+/$"))
    with office.expect_download() as download:
        office.click("[data-testid=export-xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
    office.click("form[data-step=report] button")
    office.wait_for_url(re.compile(r".*/newmedia/filings/\d+/$"))
    assert office.get_by_test_id("reported-at").inner_text().strip()
    filing.refresh_from_db()
    assert filing.status == Filing.Status.REPORTED and filing.times_filed == 2 and filing.reported_by == w.office
    assert Outlet.objects.get().status == "open"
