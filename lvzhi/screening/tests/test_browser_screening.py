"""In a real Chromium on a phone-sized screen: the information office keeps a word list and checks a text."""

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.orgs.models import UnitFunction
from lvzhi.screening.models import Term, WordList
from lvzhi.testing import PASSWORD, make_body, make_unit, make_user

from .conftest import id_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.req("S2-21", "S2-26")
def test_information_office_creates_a_list_imports_terms_and_checks_a_text(live_server, phone_page):
    body = make_body("江海市政协")
    office = make_unit(body, "信息化办", function=UnitFunction.INFO_OFFICE)
    clerk = make_user(office, roles=[(Role.INFO_OFFICE, body, True)], real_name="孙立华")
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=phone]", clerk.phone)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/office/screening/")
    assert page.get_by_test_id("word-lists").is_visible()
    page.locator("main a[href='/office/screening/new/']").click()
    page.fill("input[name=name]", "本市广告补充词")
    page.select_option("select[name=kind]", "advert")
    page.select_option("select[name=scope]", str(body.pk))
    page.click("main form button[type=submit]")
    page.wait_for_url("**/office/screening/*/")
    word_list = WordList.objects.get(name="本市广告补充词")
    assert word_list.body == body

    page.fill("textarea[name=text]", "江海快彩\n\n江海快彩\n东湖速贷")
    page.locator("main form[action$='/import/'] button[type=submit]").click()
    page.wait_for_url(f"**/office/screening/{word_list.pk}/")
    assert page.get_by_test_id("terms").locator("tr[data-term]").count() == 2
    assert set(Term.objects.filter(word_list=word_list).values_list("text", flat=True)) == {"江海快彩", "东湖速贷"}
    assert AuditEvent.objects.filter(event="screening.term.import", actor=clerk).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    number = id_card("32010219800101123")
    page.goto(f"{live_server.url}/office/screening/check/")
    page.fill("textarea[name=text]", f"欢迎参与江海快彩，身份证{number}。")
    page.click("main form button[type=submit]")
    findings = page.get_by_test_id("findings")
    assert findings.locator("[data-kind=advert]").count() == 1
    personal = findings.locator("[data-kind=personal_data]")
    assert personal.count() == 1
    assert number not in personal.inner_text() and "3201" in personal.inner_text()
