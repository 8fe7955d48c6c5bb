"""In a real Chromium on a phone-sized screen: a member submits a report; the office forwards it; the hotline asks
a verification question, the member answers it through the office; the hotline posts the result; the member rates."""

import re

import pytest

from lvzhi.opinions.models import Rating, Report, ThreadMessage
from lvzhi.testing import PASSWORD

from .conftest import HOTLINE_TEXT, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTEXT = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def take(page, base, report, action, text=None):
    """Open the report, unfold the step and submit it."""
    page.goto(f"{base}/opinions/{report.pk}/")
    box = page.locator(f"details[data-action={action}]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    if text is not None:
        page.fill(f"#text-{action}", text)
    page.click(f"main [data-testid=do-{action}]")
    page.wait_for_url(f"{base}/opinions/{report.pk}/")


@pytest.mark.req("S0-5.4", "S0-13", "S0-14", "S0-16", "S0-16.1", "S0-16.2", "S0-16.3")
def test_a_report_from_the_phone_to_a_rated_case(live_server, phone_page, browser):
    w = build_world()
    base = live_server.url
    member = phone_page
    log_in(member, base, w.member)
    member.goto(f"{base}/opinions/new/")
    assert member.get_by_test_id("guidance").is_visible()
    assert member.get_by_test_id("guidance-scope").inner_text().strip()
    member.fill("#id_title", "东湖路红绿灯损坏")
    member.select_option("#id_category", "sudden_problem")
    member.fill("#id_content", HOTLINE_TEXT)
    member.fill("#id_location", "东湖区长江路口")
    assert member.evaluate("document.documentElement.scrollWidth") <= 390
    member.click("main [data-testid=submit]")
    member.wait_for_url(re.compile(r".*/opinions/\d+/$"))
    report = Report.objects.get(author=w.member)
    assert report.status == Report.Status.SUBMITTED and report.committee == w.econ
    assert member.locator("[data-testid=status] [data-status=submitted]").is_visible()

    office = browser.new_context(**CONTEXT).new_page()
    log_in(office, base, w.staff)
    office.goto(f"{base}/opinions/queue/")
    office.click(f"main a[href='/opinions/{report.pk}/']")
    office.wait_for_url(f"{base}/opinions/{report.pk}/")
    take(office, base, report, "forward", "请热线办理")
    assert Report.objects.get(pk=report.pk).status == Report.Status.AT_HOTLINE

    hotline = browser.new_context(**CONTEXT).new_page()
    log_in(hotline, base, w.hotline)
    take(hotline, base, report, "ask_verification", "请核实是哪个方向的信号灯。")
    take(office, base, report, "ask_member", "热线请您确认是哪个方向的信号灯？")

    member.goto(f"{base}/opinions/{report.pk}/")
    assert "热线请您确认" in member.get_by_test_id("thread").inner_text()
    take(member, base, report, "answer_question", "由北向南方向。")

    take(office, base, report, "verified")  # the member's answer is prefilled
    assert ThreadMessage.objects.filter(report=report, kind="office_answer", text="由北向南方向。").exists()
    take(hotline, base, report, "update", "已转交市交警支队，正在维修。")
    take(hotline, base, report, "hotline_result", "信号灯已修复，交警加强高峰疏导。")
    take(office, base, report, "answer")  # the hotline's result is prefilled

    member.goto(f"{base}/opinions/{report.pk}/")
    assert "正在维修" in member.get_by_test_id("progress").inner_text()
    assert "信号灯已修复" in member.get_by_test_id("answer").inner_text()
    member.check("details[data-action=rate] input[value=satisfied]")
    member.click("main [data-testid=do-rate]")
    member.wait_for_url(f"{base}/opinions/{report.pk}/")
    assert member.locator("[data-testid=status] [data-status=closed]").is_visible()
    assert member.get_by_test_id("history").locator("li").count() == 7
    assert member.evaluate("document.documentElement.scrollWidth") <= 390

    report.refresh_from_db()
    assert report.status == Report.Status.CLOSED and report.satisfaction == "satisfied"
    assert Rating.objects.get(report=report).author == w.member
    office.context.close()
    hotline.context.close()
