"""The one checker of uploaded images, for every module (report photos, article images and covers).

- the real type is sniffed from the bytes (never trusted from the name or the browser);
- bytes are bounded by the caller's limit and pixels by `settings.LVZHI_UPLOAD_MAX_PIXELS`, read from the header
  *before* anything is decoded: a small file that claims 6300×6300 pixels is refused in milliseconds, not after
  seconds and hundreds of MB of decoding (a decompression bomb);
- the image is decoded and re-encoded: EXIF (GPS position, camera, owner), other metadata and anything appended
  after the image data (HTML, a ZIP) are dropped, so what is stored and served is only the picture.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed

IMAGE_FORMATS = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/webp": ("WEBP", "webp"),
    "image/gif": ("GIF", "gif"),
}
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
_WRONG_TYPE = "bad_file_type"


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mime: str
    ext: str
    width: int
    height: int


def max_pixels() -> int:
    return int(getattr(settings, "LVZHI_UPLOAD_MAX_PIXELS", 25_000_000))


def sniff_image(data: bytes, types=tuple(IMAGE_FORMATS)) -> str | None:
    """The MIME type of an accepted image format, from the bytes, or None."""
    import filetype

    kind = filetype.guess(data[:8192])
    return kind.mime if kind is not None and kind.mime in types else None


def header_size(data: bytes, fmt: str) -> tuple[int, int]:
    """Width and height from the image header (Pillow's `open` reads the header only, it decodes nothing)."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as probe:
        if probe.format != fmt:
            raise ValidationFailed(_("Only photos (JPEG, PNG or WebP) can be attached."), code=_WRONG_TYPE)
        return probe.size


def check_pixels(width: int, height: int) -> None:
    if width <= 0 or height <= 0 or width * height > max_pixels():
        raise ValidationFailed(
            _("The image has too many pixels (at most %(mp)s million).") % {"mp": max_pixels() // 1_000_000},
            code="image_too_large",
        )


def clean_image(data: bytes, *, max_bytes: int, types=PHOTO_TYPES) -> CleanImage:
    """A JPEG, PNG or WebP image checked and re-encoded without metadata or trailing data, or ValidationFailed."""
    from PIL import Image, ImageOps

    if not data:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    if len(data) > max_bytes:
        raise ValidationFailed(
            _("The file is too large: at most %(mb)s MB is allowed.") % {"mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )
    mime = sniff_image(data, types)
    if mime is None:
        raise ValidationFailed(_("Only photos (JPEG, PNG or WebP) can be attached."), code=_WRONG_TYPE)
    fmt, ext = IMAGE_FORMATS[mime]
    try:
        check_pixels(*header_size(data, fmt))  # before any decoding
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            options = {"quality": 88, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            if fmt == "GIF":
                options["save_all"] = True  # keep an animation's frames
            else:
                image = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            image.save(out, format=fmt, **options)  # no exif=, no info: metadata is not written
            width, height = image.size
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001  (any decoder error means a broken or forged file)
        raise ValidationFailed(_("The photo cannot be read; it may be damaged."), code="bad_image")
    return CleanImage(out.getvalue(), mime, ext, width, height)
