"""In a real Chromium on a phone-sized screen: an article from draft to takedown (issue 3)."""

import pytest

from lvzhi.content.models import Article, Favourite, MonitorReport, ReadRecord
from lvzhi.testing import PASSWORD

from .conftest import CHECKLIST_OK, VALID_ID, build_body

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def as_user(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def answer_checklist_and_approve(page):
    for key, value in CHECKLIST_OK.items():
        page.check(f"main input[name=check_{key}][value={value}]")
    page.check("main input[name=secrecy_reviewed]")
    page.click("main [data-testid=approve]")
    page.wait_for_url("**/content/review/")


@pytest.mark.req("S0-7", "S0-8", "S0-9", "S0-11", "S0-20", "S0-28", "S2-21", "S2-26")
def test_an_article_from_draft_to_takedown_on_a_phone(live_server, phone_page):
    w = build_body()
    page, base = phone_page, live_server.url

    # the author writes an article with an ID-card number in it, sees the finding and masks it
    as_user(page, base, w.author)
    page.goto(f"{base}/content/write/?column={w.notices.pk}")
    page.fill("main input[name=title]", "关于开展委员履职培训的通知")
    page.click("main [data-testid=editor]")  # the rich-text editor: two paragraphs typed
    page.keyboard.type("请于周五前报名。")
    page.keyboard.press("Enter")
    page.keyboard.type(f"联系人身份证号{VALID_ID}。")
    page.click("main form[data-testid=article-form] button[type=submit]")
    page.wait_for_url("**/content/w/*/")
    article = Article.objects.get(title="关于开展委员履职培训的通知")
    assert page.locator("main [data-testid=finding][data-kind=personal_data]").count() >= 1
    page.click("main [data-testid=mask]")
    page.wait_for_selector("main [data-testid=no-findings]")
    assert VALID_ID not in page.locator("main [data-testid=work-body]").inner_text()
    page.click("main [data-testid=submit]")
    page.wait_for_selector("main [data-testid=status]")
    assert Article.objects.get(pk=article.pk).status == Article.Status.IN_REVIEW
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # the reviewer and the department head answer the checklist and approve
    for reviewer in (w.reviewer, w.head):
        as_user(page, base, reviewer)
        page.goto(f"{base}/content/review/")
        page.click(f"main [data-testid=queue] a[href='/content/w/{article.pk}/']")
        answer_checklist_and_approve(page)
    assert Article.objects.get(pk=article.pk).status == Article.Status.APPROVED

    # the publisher publishes
    as_user(page, base, w.publisher)
    page.goto(f"{base}/content/w/{article.pk}/")
    page.click("main [data-testid=publish]")
    page.wait_for_selector("main [data-testid=takedown]")
    assert Article.objects.get(pk=article.pk).is_live

    # a member sees it on the home page, reads it and favourites it
    as_user(page, base, w.member)
    assert page.locator("main [data-testid=home-feed] [data-testid=unread]").count() == 1
    page.click("main [data-testid=home-feed] a")
    page.wait_for_selector("main [data-testid=article-title]")
    assert "关于开展委员履职培训的通知" in page.locator("main [data-testid=article-title]").inner_text()
    page.click("main [data-testid=favourite]")
    page.wait_for_selector("main input[name=action][value=remove]", state="attached")
    assert Favourite.objects.filter(user=w.member, article=article).exists()
    assert ReadRecord.objects.filter(user=w.member, article=article).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # a volunteer monitor reports it
    as_user(page, base, w.monitor)
    page.goto(f"{base}/content/a/{article.pk}/")
    page.click("main [data-testid=report]")
    page.select_option("main select[name=kind]", "outdated")
    page.fill("main textarea[name=reason]", "报名日期已过")
    page.click("main form[data-testid=report-form] button[type=submit]")
    page.wait_for_selector("main [data-testid=report-status]")
    report = MonitorReport.objects.get(article=article)

    # the information office removes it: it is withdrawn
    as_user(page, base, w.info_officer)
    page.goto(f"{base}/content/reports/{report.pk}/")
    page.fill("main textarea[name=note]", "已过期，撤下")
    page.click("main [data-testid=remove]")
    page.wait_for_selector("main [data-testid=report-status]")
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN and not article.is_live
    as_user(page, base, w.member)
    assert page.locator("main [data-testid=home-feed] [data-testid=feed-item]").count() == 0
