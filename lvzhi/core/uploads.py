"""The one checker of uploaded images, for every module (report photos, article images and covers).

- the real type is sniffed from the bytes (never trusted from the name or the browser);
- bytes are bounded by the caller's limit and pixels by `settings.LVZHI_UPLOAD_MAX_PIXELS`, read from the header
  *before* anything is decoded: a small file that claims 6300×6300 pixels is refused in milliseconds, not after
  seconds and hundreds of MB of decoding (a decompression bomb);
- the image is decoded and re-encoded: EXIF (GPS position, camera, owner), other metadata and anything appended
  after the image data (HTML, a ZIP) are dropped, so what is stored and served is only the picture;
- the decoding runs in a bounded worker: a forked child process with an address-space ceiling
  (`LVZHI_IMAGE_WORKER_MB` above the parent's size) and a time limit (`LVZHI_IMAGE_WORKER_SECONDS`), killed when it
  overruns, so a file that gets past the header check and still explodes (a crafted decoder path) costs one child,
  never the app server. Where fork is unavailable (or `LVZHI_IMAGE_WORKER=0`), it decodes in-process.

Documents and videos (`store_document`, `store_video`, through `store_upload`) are streamed to storage, never read
whole: the declared size is checked before reading, the type sniffed from the first chunk, every 64 KB chunk counted
against the limit (the stream stops at the first chunk past it; the partial file is removed) and hashed (SHA-256).

Storing and removing files (residual information, 等保 level 3):
- `store_file(fieldfile, name, data)` writes the bytes and remembers the file until its transaction commits. If
  the transaction (or the savepoint) rolls back, no row refers to the file any more and `discard_uncommitted()`
  removes it: `UploadCleanupMiddleware` calls it when each request ends; code outside a request (tasks, commands,
  tests) calls it after its transaction.
- `delete_on_commit(fieldfile)` removes a file once the deletion of its row (or its removal) commits.

Serving files: `file_response(fieldfile, filename=, content_type=)`, only from a view that has checked the user may
see the owning item (answering NotFound otherwise): `Content-Disposition: attachment` with an RFC 5987
`filename*`, `X-Content-Type-Options: nosniff`, a sandboxing CSP and no shared caching. Nothing under MEDIA_ROOT is
served directly (no MEDIA_URL route; nginx answers 404 for /media/).
"""

import hashlib
import io
import logging
import multiprocessing
import secrets
import urllib.parse
import zipfile
from contextvars import ContextVar
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import FileResponse
from django.utils.translation import gettext as _
from PIL import Image

from lvzhi.core.errors import NotFound, ValidationFailed

logger = logging.getLogger("lvzhi.uploads")

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

    kind = filetype.guess(data[:8192])
    return kind.mime if kind is not None and kind.mime in types else None


def header_size(data: bytes, fmt: str) -> tuple[int, int]:
    """Width and height from the image header (Pillow's `open` reads the header only, it decodes nothing)."""

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
    if not data:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    mime = sniff_image(data, types)
    if mime is None:
        raise ValidationFailed(_("Only photos (JPEG, PNG or WebP) can be attached."), code=_WRONG_TYPE)
    fmt, ext = IMAGE_FORMATS[mime]
    try:
        check_pixels(*header_size(data, fmt))  # before any decoding
        out, width, height = _decode_bounded(data, fmt)
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001  (any decoder error, overrun or killed worker means a broken or forged file)
        raise ValidationFailed(_("The photo cannot be read; it may be damaged."), code="bad_image")
    return CleanImage(out, mime, ext, width, height)


def _reencode(data: bytes, fmt: str) -> tuple[bytes, int, int]:
    """Decode and re-encode without metadata: (bytes, width, height). Runs inside the bounded worker."""
    from PIL import Image, ImageOps  # in the worker only: the web process need not load the decoders

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
        return out.getvalue(), image.size[0], image.size[1]


def _address_space_now() -> int | None:
    try:
        with open("/proc/self/statm") as statm:
            import resource  # a cycle-free standard module, absent on some platforms

            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ImportError, ValueError):
        return None


def _worker(conn, data: bytes, fmt: str, budget: int) -> None:
    try:
        now = _address_space_now()
        if now is not None:
            import resource  # a cycle-free standard module, absent on some platforms

            ceiling = now + budget
            resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        conn.send(("ok", _reencode(data, fmt)))
    except BaseException as exc:  # noqa: BLE001  (whatever happens, the parent gets an answer or a dead child)
        conn.send(("error", type(exc).__name__))
    finally:
        conn.close()


