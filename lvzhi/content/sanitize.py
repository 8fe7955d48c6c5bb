"""Safe HTML and safe files: article bodies are sanitised on save (nh3), uploads are checked against their
extension by their content (filetype, Pillow), and both obey size limits a body may configure."""

import html
import io
import re
from pathlib import PurePath

import filetype
import nh3
from django.utils.translation import gettext as _
from PIL import Image

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.uploads import check_pixels
from lvzhi.orgs.selectors import body_setting

# Exactly what the article editor (static/lvzhi/js/editor.js) produces, and nothing else: the editor reads these two
# lists from its widget (`forms.RichTextarea`) and cleans its own output with them, so what it sends survives the
# sanitiser unchanged, and markup pasted or typed by hand that it would not produce is removed here too.
TAGS = {
    "p", "br", "h2", "h3", "strong", "em", "ul", "ol", "li", "blockquote", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
CLEAN_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select"}
LOCAL_IMAGE = re.compile(r"^/content/files/\d+/$")


def _attribute_filter(tag, attribute, value):
    if tag == "img" and attribute == "src":
        # Only images uploaded here: CSP blocks other origins anyway, and a remote image would leak who reads.
        return value if LOCAL_IMAGE.match(value) else None
    return value


def clean_html(raw: str) -> str:
    """The body as stored: only plain formatting, links (http, https, mailto, relative) and local images."""
    return nh3.clean(
        raw or "",
        tags=TAGS,
        clean_content_tags=CLEAN_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


_TAG = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(p|h[2-4]|li|tr|blockquote|figcaption|pre)>|<br\s*/?>", re.I)


def html_to_text(body_html: str) -> str:
    """Plain text of a body (for search, summaries and screening), paragraphs on their own lines."""
    text = _BLOCK_END.sub("\n", body_html or "")
    text = html.unescape(_TAG.sub("", text))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def text_to_html(text: str) -> str:
    """Plain text typed in a phone's text box becomes paragraphs."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", text or "") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def max_body_bytes(body) -> int:
    return int(body_setting(body, "content.max_body_kb")) * 1024


def max_attachment_bytes(body) -> int:
    return int(body_setting(body, "content.max_attachment_mb")) * 1024 * 1024


def check_body_size(body_html: str, body) -> None:
    limit = max_body_bytes(body)
    if len((body_html or "").encode("utf-8")) > limit:
        raise ValidationFailed(
            _("The text is too long: at most %(kb)s KB is allowed.") % {"kb": limit // 1024}, code="body_too_large"
        )


# ---- files ---------------------------------------------------------------------------------------------------------

IMAGE_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "wps": "application/vnd.ms-works",
    "txt": "text/plain",
}
# what filetype may call a file of each extension
DETECTED_AS = {"jpg": {"jpg"}, "jpeg": {"jpg"}, "png": {"png"}, "gif": {"gif"}, "pdf": {"pdf"}, "doc": {"doc"},
               "wps": {"doc"}, "xls": {"xls", "doc"}, "ppt": {"ppt", "doc"}, "docx": {"docx", "zip"},
               "xlsx": {"xlsx", "zip"}, "pptx": {"pptx", "zip"}}  # fmt: skip
OOXML_PART = {"docx": b"word/", "xlsx": b"xl/", "pptx": b"ppt/"}
PILLOW_FORMAT = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "gif": "GIF"}


def extension_of(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_upload(*, name: str, data: bytes, body, image_only: bool = False) -> tuple[str, str]:
    """Check an upload: allowed extension, size limit, content matching the extension. Returns (kind, mime)."""
    name = (name or "").strip()
    ext = extension_of(name)
    allowed = IMAGE_TYPES if image_only else {**IMAGE_TYPES, **DOCUMENT_TYPES}
    if not name or ext not in allowed:
        raise ValidationFailed(
            _("This kind of file is not accepted. Allowed: %(types)s.") % {"types": ", ".join(sorted(allowed))},
            code="file_type_not_allowed",
        )
    if not data:
        raise ValidationFailed(_("The file is empty."), code="file_empty")
    limit = max_attachment_bytes(body)
    if len(data) > limit:
        raise ValidationFailed(
            _("The file is too large: at most %(mb)s MB is allowed.") % {"mb": limit // (1024 * 1024)},
            code="file_too_large",
        )
    mismatch = ValidationFailed(
        _("The content of the file does not match its extension .%(ext)s; it was not accepted.") % {"ext": ext},
        code="file_content_mismatch",
    )
    if ext == "txt":
        if b"\x00" in data:
            raise mismatch
        for encoding in ("utf-8", "gb18030"):
            try:
                data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise mismatch
        return "file", DOCUMENT_TYPES[ext]
    guessed = filetype.guess(data)
    if guessed is None or guessed.extension not in DETECTED_AS[ext]:
        raise mismatch
    if ext in OOXML_PART and OOXML_PART[ext] not in data[:65536] and OOXML_PART[ext] not in data:
        raise mismatch
    if ext in IMAGE_TYPES:
        _verify_image(data, ext, mismatch)
        return "image", IMAGE_TYPES[ext]
    return "file", DOCUMENT_TYPES[ext]


def _verify_image(data: bytes, ext: str, mismatch: Exception) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != PILLOW_FORMAT[ext]:
                raise mismatch
            check_pixels(image.width, image.height)  # from the header, before anything is decoded
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise mismatch
