"""Lesson videos served by the platform with HTTP range requests (S4-2.2.6): 206 with Content-Range, bounded,
416 outside the file, 404 for those who may not see the course; uploads sniffed and bounded; the lesson page's
player and heartbeat script come from our own static files (no inline script)."""

import pytest

from lvzhi.core.errors import ValidationFailed
from lvzhi.learning import rules, services, transcode
from lvzhi.learning.models import Lesson
from lvzhi.testing import login

from .conftest import SAMPLE_VIDEO


@pytest.mark.req("S4-2.2.6")
def test_a_video_is_served_by_range_request(client, w, settings):
    size = len(SAMPLE_VIDEO.read_bytes())
    login(client, w.m1)
    url = f"/learning/lessons/{w.video_lesson.pk}/video"
    part = client.get(url, HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 0-99/{size}"
    assert part["Content-Length"] == "100" and part.content == SAMPLE_VIDEO.read_bytes()[:100]
    assert part["Accept-Ranges"] == "bytes" and part["Content-Type"] == "video/webm"
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail.content == SAMPLE_VIDEO.read_bytes()[-10:]
    open_end = client.get(url, HTTP_RANGE="bytes=100-")
    assert open_end["Content-Range"] == f"bytes 100-{size - 1}/{size}"
    outside = client.get(url, HTTP_RANGE=f"bytes={size}-")
    assert outside.status_code == 416 and outside["Content-Range"] == f"bytes */{size}"
    assert client.get(url, HTTP_RANGE="bytes=0-1,5-6").status_code == 416
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == SAMPLE_VIDEO.read_bytes()
    client.logout()
    login(client, w.member_b2)
    assert client.get(url, HTTP_RANGE="bytes=0-99").status_code == 404


@pytest.mark.req("S4-2.2.6")
def test_a_range_answer_is_bounded(client, w, monkeypatch):
    monkeypatch.setattr(rules, "RANGE_CHUNK_MAX", 1000)
    login(client, w.m1)
    part = client.get(f"/learning/lessons/{w.video_lesson.pk}/video", HTTP_RANGE="bytes=0-")
    assert part.status_code == 206 and len(part.content) == 1000
    assert part["Content-Range"].startswith("bytes 0-999/")


@pytest.mark.req("S4-2.2.6")
@pytest.mark.parametrize("data, code", [(b"%PDF-1.4 not a video", "bad_file_type"), (b"", "lesson_empty")])
def test_bad_video_uploads_are_refused(w, data, code):
    with pytest.raises(ValidationFailed) as exc:
        services.add_lesson(actor=w.manager, course=w.course, title="坏视频", video=("x.mp4", data))
    assert exc.value.code == code


@pytest.mark.req("S4-2.2.6")
def test_transcoding_is_skipped_cleanly_without_ffmpeg(w, monkeypatch):
    monkeypatch.setattr(transcode, "ffmpeg", lambda: None)
    assert transcode.run(w.video_lesson.pk) == Lesson.Transcode.SKIPPED
    w.video_lesson.refresh_from_db()
    assert w.video_lesson.transcode == "skipped" and w.video_lesson.video_size == len(SAMPLE_VIDEO.read_bytes())


@pytest.mark.req("S4-2.2.6")
def test_the_lesson_page_uses_our_own_player_script_and_no_inline_script(client, w):
    login(client, w.m1)
    page = client.get(f"/learning/lessons/{w.video_lesson.pk}/").content.decode()
    assert '<video controls preload="metadata"' in page
    assert "/static/learning/study.js" in page
    assert "<script>" not in page and "http://" not in page.split("<body", 1)[1].replace("http://www.w3.org", "")
