"""Every public page in a real Chromium on a phone, as an anonymous visitor: axe-core (vendored) finds no violation,
nothing overflows the screen, and the journey of a comment on a draft works (S4-2.1.1, S4-2.1.2, S4-2.1.3)."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from lvzhi.notify.models import Delivery
from lvzhi.portal import services
from lvzhi.portal.models import DraftComment

from .conftest import publish
from .test_drafts import TEXT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[2] / "static/vendor/axe-core/axe.min.js").read_text()


def violations(page) -> list:
    page.evaluate(AXE)
    result = page.evaluate("async () => JSON.stringify((await axe.run(document)).violations)")
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in json.loads(result)]


def _world(w):
    article = publish(
        w, w.city, "legislation", "市人大常委会审议立法计划", text="<p>常委会会议审议了年度立法计划。</p>"
    )
    publish(w, w.township, "township_news", "青石镇人大代表接待日")
    today = timezone.localdate()
    open_draft = services.create_draft(
        actor=w.clerk, body=w.city, title="电动自行车管理条例（草案）", text=TEXT, opens_on=today - dt.timedelta(days=1)
    )
    open_draft = services.publish_draft(actor=w.clerk, draft=open_draft)
    return article, open_draft


@pytest.mark.req("S4-2.1.1", "S4-2.1.2", "S4-2.1.3")
def test_every_public_page_passes_axe_on_a_phone(w, live_server, phone_page):
    article, draft = _world(w)
    base = f"{live_server.url}/site/jianghai/"
    county = f"{live_server.url}/site/xishan/"
    pages = [
        base, f"{base}c/{w.city.pk}/legislation/", f"{base}a/{article.pk}/", f"{base}search/?q=立法计划",
        f"{base}bills/", f"{base}topics/", f"{base}topics/lookup/?code=ABCDEFGH", f"{base}verify/",
        f"{base}drafts/", f"{base}drafts/{draft.pk}/", county, f"{county}c/{w.township.pk}/township_news/",
    ]  # fmt: skip
    found = {}
    for url in pages:
        phone_page.goto(url)
        assert phone_page.locator("html").get_attribute("lang") == "zh-Hans"
        found[url] = violations(phone_page)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, url
    assert found == {url: [] for url in pages}
    # large text, without script: a link and a cookie
    phone_page.goto(base)
    phone_page.click("[data-testid=text-size]")
    assert "large-text" in phone_page.locator("body").get_attribute("class")
    assert violations(phone_page) == []


@pytest.mark.req("S4-2.1.2")
def test_a_visitor_comments_on_an_article_of_a_draft_from_a_phone(w, live_server, phone_page):
    _article, draft = _world(w)
    base = f"{live_server.url}/site/jianghai/"
    phone_page.goto(f"{base}drafts/{draft.pk}/")
    phone_page.click("text=对第三条提意见")
    phone_page.wait_for_url("**/verify/**")
    phone_page.fill("input[name=phone]", "13900002655")
    phone_page.click("[data-testid=send-code] button")
    code = re.search(r"(\d{6})", Delivery.objects.filter(to="13900002655").latest("pk").text).group(1)
    phone_page.fill("input[name=code]", code)
    phone_page.click("[data-testid=check-code] button")
    phone_page.wait_for_url("**/comment/**")
    phone_page.fill("textarea[name=text]", "建议明确充电设施的建设主体。")
    phone_page.click("[data-testid=comment-form] button")
    assert "审核后公开" in phone_page.inner_text("[data-testid=comment-done]")
    comment = DraftComment.objects.get()
    assert comment.article.label == "第三条" and comment.phone == "13900002655"
    assert violations(phone_page) == []
