"""The proposals half of issue 10's journeys, from `lvzhi demo`'s data with the printed logins, each step asserting
what the user sees: a member files a proposal on a phone; the proposals office accepts and assigns it; the
handling unit records the contact, drafts the reply, its head signs it off and it is sent; the member evaluates;
search finds the proposal."""

import re

import pytest
from django.core.management import call_command

from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.proposals.models import Proposal
from lvzhi.web.tests.test_journeys import DESKTOP, page_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于在老旧小区增设电动自行车集中充电设施的提案"


def click_and_wait(page, locator):
    with page.expect_navigation():
        locator.click()
    assert not page.locator("[data-testid=form-error], [data-testid=page-error], .errorlist").count(), page.content()[
        :2000
    ]


@pytest.mark.req("S4-2.2.4", "S4-2.2", "S0-2")
def test_a_proposal_from_the_members_phone_to_the_evaluation_with_the_demo_logins(live_server, browser):
    call_command("demo", "--quiet-table", verbosity=0)
    base = live_server.url

    # 金文博 (13800000001), a CPPCC member, files a proposal on his phone: the form says what it creates and shows
    # the CPPCC's own rule, not the congress's rule on bills
    member = page_for(browser, "13800000001", base=base)
    member.goto(f"{base}/proposals/")
    member.get_by_test_id("new-item").click()
    member.wait_for_url("**/proposals/new/")
    assert member.get_by_test_id("form-title").inner_text() == "新建提案"
    rules = member.get_by_test_id("cosigning-rules").inner_text()
    assert "委员" in rules and "议案" not in rules
    member.fill("input[name=title]", TITLE)
    member.fill(
        "textarea[name=content]",
        "老旧小区电动自行车入户充电火灾隐患突出。建议在小区内增设集中充电设施，由街道统筹场地，供电部门保障容量。",
    )
    member.select_option("select[name=category]", index=1)
    member.check("input[name=disclosure_consent]")
    click_and_wait(member, member.locator("main [data-testid=draft-form] button[type=submit]"))
    assert member.get_by_test_id("title").inner_text().strip() == TITLE
    click_and_wait(member, member.get_by_test_id("submit"))  # the confirmation is answered by the helper
    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.status == Proposal.Status.SUBMITTED
    assert "审查中" in member.get_by_test_id("status").inner_text()
    assert member.evaluate("document.documentElement.scrollWidth") <= 390
    detail = f"{base}/proposals/{proposal.pk}/"

    # 郑海波 (13900000004), the proposals office, finds it under review, accepts it and assigns 市住建局
    office = page_for(browser, "13900000004", DESKTOP, base=base)
    office.goto(f"{base}/proposals/office/?state=review")
    assert TITLE in office.get_by_test_id("office-flow").inner_text()
    click_and_wait(office, office.locator("main [data-testid=office-flow] a", has_text="电动自行车"))
    click_and_wait(office, office.get_by_test_id("accept"))
    assert re.search(r"\d{4}", office.get_by_test_id("reference").inner_text())
    lead = OrgUnit.objects.get(name="市住建局", kind=UnitKind.HANDLING_UNIT, body__name="江海市人民政府")
    office.select_option("main [data-testid=assign] select[name=lead_unit]", str(lead.pk))
    click_and_wait(office, office.get_by_test_id("assign-submit"))
    assert "市住建局" in office.get_by_test_id("assignments").inner_text()
    assert "办理中" in office.get_by_test_id("status").inner_text()

    # 蒋志刚 (13900000010), 市住建局, records the contact with the member and drafts the reply; the page says it
    # still needs the head's sign-off before 发出答复 is offered
    unit = page_for(browser, "13900000010", DESKTOP, base=base)
    unit.goto(f"{base}/proposals/units/")
    click_and_wait(unit, unit.locator("main [data-testid=unit-queue] a", has_text="电动自行车"))
    work = "main [data-testid=unit-work-lead]"
    unit.locator(f"{work} details summary").first.click()
    unit.select_option(f"{work} select[name$=-method]", "phone")
    unit.fill(f"{work} textarea[name$=-note]", "电话听取委员意见，商定先行试点。")
    click_and_wait(unit, unit.locator(f"{work} details form button[type=submit]").first)
    unit.fill(f"{work} textarea[name$=-content]", "已将集中充电设施纳入明年老旧小区改造内容，先在三个小区试点。")
    unit.check(f"{work} input[name$=-classification][value=A]")
    click_and_wait(unit, unit.get_by_test_id("save-reply"))
    assert "签发" in unit.get_by_test_id("reply-needs").inner_text()
    assert unit.get_by_test_id("send-reply").count() == 0

    # 周建设 (13900000051), the unit's head, signs the letter off and sends it
    head = page_for(browser, "13900000051", DESKTOP, base=base)
    head.goto(detail)
    click_and_wait(head, head.get_by_test_id("sign-off"))
    click_and_wait(head, head.get_by_test_id("send-reply"))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED

    # the member reads the reply on his phone and evaluates it 满意
    member.goto(detail)
    assert "先在三个小区试点" in member.get_by_test_id("reply").first.inner_text()
    member.check("main [data-testid=evaluate] input[name=rating][value=satisfied]")
    member.fill("main [data-testid=evaluate] textarea[name=comment]", "答复具体，期待落实。")
    click_and_wait(member, member.get_by_test_id("evaluate-submit"))
    assert "满意" in member.get_by_test_id("evaluation").first.inner_text()
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rating) == (Proposal.Status.CLOSED, "satisfied")

    # search finds the proposal for the member, under proposals
    member.goto(f"{base}/search/?q=电动自行车")
    assert TITLE in member.get_by_test_id("results-proposals").inner_text()
