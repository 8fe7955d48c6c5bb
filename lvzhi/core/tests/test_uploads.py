"""Findings 5 and 10: one upload checker — a pixel bomb is refused from its header without decoding, and images are
re-encoded so that EXIF GPS and appended HTML never reach the disk."""

import io
import time

import pytest
from PIL import Image, ImageFile

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.uploads import clean_image

MB = 1024 * 1024


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (6300, 6300)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _jpeg_with_gps_and_html() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 17.0)}  # GPS IFD
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue() + b"<html><script>alert(1)</script></html>"


@pytest.mark.req("S2-34", "S2-21")
def test_a_6300_by_6300_png_is_refused_fast_without_decoding(monkeypatch):
    data = _bomb()
    assert len(data) < 200 * 1024
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("the image was decoded"))
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as refused:
        clean_image(data, max_bytes=5 * MB)
    assert time.perf_counter() - started < 0.25
    assert refused.value.code == "image_too_large"


@pytest.mark.req("S2-34", "S2-21")
def test_exif_gps_and_appended_html_are_dropped():
    data = _jpeg_with_gps_and_html()
    with Image.open(io.BytesIO(data)) as before:
        assert before.getexif().get_ifd(0x8825)
    clean = clean_image(data, max_bytes=5 * MB)
    assert clean.mime == "image/jpeg" and (clean.width, clean.height) == (64, 48)
    assert b"<html" not in clean.data and b"PhoneMaker" not in clean.data
    with Image.open(io.BytesIO(clean.data)) as after:
        assert not after.getexif().get_ifd(0x8825) and not after.getexif()


@pytest.mark.req("S2-34", "S2-21")
def test_a_file_that_is_not_an_image_or_too_big_is_refused():
    with pytest.raises(ValidationFailed) as html:
        clean_image(b"<html>" + b"x" * 100, max_bytes=5 * MB)
    assert html.value.code == "bad_file_type"
    with pytest.raises(ValidationFailed) as big:
        clean_image(_jpeg_with_gps_and_html(), max_bytes=100)
    assert big.value.code == "file_too_large"


def _hang(data, fmt):
    time.sleep(30)


def _swell(data, fmt):
    hog = bytearray(1024 * MB)  # beyond the worker's ceiling: the allocation itself fails
    return bytes(hog[:1]), 1, 1


@pytest.mark.req("S2-34")
def test_decoding_runs_in_a_worker_killed_when_it_overruns_its_time(monkeypatch, settings):
    """Finding 10: a decoder path that never ends costs one killed worker and a clear refusal, not the app server."""
    from lvzhi.core import uploads

    settings.LVZHI_IMAGE_WORKER_SECONDS = 1
    monkeypatch.setattr(uploads, "_reencode", _hang)  # the forked worker runs this module's function as patched
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as refused:
        clean_image(_jpeg_with_gps_and_html(), max_bytes=5 * MB)
    assert refused.value.code == "bad_image" and time.perf_counter() - started < 5


@pytest.mark.req("S2-34")
def test_decoding_is_held_to_a_memory_ceiling(monkeypatch, settings):
    from lvzhi.core import uploads

    settings.LVZHI_IMAGE_WORKER_MB = 64
    monkeypatch.setattr(uploads, "_reencode", _swell)
    with pytest.raises(ValidationFailed) as refused:
        clean_image(_jpeg_with_gps_and_html(), max_bytes=5 * MB)
    assert refused.value.code == "bad_image"
    monkeypatch.setattr(uploads, "_reencode", lambda data, fmt: (b"fine", 7, 9))
    assert clean_image(_jpeg_with_gps_and_html(), max_bytes=5 * MB).width == 7  # the worker's answer is used
