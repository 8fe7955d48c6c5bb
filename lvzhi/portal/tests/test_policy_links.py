"""S1-4.1 on the public portal: an interpretation (新法解读) links to the policy document (决议决定) it interprets,
and the document lists its interpretations — only what the public may open, the cached pages renewed."""

import pytest

from lvzhi.content import services as content
from lvzhi.content.models import Column

from .conftest import publish

pytestmark = pytest.mark.django_db


@pytest.mark.req("S1-4.1")
def test_the_public_pages_link_an_interpretation_and_its_document(client, w, django_capture_on_commit_callbacks):
    assert Column.objects.get(body=w.city, code="new_laws").disclosure_category.code == "policy_reading"
    assert Column.objects.get(body=w.city, code="decisions").disclosure_category.code == "policy"
    document = publish(w, w.city, "decisions", "关于加强人大代表工作的决定")
    reading = publish(w, w.city, "new_laws", "《关于加强人大代表工作的决定》解读")
    before = client.get(f"/site/jianghai/a/{reading.pk}/").content.decode()  # cached now
    assert 'data-testid="policy-documents"' not in before
    with django_capture_on_commit_callbacks(execute=True):
        content.set_policy_documents(actor=w.author, article=reading, document_ids=[document.pk])
    page = client.get(f"/site/jianghai/a/{reading.pk}/").content.decode()
    assert 'data-testid="policy-documents"' in page and f'href="/site/jianghai/a/{document.pk}/"' in page
    doc_page = client.get(f"/site/jianghai/a/{document.pk}/").content.decode()
    assert 'data-testid="policy-interpretations"' in doc_page and f'href="/site/jianghai/a/{reading.pk}/"' in doc_page
    # on its own host name the links are the host's
    own = client.get(f"/a/{reading.pk}/", HTTP_HOST="rd.jianghai.test").content.decode()
    assert f'href="/a/{document.pk}/"' in own
    # the document withdrawn: the public page no longer links to it
    with django_capture_on_commit_callbacks(execute=True):
        content.withdraw(actor=w.publisher, article=document, reason="已废止")
    gone = client.get(f"/site/jianghai/a/{reading.pk}/").content.decode()
    assert 'data-testid="policy-documents"' not in gone and f"/a/{document.pk}/" not in gone
