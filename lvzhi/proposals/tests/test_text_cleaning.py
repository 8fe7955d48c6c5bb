"""Texts of bills, suggestions and proposals go through the validation kit (`lvzhi.core.validation.clean_text`)
inside the proposals services: an over-long title is refused with a message that names the limit, bidi overrides
and text made only of zero-width characters are refused, on the pages and through the API alike (issue 8)."""

import re

import pytest
from django.utils.translation import gettext

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.services import TITLE_MAX

from .helpers import Api, client_for

pytestmark = pytest.mark.django_db
LONG = "长" * 10_000
BIDI = "关于\u202e养老的建议"
INVISIBLE = "\u200b\u200c\u2060\ufeff"


def _errors(html: str) -> str:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    found += re.findall(r'data-testid="form-error"[^>]*>(.*?)<', html, re.S)
    return " ".join(found)


def _base(w):
    return {"body_id": w.congress.pk, "kind": "suggestion", "content": "社区养老服务设施不足。", "category": "社会建设"}


def _page(w, title):
    data = {"body": w.congress.pk, "kind": "suggestion", "content": "社区养老服务设施不足。", "category": "社会建设"}
    response = client_for(w.deputy).post("/proposals/new/", {**data, "title": title})
    return response.status_code, response.content.decode()


@pytest.mark.req("S4-2.2.4")
def test_a_10000_character_title_is_refused_with_the_limit_named(w):
    status, html = _page(w, LONG)
    assert status == 400
    assert str(TITLE_MAX) in _errors(html) and "10000" in _errors(html)
    status, data = Api(w.deputy).post("", {**_base(w), "title": LONG})
    assert (status, data["code"]) == (400, "title_too_long")
    assert data["message"] == gettext("%(field)s may have at most %(n)s characters; it has %(len)s.") % {
        "field": gettext("The title"),
        "n": TITLE_MAX,
        "len": 10_000,
    }
    assert not Proposal.objects.exists()


@pytest.mark.req("S4-2.2.4")
def test_bidi_overrides_and_invisible_only_titles_are_refused_on_the_page_and_through_the_api(w):
    api = Api(w.deputy)
    for title, code in ((BIDI, "title_invalid"), (INVISIBLE, "title_required")):
        status, html = _page(w, title)
        assert status == 400 and _errors(html), title
        status, data = api.post("", {**_base(w), "title": title})
        assert (status, data["code"]) == (400, code), title
    status, data = api.post("", {**_base(w), "title": "标题", "content": "正文\u202a"})
    assert (status, data["code"]) == (400, "content_invalid")
    assert not Proposal.objects.exists()
