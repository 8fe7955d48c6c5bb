"""监测 in a real Chromium: the housing bureau's operator on a phone opens the planted gambling-link finding, reads
its evidence and reports the fix; the competent office on a desktop filters its single-veto findings and closes it."""

import pytest

from lvzhi.monitoring import services
from lvzhi.monitoring.models import Finding
from lvzhi.testing.helpers import PASSWORD
from lvzhi.web.tests.crawl import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SNIPPET = (
    '<div style="display:none"><a href="http://www.xpj-casino.bet/very/long/path/to/a/page">澳门葡京娱乐城</a></div>'
)


@pytest.mark.req("S1-3.3", "S2-39")
def test_a_finding_is_fixed_on_a_phone_and_closed_on_a_desktop(w, live_server, browser, phone_page):
    base = live_server.url
    finding, _created = services.raise_finding(
        kind="injected_spam", summary="首页被植入隐藏的赌博链接", outlet=w.site, url="http://x.gov.cn/",
        evidence={"url": "http://x.gov.cn/", "html": SNIPPET, "terms": ["澳门葡京"], "hidden": True},
    )  # fmt: skip
    services.raise_finding(kind="dead_links", summary="死链", outlet=w.site, url="http://x.gov.cn/a")
    log_in(phone_page, base, w.op.phone, PASSWORD)
    phone_page.goto(f"{base}/monitoring/")
    phone_page.click("[data-kind=injected_spam] a")
    evidence = phone_page.inner_text("[data-testid=evidence]")
    assert "xpj-casino.bet" in evidence and "是" in evidence
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the phone
    phone_page.fill("form[data-step=fix] textarea[name=note]", "已删除被植入的代码并修补漏洞")
    phone_page.click("form[data-step=fix] button[type=submit]")
    phone_page.wait_for_load_state()
    assert phone_page.get_attribute("[data-testid=finding]", "data-status") == "fixed"

    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    log_in(desk, base, w.office.phone, PASSWORD)
    desk.goto(f"{base}/monitoring/office/")
    desk.check("[data-testid=finding-filters] input[name=veto]")
    desk.click("[data-testid=finding-filters] button[type=submit]")
    desk.wait_for_load_state()
    assert desk.locator("[data-testid=finding-list] li[data-kind]").count() == 1
    desk.click("[data-kind=injected_spam] a")
    desk.click("form[data-step=verify] button[type=submit]")
    desk.wait_for_load_state()
    assert Finding.objects.get(pk=finding.pk).status == "closed"
