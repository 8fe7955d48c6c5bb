"""In a real Chromium on a phone-sized screen: a deputy drafts a suggestion with two co-signers who confirm; the
office accepts it and assigns a lead and a co-handling unit; the co-handler sends its opinion; the lead unit replies
with class B (its head signs off); the deputy rates it 不满意; the re-handled reply is rated 满意."""

import re

import pytest

from lvzhi.proposals.models import Assignment, CoSigner, Proposal, Reply

from .conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login_as(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", "Lvzhi@2026pass")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def click_and_wait(page, locator):
    """Click a submit button and wait for the answer page (a redirect back to the same address included)."""
    with page.expect_navigation():
        locator.click()
    assert not page.locator("[data-testid=form-error], [data-testid=page-error]").count(), page.content()[:2000]


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.req("S4-2.2.4", "S4-2.2")
def test_from_draft_to_satisfied_after_rehandling_on_a_phone(live_server, phone_page, w: World):
    page, base = phone_page, live_server.url

    # The deputy drafts the suggestion and invites two co-signers.
    login_as(page, base, w.deputy)
    page.goto(f"{base}/proposals/")
    page.get_by_test_id("new-item").click()
    page.select_option("select[name=kind]", "suggestion")
    page.fill("input[name=title]", "关于增设社区托育点的建议")
    page.fill("textarea[name=content]", "双职工家庭托育需求大，建议每个街道至少设一个普惠托育点。")
    page.select_option("select[name=category]", "社会建设")
    page.fill("input[name=keywords]", "托育 社区")
    page.check("input[name=disclosure_consent]")
    page.click("main [data-testid=draft-form] button[type=submit]")
    page.wait_for_url(re.compile(r"/proposals/\d+/$"))
    proposal = Proposal.objects.get()
    detail = f"{base}/proposals/{proposal.pk}/"
    for cosigner in w.deputies[:2]:
        page.fill("main [data-testid=invite-form] input[name=who]", cosigner.phone)
        click_and_wait(page, page.locator("main [data-testid=invite-form] button[type=submit]"))
    assert page.get_by_test_id("cosigners").locator(".tag").count() == 2
    fits(page)

    # Both confirm in the app.
    for cosigner in w.deputies[:2]:
        login_as(page, base, cosigner)
        page.goto(detail)
        click_and_wait(page, page.locator("main [data-testid=cosign] button").first)
    assert CoSigner.objects.filter(proposal=proposal, status="confirmed").count() == 2

    # The deputy submits.
    login_as(page, base, w.deputy)
    page.goto(detail)
    click_and_wait(page, page.get_by_test_id("submit"))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED

    # The office accepts and assigns a lead and a co-handling unit.
    login_as(page, base, w.clerk)
    page.goto(f"{base}/proposals/office/?state=review")
    click_and_wait(page, page.locator("main [data-testid=office-flow] a", has_text="托育"))
    click_and_wait(page, page.get_by_test_id("accept"))
    assert page.get_by_test_id("reference").inner_text().endswith("-0001")
    page.select_option("main [data-testid=assign] select[name=lead_unit]", str(w.unit_a.pk))
    page.check(f"main [data-testid=assign] input[name=co_units][value='{w.unit_b.pk}']")
    click_and_wait(page, page.get_by_test_id("assign-submit"))
    fits(page)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.HANDLING

    # The co-handling unit sends its opinion.
    login_as(page, base, w.co_staff)
    page.goto(f"{base}/proposals/units/")
    click_and_wait(page, page.locator("main [data-testid=unit-queue] a").first)
    page.fill("main [data-testid=unit-work-co] textarea[name$=-opinion]", "同意在新建小区配建托育设施。")
    click_and_wait(page, page.get_by_test_id("send-opinion"))
    assert Assignment.objects.get(proposal=proposal, role="co").status == "opinion_sent"

    # The lead unit records the contact and drafts a class-B reply; its head signs it off; it is sent.
    login_as(page, base, w.lead_staff)
    page.goto(detail)
    assert "同意在新建小区配建托育设施" in page.get_by_test_id("opinion").inner_text()
    work = "main [data-testid=unit-work-lead]"
    page.locator(f"{work} details summary").first.click()
    page.select_option(f"{work} select[name$=-method]", "visit")
    page.fill(f"{work} textarea[name$=-note]", "登门听取代表意见")
    click_and_wait(page, page.locator(f"{work} details form button[type=submit]").first)
    page.fill(f"{work} textarea[name$=-content]", "已纳入明年民生实事项目，分批建设。")
    page.check(f"{work} input[name$=-classification][value=B]")
    click_and_wait(page, page.get_by_test_id("save-reply"))
    login_as(page, base, w.lead_head)
    page.goto(detail)
    click_and_wait(page, page.get_by_test_id("sign-off"))
    click_and_wait(page, page.get_by_test_id("send-reply"))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED

    # The deputy rates it 不满意: back to the lead unit for one month.
    login_as(page, base, w.deputy)
    page.goto(detail)
    assert page.get_by_test_id("reply").first.is_visible()
    page.check("main [data-testid=evaluate] input[name=rating][value=unsatisfied]")
    page.fill("main [data-testid=evaluate] textarea[name=comment]", "没有明确的建设时间表")
    click_and_wait(page, page.get_by_test_id("evaluate-submit"))
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.REHANDLING

    # The lead unit replies again (its head drafts, signs off and sends), and the deputy is satisfied.
    login_as(page, base, w.lead_head)
    page.goto(detail)
    page.fill(f"{work} textarea[name$=-content]", "补充答复：明年6月底前建成首批10个托育点。")
    page.check(f"{work} input[name$=-classification][value=A]")
    click_and_wait(page, page.get_by_test_id("save-reply"))
    click_and_wait(page, page.get_by_test_id("sign-off"))
    click_and_wait(page, page.get_by_test_id("send-reply"))
    login_as(page, base, w.deputy)
    page.goto(detail)
    page.check("main [data-testid=evaluate] input[name=rating][value=satisfied]")
    click_and_wait(page, page.get_by_test_id("evaluate-submit"))
    assert page.get_by_test_id("evaluation").count() == 2
    fits(page)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rating, proposal.rehandle_count) == ("closed", "satisfied", 1)
    assert list(Reply.objects.filter(proposal=proposal).order_by("round").values_list("classification", flat=True)) == [
        "B",
        "A",
    ]
