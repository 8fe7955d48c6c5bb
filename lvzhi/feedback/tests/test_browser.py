"""意见反馈 in a real Chromium: a member on a phone follows the footer link from the page that troubles him, sends
feedback, the information office answers on a desktop and records the change, and the member reads both."""

import pytest

from lvzhi.feedback.models import Feedback
from lvzhi.testing.helpers import PASSWORD
from lvzhi.web.tests.crawl import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.req("S0-30", "S3-14")
def test_a_member_sends_feedback_from_a_phone_and_reads_the_change_it_led_to(w, live_server, browser, phone_page):
    base = live_server.url
    log_in(phone_page, base, w.member.phone, PASSWORD)
    phone_page.goto(f"{base}/opinions/")
    phone_page.click("[data-testid=feedback-link]")
    phone_page.wait_for_url("**page=/opinions/**")
    phone_page.select_option("select[name=kind]", "fault")
    phone_page.fill("textarea[name=text]", "社情民意列表在手机上横向滚动，看不到状态。")
    phone_page.click("[data-testid=feedback-form] button[type=submit]")
    phone_page.wait_for_selector("[data-testid=feedback-status]")
    assert "感谢反馈" in phone_page.content() and "待答复" in phone_page.inner_text("[data-testid=feedback-status]")
    feedback = Feedback.objects.get()
    assert feedback.page == "/opinions/"

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in(desk, base, w.officer.phone, PASSWORD)
    desk.goto(f"{base}/feedback/office/")
    assert "社情民意列表在手机上横向滚动" in desk.inner_text("[data-testid=feedback-log]")
    desk.click("[data-testid=feedback-log] a")
    desk.fill("form[data-step=answer] textarea[name=answer]", "已收到，正在调整列表布局。")
    desk.click("form[data-step=answer] button[type=submit]")
    desk.wait_for_load_state()
    desk.fill("form[data-step=record_change] textarea[name=note]", "列表在窄屏上改为卡片显示。")
    desk.click("form[data-step=record_change] button[type=submit]")
    desk.wait_for_load_state()
    assert "因反馈已改进" in desk.inner_text("[data-testid=feedback-status]")

    phone_page.goto(f"{base}/feedback/mine/")
    phone_page.click("[data-testid=my-feedback] a")
    text = phone_page.inner_text("[data-testid=feedback]")
    assert "已收到，正在调整列表布局。" in text and "列表在窄屏上改为卡片显示。" in text
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows the phone's screen
