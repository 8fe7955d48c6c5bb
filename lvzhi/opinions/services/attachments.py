"""Photos attached to a report: checked, re-encoded and stored."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.uploads import IMAGE_FORMATS, PHOTO_TYPES, clean_image, store_file

from .. import rules
from ..models import Attachment, Report
from ..permissions import is_author, may_edit
from .common import _lock

IMAGE_TYPES = {mime: IMAGE_FORMATS[mime] for mime in PHOTO_TYPES}


def _clean_image(data: bytes) -> tuple[bytes, str, str, int, int]:
    """The one upload checker (lvzhi.core.uploads): sniffed type, pixels bounded before decoding, re-encoded."""
    image = clean_image(data, max_bytes=rules.ATTACHMENT_BYTES_MAX)
    return image.data, image.mime, image.ext, image.width, image.height


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
    store_file(attachment.file, f"photo.{ext}", clean)  # removed again if this transaction rolls back
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
