"""In real Chromium on phone-sized screens, with the test video provider (no network): a member starts a meeting
after the undertaking, invites another member by phone number; the invitee opens the meeting from the list (with its
working-day countdown), the room is embedded, the page reports joining and leaving, and the organiser sees it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from lvzhi.consultation.models import Invitation, Meeting
from lvzhi.testing import PASSWORD

from .conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.req("S0-5.3")]
CONTEXT = {"viewport": {"width": 390, "height": 844}, "locale": "zh-CN", "is_mobile": True}


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_member_starts_invites_and_the_invitee_joins_the_room(live_server, phone_page, browser):
    w = build_world()
    base = live_server.url
    start = timezone.localtime() + dt.timedelta(minutes=12)
    page = phone_page
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, base, w.m1)
    page.click("text=远程协商")
    page.get_by_test_id("start-meeting").click()
    page.fill("[data-testid=meeting-form] input[name=title]", "营商环境远程协商")
    page.fill("[data-testid=meeting-form] input[name=day]", start.date().isoformat())
    page.fill("[data-testid=meeting-form] input[name=time]", start.strftime("%H:%M"))
    page.check("[data-testid=undertaking] input[name=undertaking]")
    page.click("[data-testid=meeting-form] button[type=submit]")
    page.wait_for_url(re.compile(r".*/consultation/\d+/$"))
    m = Meeting.objects.get()
    assert "金文博" in page.get_by_test_id("meeting-organiser").inner_text()
    page.fill("[data-testid=invite-form] textarea[name=phones]", w.m2.phone)
    page.click("[data-testid=invite-form] button[type=submit]")
    page.wait_for_selector(f"[data-testid=invitations] li[data-user='{w.m2.pk}']")
    # The organiser is in the room too (moderator): the page reported the join.
    page.wait_for_selector("#consult-state[data-last='joined:200']")

    guest = browser.new_context(**CONTEXT).new_page()
    log_in(guest, base, w.m2)
    guest.goto(f"{base}/consultation/")
    row = guest.locator(f"[data-testid=meetings] li[data-meeting='{m.pk}']")
    assert "营商环境远程协商" in row.inner_text() and "今天" in row.inner_text()
    row.locator("a").click()
    room = guest.get_by_test_id("fake-room")
    room.wait_for()
    assert room.get_attribute("data-room") == m.room
    guest.wait_for_selector("#consult-state[data-last='joined:200']")
    assert "您已入会" in guest.get_by_test_id("attendance-state").inner_text()
    assert guest.evaluate("document.documentElement.scrollWidth") <= 390
    guest.get_by_test_id("fake-leave").click()
    guest.wait_for_selector("#consult-state[data-last='left:200']")
    inv = Invitation.objects.get(meeting=m, user=w.m2)
    assert inv.joined_at is not None and inv.left_at is not None and inv.joins == 1
    page.reload()
    assert "离会" in page.locator(f"[data-testid=invitations] li[data-user='{w.m2.pk}']").inner_text()
    assert not [e for e in errors if "Content Security Policy" in e]
