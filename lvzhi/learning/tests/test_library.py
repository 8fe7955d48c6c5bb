"""The information resources library (S4-2.2.5): access by role and body (invisible = 404), versions, full-text
search inside uploaded PDF and Word files, reading lists, bad uploads refused."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.uploads import discard_uncommitted
from lvzhi.learning import selectors, services
from lvzhi.learning.models import Audience, Document, DocumentVersion, Source
from lvzhi.testing import login

from .conftest import docx_with, pdf_with


@pytest.mark.req("S4-2.2.5")
@pytest.mark.parametrize(
    "who, status",
    [("m1", 200), ("m2", 200), ("manager", 200), ("member_b2", 404), ("deputy_b2", 404), ("other_staff", 404),
     ("econ_staff", 404), ("sysadmin", 404)],
)  # fmt: skip
def test_a_members_only_document_is_visible_only_to_the_bodys_members_and_deputies(client, w, who, status):
    """econ_staff works in the body but is no member and keeps no library: a members-only document is not theirs;
    the library's keepers (the liaison office here) see every document of their body."""
    login(client, getattr(w, who))
    response = client.get(f"/learning/library/{w.doc_members.pk}/")
    assert response.status_code == status
    download = client.get(f"/learning/library/{w.doc_members.pk}/v1/download")
    assert download.status_code == status
    listed = client.get("/learning/library/")
    assert (w.doc_members.title in listed.content.decode()) is (status == 200)
    # the document for everyone is seen by every business user, whatever the body
    if who != "sysadmin":
        assert client.get(f"/learning/library/{w.doc_all.pk}/").status_code == 200


@pytest.mark.req("S4-2.2.5")
def test_search_finds_a_phrase_inside_an_uploaded_pdf_and_word_file(w):
    found = selectors.library(w.m1, query="营商环境")
    assert list(found) == [w.doc_members]
    assert list(selectors.library(w.member_b2, query="营商环境")) == []  # members-only: not for another body
    word = services.add_document(
        actor=w.manager,
        body=w.body,
        title="工作信息第3期",
        source=Source.WORK_INFO,
        year=w.year,
        audience=Audience.BODY,
        filename="信息.docx",
        data=docx_with("本期要点", "乡村振兴示范村建设进展顺利"),
    )
    assert list(selectors.library(w.m2, query="示范村建设")) == [word]
    assert list(selectors.library(w.m2, query="不存在的短语组合")) == []


@pytest.mark.req("S4-2.2.5")
def test_a_new_version_keeps_the_old_and_is_indexed(client, w):
    services.add_version(
        actor=w.manager, document=w.doc_all, filename="v2.pdf", data=pdf_with("修订稿 新增生态保护章节"), note="修订"
    )
    assert list(DocumentVersion.objects.filter(document=w.doc_all).values_list("number", flat=True)) == [2, 1]
    assert list(selectors.library(w.m1, query="生态保护")) == [w.doc_all]
    login(client, w.member_b2)
    old = client.get(f"/learning/library/{w.doc_all.pk}/v1/download")
    assert old.status_code == 200 and old["Content-Type"] == "application/pdf"
    assert b"".join(old.streaming_content).startswith(b"%PDF-")
    assert AuditEvent.objects.filter(event="learning.document.version", object_id=str(w.doc_all.pk)).count() == 1


@pytest.mark.req("S4-2.2.5")
@pytest.mark.parametrize(
    "data, code",
    [(b"", "empty_file"), (b"<html><script>alert(1)</script></html>", "bad_file_type"),
     (b"MZ\x90\x00" + b"\x00" * 100, "bad_file_type"), (b"%PDF-" + b"x" * (20 * 1024 * 1024), "file_too_large")],
)  # fmt: skip
def test_bad_uploads_are_refused_and_nothing_is_written(w, data, code):
    before = (Document.objects.count(), DocumentVersion.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        services.add_document(
            actor=w.manager,
            body=w.body,
            title="坏文件",
            source=Source.REFERENCE,
            year=w.year,
            filename="x.pdf",
            data=data,
        )
    assert exc.value.code == code
    assert (Document.objects.count(), DocumentVersion.objects.count()) == before


@pytest.mark.req("S4-2.2.5")
def test_only_the_bodys_staff_add_documents_and_the_form_shows_a_chinese_error(client, w):
    with pytest.raises(NotFound):
        services.add_document(
            actor=w.m1,
            body=w.body,
            title="x",
            source=Source.REFERENCE,
            year=w.year,
            filename="a.pdf",
            data=pdf_with("x"),
        )
    with pytest.raises(NotFound):
        services.add_version(actor=w.other_staff, document=w.doc_all, filename="a.pdf", data=pdf_with("x"))
    login(client, w.manager)
    response = client.post(
        "/learning/library/new/",
        {"body": w.body.pk, "title": "坏", "source": "reference", "year": w.year, "audience": "body",
         "file": _upload("a.pdf", b"not a pdf")},
    )  # fmt: skip
    assert response.status_code == 400
    assert "只能上传 PDF 或 Word" in response.content.decode()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.mark.req("S4-2.2.5")
def test_a_reading_list_per_session_shows_only_what_the_reader_may_see(client, w):
    rl = services.create_reading_list(actor=w.manager, body=w.body, session="政协第十四届五次会议", year=w.year)
    services.add_to_reading_list(actor=w.manager, reading_list=rl, document=w.doc_all)
    services.add_to_reading_list(actor=w.manager, reading_list=rl, document=w.doc_members)
    login(client, w.m1)
    page = client.get(f"/learning/reading-lists/{rl.pk}/").content.decode()
    assert w.doc_all.title in page and w.doc_members.title in page
    client.logout()
    login(client, w.member_b2)
    assert client.get(f"/learning/reading-lists/{rl.pk}/").status_code == 404


@pytest.mark.req("S4-2.2.5")
def test_the_library_list_has_a_bounded_number_of_queries(client, w, django_assert_max_num_queries):
    login(client, w.m1)
    for url in ("/learning/library/", "/learning/library/?q=资料"):
        client.get(url)
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
    for n in range(8):
        services.add_document(actor=w.manager, body=w.body, title=f"参考资料{n}", source=Source.REFERENCE,
                              year=w.year, topic=f"专题{n}", filename="r.pdf", data=pdf_with(f"资料{n}"))  # fmt: skip
    discard_uncommitted()  # outside a request: the uploads' bookkeeping is settled here, not by the next request
    for url in ("/learning/library/", "/learning/library/?q=资料"):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
