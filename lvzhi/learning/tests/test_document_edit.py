"""Information resources (S4-2.2.5): the keepers edit a document (its description; a new file is a new version, the
old ones kept) and withdraw it, from the pages and the API. A withdrawn document disappears from the members'
lists, reading lists and search; the keepers still see it and its versions. Audited; anyone else gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict
from lvzhi.core.uploads import discard_uncommitted
from lvzhi.learning import selectors, services
from lvzhi.learning.models import Document, DocumentVersion
from lvzhi.testing import login

from .conftest import pdf_with

OUTSIDERS = ("m1", "econ_staff", "other_staff", "liaison_b2", "member_b2", "sysadmin")


def _form(w, **change):
    data = {"title": "关于民营经济发展的调研报告（修订）", "source": "research", "year": w.year, "topic": "营商环境",
            "audience": "members", "summary": "修订后的摘要"}  # fmt: skip
    data.update(change)
    return data


@pytest.mark.req("S4-2.2.5")
def test_a_keeper_edits_a_document_from_its_page_and_members_find_the_new_title(client, w):
    doc = w.doc_members
    login(client, w.manager)
    page = client.get(f"/learning/library/{doc.pk}/").content.decode()
    assert 'data-testid="edit-document"' in page and 'data-testid="withdraw-form"' in page
    assert client.get(f"/learning/library/{doc.pk}/edit/").status_code == 200
    bad = client.post(f"/learning/library/{doc.pk}/edit/", _form(w, year=1900))
    assert bad.status_code == 400 and "1949" in bad.content.decode()  # Django's Chinese minimum message
    bad = client.post(f"/learning/library/{doc.pk}/edit/", _form(w, title="  "))
    assert bad.status_code == 400 and "必填" in bad.content.decode()
    doc.refresh_from_db()
    assert doc.title == "关于民营经济发展的调研报告"  # nothing half-written
    response = client.post(f"/learning/library/{doc.pk}/edit/", _form(w))
    assert response.status_code == 302 and response["Location"] == f"/learning/library/{doc.pk}/"
    doc.refresh_from_db()
    assert (doc.title, doc.topic, doc.summary) == ("关于民营经济发展的调研报告（修订）", "营商环境", "修订后的摘要")
    event = AuditEvent.objects.get(event="learning.document.update", object_id=str(doc.pk))
    assert event.before["title_length"] == len("关于民营经济发展的调研报告") and event.after["topic"] == "营商环境"
    assert "audience" not in event.after  # only what changed
    assert list(selectors.library(w.m1, query="修订后的摘要")) == [doc]  # indexed again
    assert list(selectors.library(w.m1, query="营商环境持续优化")) == [doc]  # with the text of its file
    # a new file is a new version from the same page; the same file as the latest is refused in Chinese
    revised = pdf_with("修订稿")
    new = client.post(f"/learning/library/{doc.pk}/", {"file": SimpleUploadedFile("v2.pdf", revised), "note": "修订"})
    assert new.status_code == 302
    same = client.post(f"/learning/library/{doc.pk}/", {"file": SimpleUploadedFile("v3.pdf", revised)})
    assert same.status_code == 400 and "与最新版本相同" in same.content.decode()
    discard_uncommitted()
    assert list(DocumentVersion.objects.filter(document=doc).values_list("number", flat=True)) == [2, 1]


@pytest.mark.req("S4-2.2.5")
def test_a_withdrawn_document_disappears_for_members_and_keeps_its_versions(client, w):
    doc = w.doc_members
    rl = services.create_reading_list(actor=w.manager, body=w.body, session="第五次会议", year=w.year)
    services.add_to_reading_list(actor=w.manager, reading_list=rl, document=doc)
    login(client, w.m1)
    assert doc.title in client.get("/learning/library/").content.decode()
    client.logout()
    login(client, w.manager)
    response = client.post(f"/learning/library/{doc.pk}/withdraw/", {"reason": "已有新文件替代"}, follow=True)
    assert "资料已撤回" in response.content.decode() and 'data-testid="withdrawn"' in response.content.decode()
    doc.refresh_from_db()
    assert doc.is_active is False
    event = AuditEvent.objects.get(event="learning.document.withdraw", object_id=str(doc.pk))
    assert event.after == {"active": False, "reason_length": 7, "versions": 1}  # the audit keeps no free text
    assert client.get(f"/learning/library/{doc.pk}/v1/download").status_code == 200  # the keepers keep it
    again = client.post(f"/learning/library/{doc.pk}/withdraw/", follow=True)
    assert again.status_code == 404  # withdrawn: nothing more to do from the pages
    assert client.get(f"/learning/library/{doc.pk}/edit/").status_code == 404
    with pytest.raises(Conflict):
        services.withdraw_document(actor=w.manager, document=doc)
    with pytest.raises(Conflict):
        services.add_version(actor=w.manager, document=doc, filename="v2.pdf", data=pdf_with("新版"))
    client.logout()
    login(client, w.m1)
    assert client.get(f"/learning/library/{doc.pk}/").status_code == 404
    assert client.get(f"/learning/library/{doc.pk}/v1/download").status_code == 404
    assert doc.title not in client.get("/learning/library/").content.decode()
    assert doc.title not in client.get("/learning/library/?q=营商环境").content.decode()
    assert doc.title not in client.get(f"/learning/reading-lists/{rl.pk}/").content.decode()
    assert client.get("/api/v1/learning/documents", {"q": "营商环境"}).json()["count"] == 0
    assert list(selectors.library(w.manager, query="营商环境")) == []  # out of the search index
    assert DocumentVersion.objects.filter(document=doc).count() == 1


@pytest.mark.req("S4-2.2.5")
def test_only_the_keepers_edit_and_withdraw_from_pages_and_api(client, w):
    doc = w.doc_all  # readable by everyone: the refusal is about keeping, not seeing
    for who in OUTSIDERS:
        client.logout()
        login(client, getattr(w, who))
        assert client.get(f"/learning/library/{doc.pk}/edit/").status_code == 404, who
        assert client.post(f"/learning/library/{doc.pk}/edit/", _form(w)).status_code == 404, who
        assert client.post(f"/learning/library/{doc.pk}/withdraw/").status_code == 404, who
        api = f"/api/v1/learning/documents/{doc.pk}"
        answer = client.put(api, _form(w), content_type="application/json")
        assert answer.status_code == 404 and answer.json()["code"] == "not_found", who
        assert client.post(f"{api}/withdraw", {}, content_type="application/json").status_code == 404, who
        upload = client.post(f"{api}/versions", {"file": SimpleUploadedFile("v.pdf", pdf_with("x"))})
        assert upload.status_code == 404, who
    doc.refresh_from_db()
    assert doc.is_active and doc.version_count == 1 and doc.title == "政府工作报告"


@pytest.mark.req("S4-2.2.5")
def test_the_api_edits_versions_and_withdraws_with_stable_codes(client, w):
    login(client, w.manager)
    api = f"/api/v1/learning/documents/{w.doc_all.pk}"
    wrong = client.put(api, _form(w, source="rumour", audience="everyone"), content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "source_invalid"
    assert "来源" in wrong.json()["message"] or wrong.json()["message"]
    edited = client.put(api, _form(w, title="政府工作报告（全文）", audience="everyone", source="government"),
                        content_type="application/json")  # fmt: skip
    assert edited.status_code == 200 and edited.json()["title"] == "政府工作报告（全文）"
    second = pdf_with("第二版")
    version = client.post(f"{api}/versions", {"file": SimpleUploadedFile("v2.pdf", second), "note": "二"})
    assert version.status_code == 201 and [f["number"] for f in version.json()["files"]] == [2, 1]
    same = client.post(f"{api}/versions", {"file": SimpleUploadedFile("v3.pdf", second)})
    assert same.status_code == 400 and same.json()["code"] == "same_file"
    not_pdf = client.post(f"{api}/versions", {"file": SimpleUploadedFile("v3.pdf", b"<html>")})
    assert not_pdf.status_code == 400 and not_pdf.json()["code"] == "bad_file_type"
    gone = client.post(f"{api}/withdraw", {"reason": "过期"}, content_type="application/json")
    assert gone.status_code == 200 and gone.json()["active"] is False
    twice = client.post(f"{api}/withdraw", {}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "already_withdrawn"
    discard_uncommitted()
    assert Document.objects.get(pk=w.doc_all.pk).version_count == 2
    client.logout()
    login(client, w.member_b2)
    assert client.get(api).status_code == 404
