"""Uploads are streamed to storage, never read whole (S4-2.2.5, S4-2.2.6): the declared size is checked before a byte
is read, every chunk is counted against the limit (the stream stops at the first chunk past it) and hashed on its
way; the text of a PDF or Word file is extracted from the stored file; an oversized upload is refused in Chinese and
leaves no file; a streamed video is served by HTTP range requests."""

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.uploads import CHUNK_BYTES, discard_uncommitted
from lvzhi.learning import rules, selectors, services
from lvzhi.learning.models import Document, DocumentVersion, Lesson, Source
from lvzhi.testing import login

from .conftest import SAMPLE_VIDEO, docx_with


class Stream:
    """An upload of unknown size (a client that does not declare one): chunks are produced as they are asked for."""

    size = None

    def __init__(self, head: bytes, total: int):
        self.head, self.total, self.served = head, total, 0

    def chunks(self, chunk_size=CHUNK_BYTES):
        data = self.head
        while self.served < self.total:
            chunk = (data + b"\0" * chunk_size)[:chunk_size]
            data = b""
            self.served += len(chunk)
            yield chunk

    def read(self, *args):  # pragma: no cover - the proof: nothing reads the upload whole
        raise AssertionError("the upload was read whole")


def _files(root) -> set[str]:
    return {os.path.join(d, f) for d, _dirs, names in os.walk(root) for f in names}


@pytest.mark.req("S4-2.2.5")
def test_an_oversized_stream_stops_at_the_first_chunk_past_the_limit_and_leaves_no_file(w, monkeypatch, settings):
    monkeypatch.setattr(rules, "DOCUMENT_MAX_BYTES", 4 * CHUNK_BYTES)
    before = _files(settings.MEDIA_ROOT)
    stream = Stream(b"%PDF-1.4\n", total=1000 * CHUNK_BYTES)  # 64 MB, were it read
    with pytest.raises(ValidationFailed) as exc:
        services.add_version(actor=w.manager, document=w.doc_all, filename="big.pdf", data=stream)
    assert exc.value.code == "file_too_large" and "文件过大" in str(exc.value.message)
    assert stream.served == 5 * CHUNK_BYTES  # the fifth chunk passed the limit; the rest was never asked for
    discard_uncommitted()
    assert _files(settings.MEDIA_ROOT) == before  # the partial file was removed
    assert DocumentVersion.objects.filter(document=w.doc_all).count() == 1


@pytest.mark.req("S4-2.2.5")
def test_the_page_refuses_an_oversized_upload_in_chinese_without_reading_it(client, w, monkeypatch, settings):
    monkeypatch.setattr(rules, "DOCUMENT_MAX_BYTES", 1024 * 1024)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django spools the request body to a temporary file
    reads = []

    def read(self, *args):
        reads.append(args)
        return self.file.read(*args)

    monkeypatch.setattr(TemporaryUploadedFile, "read", read, raising=False)
    login(client, w.manager)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * (1100 * 1024))
    response = client.post(f"/learning/library/{w.doc_all.pk}/", {"file": big, "note": "太大"})
    assert response.status_code == 400 and "文件过大：最多允许 1 MB" in response.content.decode()
    assert reads == []  # refused by its declared size: not a byte of it was read by the service
    assert DocumentVersion.objects.filter(document=w.doc_all).count() == 1


@pytest.mark.req("S4-2.2.5")
def test_a_word_file_is_streamed_hashed_and_its_text_extracted_from_storage(client, w, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # a temporary file on disk, read in chunks
    data = docx_with("关于加强社区养老服务的建议", "推进嵌入式养老机构建设")
    login(client, w.manager)
    response = client.post(
        "/learning/library/new/",
        {"body": w.body.pk, "title": "养老服务参考资料", "source": Source.REFERENCE, "year": w.year,
         "audience": "body", "file": SimpleUploadedFile("养老.docx", data)},
    )  # fmt: skip
    assert response.status_code == 302
    doc = Document.objects.get(title="养老服务参考资料")
    version = doc.versions.get()
    assert version.sha256 == hashlib.sha256(data).hexdigest() and version.size == len(data)
    assert version.filename == "养老.docx" and version.mime.endswith("wordprocessingml.document")
    assert version.text_length > 0
    assert list(selectors.library(w.m1, query="嵌入式养老")) == [doc]


@pytest.mark.req("S4-2.2.5")
def test_a_zip_that_is_no_word_file_is_refused_once_stored_and_removed(w, settings):
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("evil.txt", "not a document")
    before = _files(settings.MEDIA_ROOT)
    with pytest.raises(ValidationFailed) as exc:
        services.add_version(actor=w.manager, document=w.doc_all, filename="x.docx", data=out.getvalue())
    assert exc.value.code == "bad_file_type"
    discard_uncommitted()
    assert _files(settings.MEDIA_ROOT) == before


@pytest.mark.req("S4-2.2.6")
def test_a_video_uploaded_by_the_page_is_streamed_hashed_and_served_by_range(client, w, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    data = SAMPLE_VIDEO.read_bytes()
    login(client, w.manager)
    response = client.post(
        f"/learning/office/courses/{w.course.pk}/lessons/new/",
        {"title": "第三课 视频", "text": "", "pass_mark": 60, "max_attempts": 3,
         "video": SimpleUploadedFile("第三课.webm", data)},
    )  # fmt: skip
    assert response.status_code == 302
    lesson = Lesson.objects.get(title="第三课 视频")
    assert (lesson.video_mime, lesson.video_size) == ("video/webm", len(data))
    assert lesson.video_sha256 == hashlib.sha256(data).hexdigest()
    client.logout()
    login(client, w.m1)
    part = client.get(f"/learning/lessons/{lesson.pk}/video", HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part.content == data[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"


@pytest.mark.req("S4-2.2.6")
def test_an_oversized_video_stream_is_refused_chunk_by_chunk(w, monkeypatch):
    monkeypatch.setattr(rules, "VIDEO_MAX_BYTES", 2 * CHUNK_BYTES)
    stream = Stream(SAMPLE_VIDEO.read_bytes()[:4096], total=10_000 * CHUNK_BYTES)
    with pytest.raises(ValidationFailed) as exc:
        services.add_lesson(actor=w.manager, course=w.course, title="太长的视频", video=("v.webm", stream))
    assert exc.value.code == "file_too_large" and stream.served == 3 * CHUNK_BYTES
    assert not Lesson.objects.filter(title="太长的视频").exists()
