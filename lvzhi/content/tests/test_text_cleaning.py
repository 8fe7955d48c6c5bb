"""Text a user sends goes through the validation kit (`lvzhi.core.validation.clean_text`) inside the content
services: an over-long title is refused with a message that names the limit (never cut silently), and bidi
overrides and text made only of zero-width characters are refused, on the pages and through the API alike (issue 8).
"""

import re

import pytest
from django.utils.translation import gettext

from lvzhi.content import services
from lvzhi.content.models import Article
from lvzhi.core.errors import ValidationFailed
from lvzhi.testing import login

from .conftest import draft, publish_article
from .test_api import BASE, JSON, auth

pytestmark = pytest.mark.django_db
LONG = "长" * 10_000
BIDI = "通知\u202e文本"
INVISIBLE = "\u200b\u200c\u2060\ufeff"


def _errors(page) -> str:
    """The text of the page's form errors (the message a user reads)."""
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.content.decode(), re.S))


def _write(client, world, title, token):
    return client.post(
        "/content/write/",
        {
            "column": world.notices.pk,
            "title": title,
            "body_html": "<p>正文</p>",
            "grade": "normal",
            "client_token": token,
        },
    )


@pytest.mark.req("S4-2.4")
def test_a_10000_character_title_is_refused_with_the_limit_named_not_cut(client, world):
    with pytest.raises(ValidationFailed) as refused:
        draft(world, title=LONG)
    assert refused.value.code == "title_too_long"
    assert refused.value.message == gettext("%(field)s may have at most %(n)s characters; it has %(len)s.") % {
        "field": gettext("The title"),
        "n": 200,
        "len": 10_000,
    }
    login(client, world.author)
    page = _write(client, world, LONG, "long")
    assert page.status_code == 400
    assert "200" in _errors(page) and "10000" in _errors(page)
    api = client.post(
        f"{BASE}/articles",
        {"column_id": world.notices.pk, "title": LONG, "body_html": "<p>正文</p>", "client_token": "long-api"},
        content_type=JSON,
        **auth(world.author),
    )
    assert api.status_code == 400 and api.json()["code"] == "title_too_long"
    assert "200" in api.json()["message"] and "10000" in api.json()["message"]
    assert not Article.objects.exists()


@pytest.mark.req("S4-2.4")
def test_bidi_overrides_and_invisible_only_titles_are_refused_on_the_page_and_through_the_api(client, world):
    login(client, world.author)
    for title, code, token in ((BIDI, "title_invalid", "bidi"), (INVISIBLE, "title_required", "zw")):
        with pytest.raises(ValidationFailed) as refused:
            draft(world, title=title)
        assert refused.value.code == code
        page = _write(client, world, title, token)
        assert page.status_code == 400 and _errors(page), title
        api = client.post(
            f"{BASE}/articles",
            {"column_id": world.notices.pk, "title": title, "body_html": "<p>正文</p>", "client_token": f"{token}-api"},
            content_type=JSON,
            **auth(world.author),
        )
        assert (api.status_code, api.json()["code"]) == (400, code), title
    bidi_page = _write(client, world, BIDI, "bidi-2")
    assert gettext("The title") in _errors(bidi_page)
    assert not Article.objects.exists()


@pytest.mark.req("S4-2.4", "S0-11")
def test_the_summary_and_a_takedown_reason_are_cleaned_by_the_same_kit(world):
    with pytest.raises(ValidationFailed) as summary:
        draft(world, summary="摘要\u202e")
    assert summary.value.code == "summary_invalid"
    article = publish_article(world)
    with pytest.raises(ValidationFailed) as reason:
        services.withdraw(actor=world.secrecy_officer, article=article, reason=INVISIBLE)
    assert reason.value.code == "reason_required"
    assert Article.objects.get(pk=article.pk).is_live
