"""Day one in a real office, in a real Chromium, from `lvzhi demo`'s data and its printed logins (one demo load):
a member files a report on a phone — his committee has no office staff, so the liaison office gets it and is
told; the clerk forwards it to the hotline; the hotline answers; the clerk passes the answer on; the member rates.
An editor's article passes its column's chain and appears on the member's home. Search finds a proposal.
Each step asserts what the user sees."""

import re

import pytest
from django.core.management import call_command

from lvzhi.content.models import Article
from lvzhi.opinions.models import Report
from lvzhi.web.tests.crawl import accept_confirmations, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}
CHECKLIST_OK = {
    "secrets": "no",
    "policy": "yes",
    "copyright": "yes",
    "harm": "no",
    "image": "yes",
    "timing": "yes",
    "sensitive": "no",
    "statistics": "yes",
    "other": "no",
}


def page_for(browser, phone, context=PHONE, base=""):
    page = accept_confirmations(browser.new_context(**context).new_page())
    log_in(page, base, phone)
    assert "/accounts/login/" not in page.url
    return page


def take(page, base, report, action, text=None):
    page.goto(f"{base}/opinions/{report.pk}/")
    box = page.locator(f"details[data-action={action}]")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    if text is not None:
        page.fill(f"#text-{action}", text)
    page.click(f"main [data-testid=do-{action}]")
    page.wait_for_url(f"{base}/opinions/{report.pk}/")


@pytest.mark.req("S0-15", "S0-16", "S0-16.1", "S0-7", "S0-5", "S4-2.2")
def test_day_one_journeys_from_the_demo_logins(live_server, browser):
    call_command("demo", "--quiet-table", verbosity=0)
    base = live_server.url
    member, report = _a_member_files_a_report(browser, base)
    _the_report_is_forwarded_answered_and_rated(browser, base, member, report)

    # search finds a proposal the member may see
    member.goto(f"{base}/search/?q=电梯")
    assert "关于加快推进既有住宅加装电梯的提案" in member.get_by_test_id("results-proposals").inner_text()
    assert "老旧小区电梯频繁停运" in member.get_by_test_id("results-reports").inner_text()

    _an_article_is_written_reviewed_and_published(browser, base)
    member.goto(f"{base}/")
    assert "市政协召开加装电梯专题协商会" in member.get_by_test_id("home-feed").inner_text()


def _a_member_files_a_report(browser, base):
    """金文博 (13800000001), a member, files a report on his phone; a confirmation is asked before it goes."""
    member = page_for(browser, "13800000001", base=base)
    assert member.get_by_test_id("bottom-nav").is_visible()
    member.goto(f"{base}/opinions/new/")
    member.fill("#id_title", "老旧小区电梯频繁停运")
    member.select_option("#id_category", "sudden_problem")
    member.fill("#id_content", "东湖区长江路12号小区电梯一周停运三次，老人出行困难，请协调维修。")
    member.click("main [data-testid=submit]")
    member.wait_for_url(re.compile(r".*/opinions/\d+/$"))
    assert member.confirmations and "确定提交" in member.confirmations[-1]
    report = Report.objects.get(title="老旧小区电梯频繁停运")
    assert report.committee.name == "委员联络委员会"  # 经济委员会 has no office staff
    assert member.locator("[data-testid=status] [data-status=submitted]").is_visible()
    # withdrawing is offered last, below the report, not as the first thing
    assert member.locator("[data-testid=more-actions] details[data-action=withdraw]").count() == 1
    assert member.locator("[data-testid=actions] details[data-action=withdraw]").count() == 0
    return member, report


def _the_report_is_forwarded_answered_and_rated(browser, base, member, report):
    # 吴若兰 (13900000003), the liaison-office clerk, sees it in 待办, is told why it came to her, and forwards it
    clerk = page_for(browser, "13900000003", DESKTOP, base=base)
    assert "社情民意办理" in clerk.get_by_test_id("queue-reports").inner_text()
    clerk.goto(f"{base}/inbox/")
    assert "老旧小区电梯频繁停运" in clerk.locator("main").inner_text()
    take(clerk, base, report, "forward", "请热线协调维修。")
    assert Report.objects.get(pk=report.pk).status == Report.Status.AT_HOTLINE
    assert "热线" in clerk.get_by_test_id("status").inner_text()

    # 卫丽娟 (13900000009), the hotline, reports the result; the clerk passes it on
    hotline = page_for(browser, "13900000009", base=base)
    take(hotline, base, report, "hotline_result", "已协调物业和维保单位更换主板，电梯恢复运行。")
    take(clerk, base, report, "answer")

    # the member reads the answer and rates it
    member.goto(f"{base}/opinions/{report.pk}/")
    assert "电梯恢复运行" in member.get_by_test_id("answer").inner_text()
    member.check("details[data-action=rate] input[value=satisfied]")
    member.click("main [data-testid=do-rate]")
    member.wait_for_url(f"{base}/opinions/{report.pk}/")
    assert member.locator("[data-testid=status] [data-status=closed]").is_visible()


def _an_article_is_written_reviewed_and_published(browser, base):
    """冯晓东 (13900000006) writes in 政协动态; a second research-office staff reviews; 陈思远 publishes."""
    editor = page_for(browser, "13900000006", DESKTOP, base=base)
    from lvzhi.content.models import Column

    news = Column.objects.get(body__name="江海市政协", code="news")
    editor.goto(f"{base}/content/write/")
    assert "政协动态" in editor.locator("main").inner_text()
    editor.goto(f"{base}/content/write/?column={news.pk}")
    editor.fill("main input[name=title]", "市政协召开加装电梯专题协商会")
    editor.click("main [data-testid=editor]")  # the rich-text editor: two paragraphs typed
    editor.keyboard.type("会议听取了有关部门的情况通报。")
    editor.keyboard.press("Enter")
    editor.keyboard.type("委员们提出了具体建议。")
    editor.click("main form[data-testid=article-form] button[type=submit]")
    editor.wait_for_url("**/content/w/*/")
    article = Article.objects.get(title="市政协召开加装电梯专题协商会")
    editor.click("main [data-testid=submit]")
    editor.wait_for_selector("main [data-testid=status]")
    assert "审核中" in editor.get_by_test_id("status").inner_text()
    step = Article.objects.get(pk=article.pk).current_step
    reviewer_phone = next(u.phone for u in _holders(step) if u.phone != "13900000006")
    reviewer = page_for(browser, reviewer_phone, DESKTOP, base=base)
    assert "待审核稿件" in reviewer.get_by_test_id("queue-articles").inner_text()
    reviewer.goto(f"{base}/content/w/{article.pk}/")
    for key, value in CHECKLIST_OK.items():
        reviewer.check(f"main input[name=check_{key}][value={value}]")
    reviewer.check("main input[name=secrecy_reviewed]")
    reviewer.click("main [data-testid=approve]")
    reviewer.wait_for_url("**/content/review/")
    publisher = page_for(browser, "13900000007", DESKTOP, base=base)
    publisher.goto(f"{base}/content/w/{article.pk}/")
    publisher.click("main [data-testid=publish]")
    publisher.wait_for_selector("main [data-testid=takedown]")


def _holders(step):
    from lvzhi.workflow.selectors import users_with_roles

    return users_with_roles(step.unit, [step.role])
