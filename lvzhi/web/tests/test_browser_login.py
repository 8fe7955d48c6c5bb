"""In a real Chromium on a phone-sized screen: first login, forced password change, home page."""

import pytest

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.content import services as content_services
from lvzhi.testing import make_body, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INITIAL = "Chushi@2026"
NEW = "Xinmima#2026go"


@pytest.mark.req("S0-22", "S0-5")
def test_first_login_forces_a_password_change_then_shows_the_home_page(live_server, phone_page):
    body = make_body("江海市政协")
    content_services.ensure_default_columns(body=body)  # as when the body is created in the back office
    member = make_user(body, roles=[Role.MEMBER], real_name="林晓岚", password=INITIAL, must_change_password=True)
    page = phone_page
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.fill("input[name=phone]", member.phone)
    page.fill("input[name=password]", INITIAL)
    page.click("main form button[type=submit]")

    page.wait_for_url("**/accounts/password/change/**")
    assert page.get_by_test_id("forced").is_visible()
    # a weak new password is refused with a message in Chinese and changes nothing
    page.fill("input[name=current_password]", INITIAL)
    page.fill("input[name=new_password1]", "12345678")
    page.fill("input[name=new_password2]", "12345678")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".errorlist")  # the click returns before the answer has loaded
    assert page.locator(".errorlist").first.is_visible()
    assert "数字" in page.locator(".errorlist").first.inner_text()  # the policy, in Chinese
    assert User.objects.get(pk=member.pk).must_change_password

    # going elsewhere first is not possible
    page.goto(f"{live_server.url}/")
    page.wait_for_url("**/accounts/password/change/**")

    page.fill("input[name=current_password]", INITIAL)
    page.fill("input[name=new_password1]", NEW)
    page.fill("input[name=new_password2]", NEW)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("林晓岚，您好").is_visible()
    tiles = page.get_by_test_id("columns").locator(".column-tile")
    assert tiles.count() == 8
    assert tiles.first.inner_text() == "通知公告"
    # the page fits a phone screen: nothing wider than the viewport
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    member.refresh_from_db()
    assert not member.must_change_password
    assert member.check_password(NEW)
    assert AuditEvent.objects.filter(event="accounts.password.change", actor=member).exists()
