"""In a real Chromium (390 px phone and a 1920 px meeting-room screen): every dashboard draws its charts with the
ECharts served from our own static files, each with its data table, and nothing is wider than the phone."""

import pytest

from lvzhi.testing import PASSWORD

from .conftest import holiday_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DASHBOARDS = {
    "/dashboards/deadlines/?year=2026": ["by-month", "by-rule", "slowest-units", "unit-month"],
    "/dashboards/flows/?year=2026": ["opinion-funnel", "proposal-funnel", "categories", "by-committee", "satisfaction"],
    "/dashboards/duty/?year=2026": ["points", "by-committee", "by-sector", "trend"],
    "/dashboards/screen/?year=2026": ["by-month", "slowest-units", "opinion-funnel", "satisfaction"],
}


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def check_dashboards(page, base, *, width):
    outside = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(base) and not r.url.startswith("data:") else None,
    )
    for url, charts in DASHBOARDS.items():
        page.goto(f"{base}{url}")
        for name in charts:
            figure = page.locator(f"[data-testid=chart-{name}]")
            figure.locator(".dash-canvas[data-rendered] canvas").first.wait_for(state="attached", timeout=15000)
            assert figure.locator(f"table[data-testid=table-{name}]").count() == 1
            assert figure.locator(".dash-canvas").get_attribute("role") == "img"
            assert figure.locator(".dash-summary").inner_text().strip()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, url
    assert outside == []


@pytest.mark.req("S2-41", "S0-21", "S3-12", "S4-2.2.4")
def test_every_dashboard_draws_its_charts_with_their_tables_on_a_phone(live_server, phone_page, w):
    holiday_cases(w)
    base = live_server.url
    log_in(phone_page, base, w.leader)
    phone_page.click("a[href='/dashboards/']")
    phone_page.wait_for_url(f"{base}/dashboards/")
    assert phone_page.get_by_test_id("dashboard-links").is_visible()
    check_dashboards(phone_page, base, width=390)
    # A chart saved as a picture: the PNG comes from the chart itself (getDataURL), no server round trip.
    phone_page.goto(f"{base}/dashboards/deadlines/?year=2026")
    phone_page.locator("[data-testid=chart-by-month] .dash-canvas[data-rendered]").wait_for()
    with phone_page.expect_download() as download:
        phone_page.click("[data-testid=chart-by-month] [data-png]")
    assert download.value.suggested_filename == "by-month.png"


@pytest.mark.req("S0-21")
def test_the_cockpit_on_a_big_screen(live_server, browser, w):
    holiday_cases(w)
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    base = live_server.url
    log_in(page, base, w.leader)
    page.goto(f"{base}/dashboards/screen/?year=2026")
    page.locator(".dash-canvas[data-rendered] canvas").first.wait_for(state="attached")
    assert page.locator(".dash-chart").count() == 4
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.dash-kpi-value')).fontSize)")
    assert size >= 48  # readable across a meeting room
    assert not page.locator(".bottom-nav").is_visible()
    context.close()
