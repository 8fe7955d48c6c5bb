"""In real Chromium on phone-sized screens: an organiser opens a meeting and shows the QR code; two members check in
by opening the URL the code encodes (the image is checked to encode exactly that URL); the organiser closes the
check-in and enters the records; the committee head reviews them; the points appear in 我的履职; a member objects
and gets an answer."""

import base64
import re

import pytest

from lvzhi.core.timeutil import local_date
from lvzhi.duty import ruledata
from lvzhi.duty.models import Attendance, Objection, Record
from lvzhi.duty.views import qr_png
from lvzhi.testing import PASSWORD

from .conftest import YEAR, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CONTEXT = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}


def log_in(page, base, user, then=None):
    page.goto(then or f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")


@pytest.mark.req("S3-1", "S3-6", "S3-7", "S3-9", "S3-10", "S3-11")
def test_meeting_qr_check_in_review_points_and_objection(live_server, phone_page, browser):
    w = build_world()
    year = local_date().year
    if year != YEAR:
        ruledata.install(actor=None, body=w.body, year=year, rules=ruledata.CITY_RULES, caps=ruledata.CITY_CAPS)
    base = live_server.url

    organiser = browser.new_context(**CONTEXT).new_page()
    log_in(organiser, base, w.econ_staff)
    organiser.wait_for_url(f"{base}/")
    organiser.goto(f"{base}/duty/events/")
    organiser.fill("[data-testid=event-form] input[name=title]", "经济委员会全体会议")
    organiser.select_option("[data-testid=event-form] select[name=invite_committee]", str(w.econ.pk))
    organiser.click("[data-testid=event-form] button[type=submit]")
    organiser.wait_for_url(re.compile(r".*/duty/events/\d+/$"))
    image = organiser.get_by_test_id("qr-image")
    url = image.get_attribute("data-url")
    assert url.startswith(f"{base}/duty/checkin/")
    # The image shown is the QR code of exactly this URL (segno's encoding is deterministic).
    src = image.get_attribute("src")
    assert base64.b64decode(src.split(",", 1)[1]) == qr_png(url)

    for member in (w.m1, w.m2):
        phone = phone_page if member is w.m1 else browser.new_context(**CONTEXT).new_page()
        log_in(phone, base, member, then=url)  # the camera opens the URL; the login page sends the member back
        phone.wait_for_url(re.compile(r".*/duty/checkin/\d+/.*"))
        assert "签到成功" in phone.get_by_test_id("checkin-result").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert set(Attendance.objects.filter(status="present").values_list("member_id", flat=True)) == {w.m1.pk, w.m2.pk}

    organiser.reload()
    organiser.click("form[data-step=close] button")
    organiser.wait_for_url(re.compile(r".*/duty/events/\d+/$"))
    organiser.click("form[data-step=enter] button")
    organiser.wait_for_url(re.compile(r".*/duty/events/\d+/$"))
    assert "已录入" in organiser.get_by_test_id("event-status").inner_text()

    head = browser.new_context(**CONTEXT).new_page()
    log_in(head, base, w.econ_head)
    head.wait_for_url(f"{base}/")
    head.goto(f"{base}/duty/review/")
    head.click("[data-testid=review-form] button[type=submit]")
    head.wait_for_url(f"{base}/duty/review/")
    # The meeting's records are counted; the phones' logins made their month's sign-in tallies (S0-20), which the
    # members' work committee reviews.
    assert set(Record.objects.exclude(kind="platform").values_list("status", flat=True)) == {"counted"}
    assert set(Record.objects.filter(kind="platform").values_list("outcome", flat=True)) <= {"sign_in"}

    member = phone_page
    member.goto(f"{base}/duty/")
    assert member.get_by_test_id("total").inner_text().strip() == "2"
    assert "经济委员会全体会议" in member.get_by_test_id("records").inner_text()
    assert member.locator("svg.chart").count() == 1
    record = Record.objects.exclude(kind="platform").get(member=w.m1)
    member.select_option("[data-testid=objection-form] select[name=target]", "record")
    member.select_option("[data-testid=objection-form] select[name=record]", str(record.pk))
    member.fill("[data-testid=objection-form] textarea[name=text]", "我是提前到场的，为何与别人同分？")
    member.click("[data-testid=objection-form] button[type=submit]")
    member.wait_for_url(re.compile(r".*/duty/objections/\d+/$"))
    objection = Objection.objects.get(member=w.m1)
    assert objection.unit == w.econ

    organiser.goto(f"{base}/duty/objections/{objection.pk}/")
    organiser.fill("form[data-step=reject] textarea[name=text]", "出席会议均计2分，与到场先后无关。")
    organiser.click("form[data-step=reject] button")
    organiser.wait_for_url(f"{base}/duty/objections/{objection.pk}/")

    member.goto(f"{base}/duty/objections/{objection.pk}/")
    assert "出席会议均计2分" in member.get_by_test_id("objection-answer").inner_text()
    assert "异议不成立" in member.get_by_test_id("objection-status").inner_text()
