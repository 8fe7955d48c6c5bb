"""Report texts go through the validation kit (`lvzhi.core.validation.clean_text`) inside the opinions services: an
over-long title is refused with a message that names the limit, bidi overrides and text made only of zero-width
characters are refused, on the pages and through the API alike (issue 8)."""

import re

import pytest
from django.utils.translation import gettext

from lvzhi.opinions import rules
from lvzhi.opinions.models import Report
from lvzhi.testing import login

from .conftest import HOTLINE_TEXT

LONG = "标" * 10_000
BIDI = "红绿灯\u202e损坏"
INVISIBLE = "\u200b\u200c\u2060\ufeff"


def _errors(page) -> str:
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.content.decode(), re.S))


def _api(client, title):
    data = {"title": title, "content": HOTLINE_TEXT, "category": "other", "submit": True}
    return client.post("/api/v1/opinions", data, content_type="application/json")


def _page(client, title):
    data = {"title": title, "content": HOTLINE_TEXT, "category": "other", "do": "submit"}
    return client.post("/opinions/new/", data)


@pytest.mark.req("S0-16")
def test_a_10000_character_title_is_refused_with_the_limit_named(client, w):
    login(client, w.member)
    page = _page(client, LONG)
    assert page.status_code == 400
    assert str(rules.TITLE_MAX) in _errors(page) and "10000" in _errors(page)
    api = _api(client, LONG)
    assert api.status_code == 400 and api.json()["code"] == "title_too_long"
    assert api.json()["message"] == gettext("%(field)s may have at most %(n)s characters; it has %(len)s.") % {
        "field": gettext("The title"),
        "n": rules.TITLE_MAX,
        "len": 10_000,
    }
    assert not Report.objects.exists()


@pytest.mark.req("S0-16")
def test_bidi_overrides_and_invisible_only_titles_are_refused_on_the_page_and_through_the_api(client, w):
    login(client, w.member)
    for title, code in ((BIDI, "title_invalid"), (INVISIBLE, "title_required")):
        page = _page(client, title)
        assert page.status_code == 400 and _errors(page), title
        api = _api(client, title)
        assert (api.status_code, api.json()["code"]) == (400, code), title
    assert gettext("The title") in _errors(_page(client, BIDI))
    hidden_text = client.post(
        "/api/v1/opinions",
        {"title": "标题", "content": HOTLINE_TEXT + "\u2066", "category": "other", "submit": True},
        content_type="application/json",
    )
    assert (hidden_text.status_code, hidden_text.json()["code"]) == (400, "content_invalid")
    assert not Report.objects.exists()
