"""In real Chromium on phone-sized screens: the hosting committee's staff drafts a topic, its head approves it, the
staff publishes it; two members post on their phones (one supports the other); the staff marks the key viewpoints
and drafts the 专报 from them; the head approves it."""

import datetime as dt
import re

import pytest

from lvzhi.content import services as content_services
from lvzhi.core.timeutil import local_date
from lvzhi.deliberation.models import Post, SpecialReport, Topic
from lvzhi.testing import PASSWORD
from lvzhi.web.tests.crawl import accept_confirmations

from .conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTEXT = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}


def phone(browser, base, user):
    page = browser.new_context(**CONTEXT).new_page()
    accept_confirmations(page)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


@pytest.mark.req("S0-12", "S0-12.1", "S0-12.2")
def test_a_committee_publishes_members_post_staff_curate_and_the_head_approves_the_report(live_server, browser):
    w = build_world()
    content_services.ensure_default_columns(body=w.body)
    base = live_server.url
    today = local_date()

    staff = phone(browser, base, w.staff)
    staff.goto(f"{base}/deliberation/manage/")
    staff.click("[data-testid=new-topic]")
    form = "[data-testid=topic-form]"
    staff.fill(f"{form} input[name=title]", "优化营商环境")
    staff.fill(f"{form} textarea[name=background]", "我市营商环境评价情况。")
    staff.fill(f"{form} textarea[name=questions]", "如何降低企业制度性交易成本？")
    staff.fill(f"{form} input[name=discuss_from]", today.isoformat())
    staff.fill(f"{form} input[name=discuss_until]", (today + dt.timedelta(days=10)).isoformat())
    staff.fill(f"{form} input[name=meeting_date]", (today + dt.timedelta(days=20)).isoformat())
    staff.select_option(f"{form} select[name=meeting_form]", "thematic")
    staff.click(f"{form} button[type=submit]")
    staff.wait_for_url(re.compile(r".*/deliberation/topics/\d+/$"))
    topic = Topic.objects.get()
    assert "草稿" in staff.get_by_test_id("topic-status").inner_text()
    assert (today + dt.timedelta(days=5)).isoformat() in staff.get_by_test_id("need-by").inner_text()
    staff.click("form[data-step=submit] button")
    staff.wait_for_url(f"{base}/deliberation/topics/{topic.pk}/")

    head = phone(browser, base, w.head)
    head.goto(f"{base}/deliberation/topics/{topic.pk}/")
    head.click("form[data-step=approve] button")
    head.wait_for_url(f"{base}/deliberation/topics/{topic.pk}/")
    assert Topic.objects.get().status == "approved"

    staff.reload()
    staff.click("form[data-step=publish] button")
    staff.wait_for_url(f"{base}/deliberation/topics/{topic.pk}/")
    assert "议政进行中" in staff.get_by_test_id("topic-status").inner_text()

    for member, text in ((w.m1, "建议推行企业服务专员制度。"), (w.m2, "建议公开涉企收费清单。")):
        page = phone(browser, base, member)
        page.click("[data-testid=columns] a[data-column=deliberation]")  # the 网络议政 column leads to the topics
        page.wait_for_url(f"{base}/deliberation/")
        page.click("[data-testid=topics] a")
        page.fill("[data-testid=post-form] textarea[name=text]", text)
        page.click("[data-testid=post-form] button[type=submit]")
        page.wait_for_url(f"{base}/deliberation/topics/{topic.pk}/")
        assert text in page.get_by_test_id("posts").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if member is w.m2:
            first = Post.objects.get(author=w.m1)
            page.click(f"#post-{first.pk} [data-testid=support]")
            page.wait_for_url(re.compile(rf".*/deliberation/topics/{topic.pk}/.*"))
    assert Post.objects.get(author=w.m1).support_count == 1

    staff.reload()
    for post in Post.objects.order_by("pk"):
        staff.click(f"#post-{post.pk} [data-testid=mark]")
        staff.wait_for_url(re.compile(rf".*/deliberation/topics/{topic.pk}/.*"))
    staff.click("[data-testid=report-link]")
    staff.click("[data-testid=draft-report]")
    staff.wait_for_url(f"{base}/deliberation/topics/{topic.pk}/report/")
    draft = staff.locator("[data-testid=report-form] textarea[name=text]").input_value()
    assert "金文博：建议推行企业服务专员制度。" in draft and "魏静怡：建议公开涉企收费清单。" in draft
    staff.click("form[data-step=submit] button")
    staff.wait_for_url(f"{base}/deliberation/topics/{topic.pk}/report/")

    head.goto(f"{base}/deliberation/topics/{topic.pk}/report/")
    assert "共有 2 位委员参与" in head.get_by_test_id("report-text").inner_text()
    head.click("form[data-step=approve] button")
    head.wait_for_url(f"{base}/deliberation/topics/{topic.pk}/report/")
    assert "已同意" in head.get_by_test_id("report-status").inner_text()
    report = SpecialReport.objects.get()
    assert report.status == "approved" and report.approved_by == w.head
