"""The crawl: with `lvzhi demo`'s data, every page reachable by links from each demo role's home and navigation
(same origin, breadth first, up to a bound) answers 200/302/403/404 — never a 500 — shows no English left
untranslated and logs no console error (a blocked inline style or script counts), on a phone and on a desktop."""

import pytest
from django.core.management import call_command

from lvzhi.web.tests.crawl import crawl, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# (phone, who) — one login per role of the demo, as printed by `lvzhi demo`
ROLES = [
    ("13800000001", "CPPCC member 金文博"),
    ("13800000021", "deputy 鲁志强"),
    ("13900000003", "liaison-office clerk 吴若兰"),
    ("13900000009", "hotline 卫丽娟"),
    ("13900000004", "proposals office 郑海波"),
    ("13900000010", "handling unit 蒋志刚"),
    ("13900000051", "handling-unit head 周建设"),
    ("13900000006", "research office 冯晓东"),
    ("13900000015", "new-media chief editor 秦主编"),
    ("13900000001", "information office 孙立华"),
    ("13900000008", "body leader 褚国强"),
    ("13900000031", "system administrator 曹系统"),
]
PAGES_PER_ROLE = 30


@pytest.mark.req("S0-2", "S4-2.2")
def test_every_page_each_demo_role_can_reach_works_in_chinese_without_console_errors(live_server, browser):
    call_command("demo", "--quiet-table", verbosity=0)
    failures = []
    visited = 0
    for i, (phone, who) in enumerate(ROLES):
        # alternate a phone and a desktop screen
        viewport = {"width": 390, "height": 844} if i % 2 == 0 else {"width": 1280, "height": 900}
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url, phone)
        assert "/accounts/login/" not in page.url, f"{who} could not log in"
        result = crawl(page, live_server.url, limit=PAGES_PER_ROLE)
        context.close()
        assert len(result.visited) >= 5, f"{who}: only {result.visited}"
        visited += len(result.visited)
        failures += [f"{who} {url.replace(live_server.url, '')}: {what}" for url, what in result.problems]
    assert not failures, "\n".join(failures)
    assert visited >= 5 * len(ROLES)
