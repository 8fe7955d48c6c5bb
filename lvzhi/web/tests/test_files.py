"""Finding 5 and residual information (等保 level 3): uploaded files leave the disk when the transaction that stored
them rolls back and when their record is deleted or removed; attachments are served only by views that check the
reader may see the owning item (the same 404 as a missing file otherwise), always as downloads
(`Content-Disposition: attachment` with an RFC 5987 `filename*`) with `nosniff`; nothing is served from MEDIA_URL."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from lvzhi.content import services as content
from lvzhi.content.models import Article
from lvzhi.content.models import Attachment as ContentFile
from lvzhi.content.tests.conftest import approve, build_body, draft
from lvzhi.core import uploads
from lvzhi.opinions import services as opinions
from lvzhi.opinions.models import Attachment as Photo
from lvzhi.opinions.tests.conftest import HOTLINE_TEXT, build_world
from lvzhi.opinions.tests.test_bad_input import jpeg
from lvzhi.testing import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class Boom(Exception):
    pass


def files_under(folder: str) -> set[str]:
    """Every file below `folder` of the media storage (folders the storage made on the way are not files)."""
    if not default_storage.exists(folder):
        return set()
    folders, files = default_storage.listdir(folder)
    found = {f"{folder}/{name}" for name in files}
    for sub in folders:
        found |= files_under(f"{folder}/{sub}")
    return found


def on_disk(name) -> bool:
    return bool(name) and default_storage.exists(name)


@pytest.mark.req("S2-34", "S4-2.4")
@pytest.mark.django_db
def test_a_file_stored_by_a_transaction_that_rolls_back_is_removed_and_a_committed_one_stays():
    world = build_body()
    article = draft(world)
    stored = []
    with pytest.raises(Boom), transaction.atomic():
        stored.append(content.add_attachment(actor=world.author, article=article, name="议程.pdf", data=PDF))
        assert on_disk(stored[0].file.name)
        raise Boom
    assert uploads.discard_uncommitted() == 1  # what the middleware does when the request ends
    assert not on_disk(stored[0].file.name) and not ContentFile.objects.exists()

    kept = content.add_attachment(
        actor=world.author, article=Article.objects.get(pk=article.pk), name="a.pdf", data=PDF
    )
    assert uploads.discard_uncommitted() == 0  # its row exists: kept
    assert on_disk(kept.file.name)

    w = build_world()
    report = opinions.create_report(actor=w.member, title="路面塌陷", content=HOTLINE_TEXT, category="sudden_problem")
    with pytest.raises(Boom), transaction.atomic():
        photo = opinions.add_attachment(
            actor=w.member, report=report, upload=SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")
        )
        raise Boom
    assert uploads.discard_uncommitted() == 1
    assert not on_disk(photo.file.name) and not Photo.objects.exists()


@pytest.mark.req("S2-34", "S4-2.4")
@pytest.mark.django_db(transaction=True)
def test_a_request_that_fails_after_storing_the_file_leaves_no_file(client, monkeypatch):
    w = build_world()
    report = opinions.create_report(actor=w.member, title="路面塌陷", content=HOTLINE_TEXT, category="sudden_problem")
    before = files_under("opinions")
    names = []
    real_store = uploads.store_file

    def store_then_fail(fieldfile, name, data):
        names.append(real_store(fieldfile, name, data))
        raise Boom  # the service's transaction rolls back after the bytes were written

    monkeypatch.setattr("lvzhi.opinions.services.attachments.store_file", store_then_fail)
    login(client, w.member)
    client.raise_request_exception = False
    response = client.post(f"/api/v1/opinions/{report.pk}/attachments", {"file": SimpleUploadedFile("a.jpg", jpeg())})
    assert response.status_code == 500 and names
    assert not on_disk(names[0]) and not Photo.objects.exists()
    after = files_under("opinions")
    assert after == before


@pytest.mark.req("S2-34", "S4-2.4")
@pytest.mark.django_db
def test_removed_and_deleted_attachments_leave_the_disk(django_capture_on_commit_callbacks):
    world = build_body()
    article = draft(world)
    attached = content.add_attachment(actor=world.author, article=article, name="议程.pdf", data=PDF)
    with django_capture_on_commit_callbacks(execute=True):
        content.remove_attachment(actor=world.author, attachment=attached)
    attached.refresh_from_db()
    assert attached.removed_at is not None  # the row stays for the record
    assert not on_disk(attached.file.name)  # the bytes do not

    w = build_world()
    report = opinions.create_report(actor=w.member, title="路面塌陷", content=HOTLINE_TEXT, category="sudden_problem")
    photos = [
        opinions.add_attachment(actor=w.member, report=report, upload=SimpleUploadedFile(f"{i}.jpg", jpeg()))
        for i in range(2)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        opinions.remove_attachment(actor=w.member, attachment=photos[0])
    assert not on_disk(photos[0].file.name) and on_disk(photos[1].file.name)
    with django_capture_on_commit_callbacks(execute=True):
        opinions.discard_draft(actor=w.member, report=report)
    assert not on_disk(photos[1].file.name)


def _download_headers(response, name):
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + name in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.req("S2-34", "S4-2.4")
@pytest.mark.django_db
def test_attachments_are_downloads_with_nosniff_from_authorised_views_only(client, settings):
    world = build_body()
    article = draft(world)
    image = content.add_attachment(actor=world.author, article=article, name="封面.png", data=_png())
    doc = content.add_attachment(actor=world.author, article=article, name="议程.pdf", data=PDF)
    login(client, world.author)
    _download_headers(client.get(f"/content/files/{image.pk}/"), "%E5%B0%81%E9%9D%A2.png")
    _download_headers(client.get(f"/content/files/{doc.pk}/"), "%E8%AE%AE%E7%A8%8B.pdf")
    client.logout()
    login(client, world.member)  # the draft is not theirs: the same answer as a file that does not exist
    assert client.get(f"/content/files/{doc.pk}/").status_code == 404
    assert client.get("/content/files/999999/").status_code == 404
    # Published: the reader gets it, as a download too.
    article = content.submit(actor=world.author, article=Article.objects.get(pk=article.pk))
    article = approve(world, approve(world, article, world.reviewer), world.head)
    content.publish(actor=world.publisher, article=article)
    _download_headers(client.get(f"/content/files/{doc.pk}/"), "%E8%AE%AE%E7%A8%8B.pdf")
    # Nothing under MEDIA_URL is served.
    assert client.get(settings.MEDIA_URL + doc.file.name).status_code == 404

    w = build_world()
    report = opinions.create_report(actor=w.member, title="路面塌陷", content=HOTLINE_TEXT, category="sudden_problem")
    photo = opinions.add_attachment(actor=w.member, report=report, upload=SimpleUploadedFile("现场.jpg", jpeg()))
    login(client, w.member)
    _download_headers(client.get(f"/opinions/{report.pk}/photos/{photo.pk}/"), "%E7%8E%B0%E5%9C%BA.jpg")
    _download_headers(client.get(f"/api/v1/opinions/{report.pk}/attachments/{photo.pk}"), "%E7%8E%B0%E5%9C%BA.jpg")
    client.logout()
    login(client, w.other_member)
    assert client.get(f"/opinions/{report.pk}/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/opinions/{report.pk}/photos/{photo.pk + 1000}/").status_code == 404
    assert client.get(settings.MEDIA_URL + photo.file.name).status_code == 404


@pytest.mark.req("S2-34")
def test_the_download_name_is_rfc_5987_and_cannot_break_the_header():
    header = uploads.content_disposition('议程"; filename=evil.html\r\n.pdf')
    assert header.startswith("attachment; filename=\"file.pdf\"; filename*=UTF-8''")
    assert "\r" not in header and "\n" not in header and 'evil.html"' not in header
    assert uploads.content_disposition("report.xlsx") == (
        "attachment; filename=\"report.xlsx\"; filename*=UTF-8''report.xlsx"
    )


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()
