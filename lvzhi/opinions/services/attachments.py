"""Photos attached to a report: checked, re-encoded and stored."""

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed

from .. import rules
from ..models import Attachment, Report
from ..permissions import is_author, may_edit
from .common import _lock

IMAGE_TYPES = {"image/jpeg": ("JPEG", "jpg"), "image/png": ("PNG", "png"), "image/webp": ("WEBP", "webp")}


def _clean_image(data: bytes) -> tuple[bytes, str, str, int, int]:
    """Check that `data` is a JPEG, PNG or WebP photo of sane size; re-encode it without metadata (EXIF GPS)."""
    import filetype
    from PIL import Image, ImageOps

    kind = filetype.guess(data[:8192])
    if kind is None or kind.mime not in IMAGE_TYPES:
        raise ValidationFailed(_("Only photos (JPEG, PNG or WebP) can be attached."), code="bad_file_type")
    fmt, ext = IMAGE_TYPES[kind.mime]
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != fmt:
                raise ValidationFailed(_("Only photos (JPEG, PNG or WebP) can be attached."), code="bad_file_type")
            width, height = probe.size
            if width * height > rules.IMAGE_PIXELS_MAX:
                raise ValidationFailed(_("The photo has too many pixels."), code="image_too_large")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            options = {"quality": 88, "optimize": True} if fmt in ("JPEG", "WEBP") else {"optimize": True}
            image.save(out, format=fmt, **options)
            width, height = image.size
    except ValidationFailed:
        raise
    except Exception:  # noqa: BLE001  (any decoder error means a broken or forged file)
        raise ValidationFailed(_("The photo cannot be read; it may be damaged."), code="bad_image")
    return out.getvalue(), kind.mime, ext, width, height


@transaction.atomic
def add_attachment(*, actor: User, report: Report, upload) -> Attachment:
    """Attach a photo to a draft or a returned report (checked by content, at most 9, 5 MB each)."""
    report = _lock(report)
    if not is_author(actor, report):
        raise NotFound()
    if not may_edit(actor, report):
        raise Conflict(_("This report can no longer be changed."), code="not_editable")
    if report.attachments.count() >= rules.ATTACHMENTS_MAX:
        raise ValidationFailed(
            _("At most %(n)s photos per report.") % {"n": rules.ATTACHMENTS_MAX}, code="too_many_attachments"
        )
    size = getattr(upload, "size", None)
    if size is None or size > rules.ATTACHMENT_BYTES_MAX:
        raise ValidationFailed(
            _("A photo may have at most %(mb)s MB.") % {"mb": rules.ATTACHMENT_BYTES_MAX // (1024 * 1024)},
            code="attachment_too_large",
        )
    if size == 0:
        raise ValidationFailed(_("The file is empty."), code="empty_file")
    data = upload.read(rules.ATTACHMENT_BYTES_MAX + 1)
    if len(data) > rules.ATTACHMENT_BYTES_MAX:
        raise ValidationFailed(
            _("A photo may have at most %(mb)s MB.") % {"mb": rules.ATTACHMENT_BYTES_MAX // (1024 * 1024)},
            code="attachment_too_large",
        )
    clean, mime, ext, width, height = _clean_image(data)
    name = (getattr(upload, "name", "") or "photo").replace("\\", "/").rsplit("/", 1)[-1]
    stem = "".join(ch for ch in name.rsplit(".", 1)[0] if ch.isprintable())[:80] or "photo"
    attachment = Attachment(
        report=report,
        name=f"{stem}.{ext}",
        content_type=mime,
        size=len(clean),
        width=width,
        height=height,
        uploaded_by=actor,
    )
    attachment.file.save(f"photo.{ext}", ContentFile(clean), save=False)
    try:
        attachment.save()
        record(
            "opinions.attachment.add",
            actor=actor,
            obj=report,
            org_unit=report.committee_id or report.body_id,
            after={"attachment": attachment.pk, "type": mime, "size": len(clean)},
        )
    except Exception:
        attachment.file.storage.delete(attachment.file.name)  # nothing half-written: no orphan file
        raise
    return attachment


@transaction.atomic
def remove_attachment(*, actor: User, attachment: Attachment) -> None:
    report = _lock(attachment.report)
    if not is_author(actor, report):
        raise NotFound()
    if not may_edit(actor, report):
        raise Conflict(_("This report can no longer be changed."), code="not_editable")
    name = attachment.file.name
    record(
        "opinions.attachment.remove",
        actor=actor,
        obj=report,
        org_unit=report.committee_id or report.body_id,
        before={"attachment": attachment.pk},
    )
    attachment.delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))
