"""S1-4.1: a policy interpretation names the policy documents it interprets — chosen from the body's published
policy documents, validated (Chinese messages on the page, stable codes in the API), audited, shown both ways."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.content import selectors_policy, services
from lvzhi.content.models import Column, DisclosureCategory, PolicyLink
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.testing import login

from .conftest import publish_article
from .test_api import auth

pytestmark = pytest.mark.django_db
BASE = "/api/v1/content"
JSON = "application/json"


def _categorise(w, code, category):
    column = Column.objects.get(body=w.body, code=code)
    column.disclosure_category = DisclosureCategory.objects.get(body=w.body, code=category)
    column.save(update_fields=["disclosure_category"])
    return column


@pytest.fixture
def policy_world(world, other):
    w = world
    w.policy_column = _categorise(w, "notices", "policy")
    w.reading_column = _categorise(w, "work_info", "policy_reading")
    w.document = publish_article(w, title="江海市政协关于加强委员履职管理的规定", column=w.policy_column)
    w.document2 = publish_article(w, title="江海市政协提案工作条例", column=w.policy_column)
    w.interpretation = publish_article(w, title="《委员履职管理规定》解读", column=w.reading_column)
    w.draft_interpretation = services.create_draft(
        actor=w.author, column=w.reading_column, title="提案工作条例解读（草稿）", body_html="<p>解读。</p>"
    )
    other.policy_column = _categorise(other, "notices", "policy")
    w.foreign_document = publish_article(other, title="西山县政协规定", column=other.policy_column)
    w.other = other
    return w


@pytest.mark.req("S1-4.1")
def test_an_interpretation_names_published_policy_documents_of_its_body_audited(policy_world):
    w = policy_world
    docs = services.set_policy_documents(
        actor=w.author, article=w.interpretation, document_ids=[w.document.pk, str(w.document2.pk)]
    )
    assert [d.pk for d in docs] == [w.document.pk, w.document2.pk]
    assert selectors_policy.document_ids(w.interpretation) == [w.document.pk, w.document2.pk]
    assert selectors_policy.interpretation_ids(w.document) == [w.interpretation.pk]
    event = AuditEvent.objects.get(event="content.article.policy_documents")
    assert event.before == {"documents": []} and event.after == {"documents": sorted([w.document.pk, w.document2.pk])}
    # the same list again changes nothing and writes no second audit row
    again = [w.document2.pk, w.document.pk]
    services.set_policy_documents(actor=w.author, article=w.interpretation, document_ids=again)
    assert AuditEvent.objects.filter(event="content.article.policy_documents").count() == 1
    services.set_policy_documents(actor=w.author, article=w.interpretation, document_ids=[w.document2.pk])
    assert list(PolicyLink.objects.values_list("document_id", flat=True)) == [w.document2.pk]
    # a draft interpretation may name its document before it is published
    services.set_policy_documents(actor=w.author, article=w.draft_interpretation, document_ids=[w.document.pk])
    assert selectors_policy.interpretation_ids(w.document) == []  # not live: not listed under the document


@pytest.mark.req("S1-4.1")
def test_what_may_not_be_named_is_refused_with_a_stable_code_and_nothing_written(policy_world):
    w = policy_world
    cases = [
        (w.interpretation, [w.foreign_document.pk], "policy_document_invalid"),  # another body's
        (w.interpretation, [w.draft_interpretation.pk], "policy_document_invalid"),  # not a published document
        (w.interpretation, [w.interpretation.pk], "policy_document_invalid"),  # itself
        (w.interpretation, [999999], "policy_document_invalid"),
        (w.interpretation, ["abc"], "policy_document_invalid"),
        (w.interpretation, [w.document.pk] * 1 + list(range(10**6, 10**6 + 10)), "policy_documents_too_many"),
        (w.document, [w.document2.pk], "policy_link_not_interpretation"),  # a document interprets nothing
    ]
    for article, ids, code in cases:
        with pytest.raises(ValidationFailed) as refused:
            services.set_policy_documents(actor=w.author, article=article, document_ids=ids)
        assert refused.value.code == code, (ids, code)
    assert not PolicyLink.objects.exists() and not AuditEvent.objects.filter(event__contains="policy_doc").exists()
    # a body's staff outside the host unit, a member, another body's author: not found
    for outsider in (w.member, w.other.author, w.monitor):
        with pytest.raises(NotFound):
            services.set_policy_documents(actor=outsider, article=w.interpretation, document_ids=[w.document.pk])
    services.withdraw(actor=w.publisher, article=w.interpretation, reason="内容过时")
    with pytest.raises(Conflict) as closed:
        services.set_policy_documents(actor=w.author, article=w.interpretation, document_ids=[w.document.pk])
    assert closed.value.code == "policy_link_closed"


@pytest.mark.req("S1-4.1")
def test_the_editor_page_names_the_documents_and_both_article_pages_link_each_other(client, policy_world):
    w = policy_world
    login(client, w.author)
    work = client.get(f"/content/w/{w.interpretation.pk}/").content.decode()
    assert 'data-testid="policy-missing"' in work and f"/content/w/{w.interpretation.pk}/policy/" in work
    page = client.get(f"/content/w/{w.interpretation.pk}/policy/")
    assert page.status_code == 200
    text = page.content.decode()
    assert w.document.published_title in text and w.foreign_document.title not in text
    assert w.interpretation.title not in text.split('data-testid="policy-form"')[1]  # not offered to itself
    refused = client.post(f"/content/w/{w.interpretation.pk}/policy/", {"documents": [str(w.foreign_document.pk)]})
    assert refused.status_code == 400 and "有效" in refused.content.decode()  # not in the list: a Chinese error
    saved = client.post(f"/content/w/{w.interpretation.pk}/policy/", {"documents": [str(w.document.pk)]})
    assert saved.status_code == 302 and selectors_policy.document_ids(w.interpretation) == [w.document.pk]
    # a document is no interpretation: no form for it
    assert client.get(f"/content/w/{w.document.pk}/policy/").status_code == 404
    client.logout()
    login(client, w.member)
    reading = client.get(f"/content/a/{w.interpretation.pk}/").content.decode()
    assert 'data-testid="policy-documents"' in reading and f'href="/content/a/{w.document.pk}/"' in reading
    document = client.get(f"/content/a/{w.document.pk}/").content.decode()
    assert 'data-testid="policy-interpretations"' in document
    assert f'href="/content/a/{w.interpretation.pk}/"' in document
    assert 'data-testid="policy-edit"' not in reading  # a reader changes nothing
    assert client.get(f"/content/w/{w.interpretation.pk}/policy/").status_code == 404
    assert client.post(f"/content/w/{w.interpretation.pk}/policy/", {"documents": []}).status_code == 404
    assert selectors_policy.document_ids(w.interpretation) == [w.document.pk]


@pytest.mark.req("S1-4.1")
def test_the_api_reads_and_sets_the_links_with_stable_codes(client, policy_world):
    w = policy_world
    url = f"{BASE}/articles/{w.interpretation.pk}/policy"
    empty = client.get(url, **auth(w.author)).json()
    assert empty == {"is_interpretation": True, "may_link": True, "documents": [], "interpretations": []}
    bad = client.put(url, {"documents": [w.foreign_document.pk]}, content_type=JSON, **auth(w.author))
    assert bad.status_code == 400 and bad.json()["code"] == "policy_document_invalid"
    assert "政策文件" in bad.json()["message"]
    many = client.put(url, {"documents": list(range(1, 12))}, content_type=JSON, **auth(w.author))
    assert many.status_code == 400 and many.json()["code"] == "policy_documents_too_many"
    not_reading = client.put(
        f"{BASE}/articles/{w.document.pk}/policy", {"documents": []}, content_type=JSON, **auth(w.author)
    )
    assert not_reading.status_code == 400 and not_reading.json()["code"] == "policy_link_not_interpretation"
    ok = client.put(url, {"documents": [w.document.pk]}, content_type=JSON, **auth(w.author))
    assert ok.status_code == 200 and [d["id"] for d in ok.json()["documents"]] == [w.document.pk]
    as_member = client.get(f"{BASE}/articles/{w.document.pk}/policy", **auth(w.member)).json()
    assert as_member["is_interpretation"] is False and as_member["may_link"] is False
    assert [a["id"] for a in as_member["interpretations"]] == [w.interpretation.pk]
    forbidden = client.put(url, {"documents": []}, content_type=JSON, **auth(w.member))
    assert forbidden.status_code == 404 and forbidden.json()["code"] == "not_found"
    hidden = client.get(url, **auth(w.other.author))
    assert hidden.status_code == 404
    assert selectors_policy.document_ids(w.interpretation) == [w.document.pk]


@pytest.mark.req("S1-4.1")
def test_the_article_page_stays_within_its_query_bound_with_many_interpretations(
    client, policy_world, django_assert_max_num_queries
):
    w = policy_world
    login(client, w.member)

    def more(n):
        for i in range(n):
            item = publish_article(w, title=f"解读{i}-{PolicyLink.objects.count()}", column=w.reading_column)
            services.set_policy_documents(actor=w.author, article=item, document_ids=[w.document.pk])

    more(1)
    client.get(f"/content/a/{w.document.pk}/")
    with django_assert_max_num_queries(60) as few:
        client.get(f"/content/a/{w.document.pk}/")
    more(8)
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        page = client.get(f"/content/a/{w.document.pk}/").content.decode()
    assert page.count('href="/content/a/') >= 9
