"""The must-show journey in a real Chromium on a 390 px phone, as an anonymous visitor: open the deputy's QR link,
ask for the SMS code, write; the deputy (on a desktop) passes the message on as a suggestion and concludes it; the
visitor follows it by the lookup code and reads the result."""

import re

import pytest

from lvzhi.letters.models import Letter
from lvzhi.notify.models import Delivery
from lvzhi.testing.helpers import PASSWORD
from lvzhi.web.tests.crawl import log_in

from .conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13700005678"


@pytest.mark.req("S4-2.2.3", "S4-2.2.1", "S2-30")
def test_a_message_by_qr_to_a_deputy_passed_on_as_a_suggestion_and_concluded(live_server, browser, phone_page):
    w = build_world()
    base = live_server.url
    phone_page.goto(f"{base}/deputies/{w.page.pk}/")
    assert "俞大山" in phone_page.inner_text("h1")
    qr = phone_page.get_attribute("[data-testid=deputy-qr]", "src")
    assert qr.endswith(f"/deputies/{w.page.pk}/qr.svg")
    phone_page.goto(f"{base}/letters/write/?deputy={w.page.pk}&via=qr")  # the URL the QR code holds
    phone_page.select_option("select[name=kind]", "suggestion")
    phone_page.fill("input[name=title]", "村口道路坑洼")
    phone_page.fill("textarea[name=text]", "石桥村村口道路坑洼，雨天积水，请代表帮助反映。")
    phone_page.fill("input[name=phone]", PHONE)
    phone_page.click("[data-testid=send-code]")
    phone_page.wait_for_selector("[data-testid=code-sent]")
    code = re.search(r"\d{6}", Delivery.objects.filter(to=PHONE).latest("pk").text).group(0)
    assert phone_page.input_value("input[name=title]") == "村口道路坑洼"  # kept while the code was sent
    phone_page.fill("input[name=code]", code)
    phone_page.click("[data-testid=send-letter]")
    phone_page.wait_for_selector("[data-testid=lookup-code]")
    letter = Letter.objects.get()
    assert letter.via == "qr" and letter.lookup_code in phone_page.inner_text("[data-testid=lookup-code]")
    assert "已受理" in phone_page.inner_text("[data-testid=letter-status]")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390

    desk = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    log_in(desk, base, w.deputy.phone, PASSWORD)
    desk.goto(f"{base}/letters/")
    desk.click("[data-testid=letter-queue] a")
    desk.select_option("form[data-step=pass_on] select[name=passed_as]", "suggestion")
    desk.fill("form[data-step=pass_on] textarea[name=note]", "已作为代表建议提交县人大常委会。")
    desk.click("form[data-step=pass_on] button[type=submit]")
    desk.wait_for_selector("form[data-step=close]")
    desk.fill("form[data-step=close] textarea[name=result]", "县交通运输局已列入明年农村公路维修计划。")
    desk.click("form[data-step=close] button[type=submit]")
    desk.wait_for_load_state()
    assert "已办结" in desk.inner_text("[data-testid=letter-status]")

    phone_page.goto(f"{base}/letters/lookup/?code={letter.lookup_code}")
    assert "已办结" in phone_page.inner_text("[data-testid=letter-status]")
    assert "代表建议" in phone_page.inner_text("[data-testid=letter-passed]")
    assert "县交通运输局已列入明年农村公路维修计划。" in phone_page.inner_text("[data-testid=letter-result]")
    assert PHONE not in phone_page.content()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
