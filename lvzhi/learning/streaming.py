"""Serving a lesson's video with HTTP range requests (RFC 9110 §14): the player asks for parts of the file and
seeks without loading it all. One range per request (`bytes=a-b`, `bytes=a-`, `bytes=-n`), answered with 206 and
`Content-Range`, at most `rules.RANGE_CHUNK_MAX` bytes (the player asks again for the rest); a range outside the
file is 416 with `Content-Range: bytes */size`; no Range header: the whole file, streamed (200). Call only after
checking that the user may see the lesson."""

import re

from django.http import FileResponse, HttpResponse

from lvzhi.core.errors import NotFound

from . import rules

RANGE = re.compile(r"^bytes=(\d{0,15})-(\d{0,15})$")


def _headers(response, content_type: str):
    response["Accept-Ranges"] = "bytes"
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


def _span(header: str, size: int) -> tuple[int, int] | None:
    match = RANGE.match(header.strip())
    if not match or not (match[1] or match[2]):
        return None
    if match[1]:
        start = int(match[1])
        end = int(match[2]) if match[2] else size - 1
    else:
        start, end = max(0, size - int(match[2])), size - 1
    if start >= size or end < start:
        return None
    return start, min(end, size - 1, start + rules.RANGE_CHUNK_MAX - 1)


def ranged_response(fieldfile, *, content_type: str, range_header: str = ""):
    try:
        size = fieldfile.size
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise NotFound() from None
    if not range_header:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
        return _headers(response, content_type)
    span = _span(range_header, size)
    if span is None:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _headers(response, content_type)
    start, end = span
    try:
        handle.seek(start)
        data = handle.read(end - start + 1)
    finally:
        handle.close()
    response = HttpResponse(data, status=206)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(len(data))
    return _headers(response, content_type)