def _decode_bounded(data: bytes, fmt: str) -> tuple[bytes, int, int]:
    if not getattr(settings, "LVZHI_IMAGE_WORKER", True) or "fork" not in multiprocessing.get_all_start_methods():
        return _reencode(data, fmt)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    budget = getattr(settings, "LVZHI_IMAGE_WORKER_MB", 256) * 1024 * 1024
    child = ctx.Process(target=_worker, args=(send, data, fmt, budget), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(getattr(settings, "LVZHI_IMAGE_WORKER_SECONDS", 10)):
            logger.warning("image decoding overran its time limit; worker killed")
            raise TimeoutError("image decoding overran")
        status, payload = receive.recv()
    except EOFError:
        raise RuntimeError("the image worker died") from None
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if status != "ok":
        raise RuntimeError(f"image worker: {payload}")
    return payload


# --- documents and videos (not re-encoded: sniffed, bounded and hashed while streamed to storage) -----------------

DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
CHUNK_BYTES = 64 * 1024
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class StoredUpload:
    name: str  # the stored name (the file field now refers to it)
    mime: str
    ext: str
    size: int
    sha256: str


def too_large(max_bytes: int) -> ValidationFailed:
    """The refusal of a file past `max_bytes` (for a caller that checks an upload's declared size itself)."""
    return ValidationFailed(
        _("The file is too large: at most %(mb)s MB is allowed.") % {"mb": max_bytes // (1024 * 1024)},
        code="file_too_large",
    )


def _chunks(source):
    """The chunks of bytes or of an uploaded file (`chunks()`, as Django's upload handlers spooled it)."""
    if isinstance(source, bytes | bytearray | memoryview):
        view = memoryview(source)
        return (bytes(view[i : i + CHUNK_BYTES]) for i in range(0, len(view), CHUNK_BYTES))
    return source.chunks(CHUNK_BYTES)


class _Metered(File):
    """The chunks of an upload as a Django File for `Storage.save`: each chunk is counted and hashed as it passes,
    and the stream stops with `file_too_large` at the first chunk past the limit (the rest is never read)."""

    def __init__(self, head: list[bytes], rest, max_bytes: int):
        super().__init__(None, name="upload")
        self._head, self._rest, self._max = head, rest, max_bytes
        self.digest = hashlib.sha256()
        self.counted = 0
        for chunk in head:
            self._count(chunk)

    def _count(self, chunk: bytes) -> None:
        self.counted += len(chunk)
        if self.counted > self._max:
            raise too_large(self._max)
        self.digest.update(chunk)

    def chunks(self, chunk_size=None):
        yield from self._head
        for chunk in self._rest:
            self._count(chunk)
            yield chunk

    def __iter__(self):
        return self.chunks()


def _head(chunks, max_bytes: int) -> list[bytes]:
    head, size = [], 0
    for chunk in chunks:
        head.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise too_large(max_bytes)
        if size >= SNIFF_BYTES:
            break
    return head


def _kind(head: bytes, types: dict) -> tuple[str, str] | None:
    if "application/pdf" in types and head.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if DOCUMENT_TYPES.keys() & types.keys() and head.startswith(b"PK\x03\x04"):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"  # checked once stored
    kind = filetype.guess(head)
    if kind is not None and kind.mime in types:
        return kind.mime, types[kind.mime]
    return None


def _is_docx(fieldfile) -> bool:
    """A Word document: a ZIP whose entries include word/document.xml (read from the stored file's directory)."""
    try:
        with fieldfile.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    finally:
        fieldfile.close()
    return "word/document.xml" in names and "[Content_Types].xml" in names


def store_upload(fieldfile, source, *, types: dict, max_bytes: int, wrong_type: str) -> StoredUpload:
    """Stream an upload (bytes, or an uploaded file read chunk by chunk) to the storage of `fieldfile`: its declared
    size is checked before anything is read, its type sniffed from the first chunk, every chunk counted against
    `max_bytes` (the stream stops at the first chunk past it) and hashed (SHA-256) on its way. Nothing is ever held
    whole in memory; a refused or broken stream leaves no file. Like `store_file`, the file is removed again if the
    transaction that stores its row rolls back."""
    declared = getattr(source, "size", None)
    if declared is not None and declared > max_bytes:
        raise too_large(max_bytes)
    chunks = iter(_chunks(source))
    head = _head(chunks, max_bytes)
    first = b"".join(head)
    if not first:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    kind = _kind(first[:SNIFF_BYTES], types)
    if kind is None:
        raise ValidationFailed(wrong_type, code=_WRONG_TYPE)
    mime, ext = kind
    metered = _Metered(head, chunks, max_bytes)
    target = fieldfile.field.generate_filename(fieldfile.instance, f"{secrets.token_hex(8)}.{ext}")
    try:
        fieldfile.name = fieldfile.storage.save(target, metered, max_length=fieldfile.field.max_length)
    except BaseException:
        if fieldfile.storage.exists(target):  # a random name: the partial file of this stream
            fieldfile.storage.delete(target)
        raise
    setattr(fieldfile.instance, fieldfile.field.attname, fieldfile.name)
    fieldfile._committed = True
    _remember(fieldfile)
    if ext == "docx" and not _is_docx(fieldfile):
        fieldfile.storage.delete(fieldfile.name)
        raise ValidationFailed(wrong_type, code=_WRONG_TYPE)
    return StoredUpload(fieldfile.name, mime, ext, metered.counted, metered.digest.hexdigest())


def store_document(fieldfile, source, *, max_bytes: int) -> StoredUpload:
    """A PDF (by `%PDF-`) or Word .docx (a ZIP holding word/document.xml) streamed to storage (`store_upload`)."""
    wrong = _("Only PDF or Word (.docx) documents can be uploaded.")
    return store_upload(fieldfile, source, types=DOCUMENT_TYPES, max_bytes=max_bytes, wrong_type=wrong)


def store_video(fieldfile, source, *, max_bytes: int) -> StoredUpload:
    """An MP4 or WebM video (sniffed) streamed to storage (`store_upload`)."""
    wrong = _("Only MP4 or WebM videos can be uploaded.")
    return store_upload(fieldfile, source, types=VIDEO_TYPES, max_bytes=max_bytes, wrong_type=wrong)


# --- storing and removing files -----------------------------------------------------------------------------------

# (model, field name, storage, file name) of the files stored by transactions that have not committed yet.
_uncommitted: ContextVar[tuple] = ContextVar("lvzhi_uncommitted_uploads", default=())


def _entry(fieldfile):
    return (type(fieldfile.instance), fieldfile.field.name, fieldfile.storage, fieldfile.name)


def store_file(fieldfile, name: str, data: bytes) -> str:
    """Write `data` for the file field `fieldfile` (the storage picks a unique name from `name`); the file is removed
    again if the transaction that stores its row rolls back. Returns the stored name."""
    fieldfile.save(name, ContentFile(data), save=False)
    _remember(fieldfile)
    return fieldfile.name


def _remember(fieldfile) -> None:
    """Remove the stored file again if the transaction that stores its row rolls back (see the module)."""
    entry = _entry(fieldfile)
    _uncommitted.set((*_uncommitted.get(), entry))

    def committed():
        _uncommitted.set(tuple(e for e in _uncommitted.get() if e is not entry))

    transaction.on_commit(committed)  # dropped by Django if the transaction or savepoint rolls back


def discard_uncommitted() -> int:
    """Remove the files stored by transactions that did not commit: those no row refers to. Returns how many."""
    pending = _uncommitted.get()
    _uncommitted.set(())
    removed = 0
    for model, field, storage, name in pending:
        try:
            if model._default_manager.filter(**{field: name}).exists():
                continue  # its row exists (the transaction is still open, or committed meanwhile)
            storage.delete(name)
            removed += 1
        except Exception:  # noqa: BLE001  (cleanup must never break the answer)
            logger.exception("could not remove the uncommitted upload %s", name)
    return removed


def delete_on_commit(fieldfile) -> None:
    """Remove the stored file once the current transaction commits (at once outside one)."""
    storage, name = fieldfile.storage, fieldfile.name
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


class UploadCleanupMiddleware:
    """When a request ends, files stored by a transaction that rolled back are removed (no orphan files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            discard_uncommitted()


# --- serving files -------------------------------------------------------------------------------------------------


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII fallback name and the real name as RFC 5987 `filename*` (UTF-8)."""
    name = "".join(ch for ch in filename if ch.isprintable() and ch not in '"\\/;') or "file"
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    fallback = name.encode("ascii", "ignore").decode() or "file"
    if fallback != name:
        fallback = "file." + ext.encode("ascii", "ignore").decode() if ext.isascii() and ext else "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{urllib.parse.quote(name, safe='')}"


def file_response(fieldfile, *, filename: str, content_type: str) -> FileResponse:
    """The stored file as a download; call it only after checking that the user may see the owning item."""
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):  # removed from disk (or no file): as if it never existed
        raise NotFound() from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
