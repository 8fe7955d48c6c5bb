"""Drafting: creating and editing articles, masking personal data, attachments."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.uploads import IMAGE_FORMATS, clean_image, delete_on_commit, store_file
from lvzhi.core.validation import clean_text
from lvzhi.orgs.models import OrgUnit
from lvzhi.screening import services as screening
from lvzhi.workflow import services as wf

from .. import permissions as perms
from ..models import Article, Attachment, Column, Grade
from ..sanitize import check_body_size, check_upload, clean_html
from ..workflows import ARTICLE_FLOW
from .common import SOURCE_MAX, SUMMARY_MAX, TITLE_MAX, S, _check_grade, _lock, _screen, _times
from .disclosure import apply_repost_fields
from .urgent import clean_urgency


def _host_unit(actor, column: Column, unit: OrgUnit | None) -> OrgUnit:
    if actor is None:
        if unit is None or not column.owners.filter(pk=unit.pk).exists():
            raise ValidationFailed(_("Name an owning department of the column."), code="unit_required")
        return unit
    units = perms.draft_units(actor, column)
    if not units:
        raise PermissionDenied(
            _("You may not write in this column: only staff of its owning departments may."), code="may_not_draft"
        )
    if unit is None:
        return units[0]
    if unit.pk not in {u.pk for u in units}:
        raise PermissionDenied(_("You may not write for this department."), code="may_not_draft")
    return unit


@transaction.atomic
def create_draft(
    *,
    actor,
    column: Column,
    title: str,
    body_html: str,
    summary: str = "",
    source: str = "",
    grade: str = Grade.NORMAL,
    is_repost: bool = False,
    topic: str = "",
    unit: OrgUnit | None = None,
    client_token: str = "",
    publish_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    repost_source=None,
    original_title: str = "",
    source_other_reason: str = "",
    urgency: str = "",
    event_noted_at: dt.datetime | None = None,
) -> Article:
    """A new draft in `column` (sanitised, size-checked and screened). `actor` is a drafter of one of the column's
    owning departments (the host unit is that department, or `unit`); `actor=None` drafts for the system (another
    module), then `unit` must be an owning department. The draft then goes through the column's chain."""
    if not column.is_active:
        raise ValidationFailed(_("This column is retired."), code="column_retired")
    host = _host_unit(actor, column, unit)
    client_token = str(client_token or "")[:64]
    if client_token and actor is not None and Article.objects.filter(author=actor, client_token=client_token).exists():
        raise Conflict(_("This draft was already saved (sent twice)."), code="duplicate_submission")
    title = clean_text(title, field="title", max_length=TITLE_MAX, required=True, label=_("The title"))
    article = Article(
        column=column,
        body=column.body,
        unit=host,
        author=actor,
        title=title,
        summary=clean_text(summary, field="summary", max_length=SUMMARY_MAX, required=False, label=_("The summary")),
        source=clean_text(source, field="source", max_length=SOURCE_MAX, required=False, label=_("The source")),
        is_repost=bool(is_repost),
        body_html=clean_html(body_html),
        client_token=client_token if actor is not None else "",
    )
    check_body_size(article.body_html, column.body)
    article.grade, article.topic = _check_grade(article, grade, topic, by_author=True)
    article.publish_at, article.expires_at = _times(publish_at, expires_at)
    apply_repost_fields(
        article, repost_source=repost_source, original_title=original_title, source_other_reason=source_other_reason
    )
    article.urgency, article.event_noted_at = clean_urgency(urgency, event_noted_at)
    _screen(article)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        raise Conflict(_("This draft was already saved (sent twice)."), code="duplicate_submission")
    wf.start(
        article,
        actor=actor,
        workflow=ARTICLE_FLOW,
        event="create",
        audit_after={
            "title_length": len(title),
            "column": column.code,
            "grade": article.grade,
            "findings": len(article.findings),
        },
    )
    return article


EDITABLE = (S.DRAFT, S.RETURNED)


def _editable(actor, article: Article, expected_version=None) -> Article:
    article = _lock(article)
    if not perms.may_edit(actor, article):
        raise NotFound()
    if article.status not in EDITABLE:
        raise Conflict(_("Only a draft or an article returned for changes can be edited."), code="not_editable")
    if expected_version is not None and int(expected_version) != article.version:
        raise Conflict(
            _("Someone else saved this draft meanwhile; reload it and make your changes again."),
            code="changed_meanwhile",
        )
    return article


@transaction.atomic
def update_draft(
    *,
    actor,
    article: Article,
    title: str,
    body_html: str,
    summary: str = "",
    source: str = "",
    grade: str = Grade.NORMAL,
    is_repost: bool = False,
    topic: str = "",
    publish_at: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    expected_version: int | None = None,
    repost_source=None,
    original_title: str = "",
    source_other_reason: str = "",
    urgency: str = "",
    event_noted_at: dt.datetime | None = None,
) -> Article:
    article = _editable(actor, article, expected_version)
    before = {
        "title_length": len(article.title),
        "grade": article.grade,
        "length": len(article.body_html),
        "v": article.version,
    }
    article.title = clean_text(title, field="title", max_length=TITLE_MAX, required=True, label=_("The title"))
    article.summary = clean_text(
        summary, field="summary", max_length=SUMMARY_MAX, required=False, label=_("The summary")
    )
    article.source = clean_text(source, field="source", max_length=SOURCE_MAX, required=False, label=_("The source"))
    article.is_repost = bool(is_repost)
    article.body_html = clean_html(body_html)
    check_body_size(article.body_html, article.body)
    article.grade, article.topic = _check_grade(article, grade, topic, by_author=True)
    article.publish_at, article.expires_at = _times(publish_at, expires_at)
    apply_repost_fields(
        article, repost_source=repost_source, original_title=original_title, source_other_reason=source_other_reason
    )
    article.urgency, article.event_noted_at = clean_urgency(urgency, event_noted_at)
    _screen(article)
    article.version += 1
    article.save(
        update_fields=[
            "title",
            "summary",
            "source",
            "is_repost",
            "body_html",
            "grade",
            "topic",
            "publish_at",
            "expires_at",
            "repost_source",
            "original_title",
            "source_other_reason",
            "urgency",
            "event_noted_at",
            "findings",
            "findings_blocking",
            "version",
            "updated_at",
        ]  # fmt: skip
    )
    after = {
        "title_length": len(article.title),
        "grade": article.grade,
        "length": len(article.body_html),
        "v": article.version,
    }
    record("content.article.update", actor=actor, obj=article, org_unit=article.unit, before=before, after=after)
    return article


@transaction.atomic
def mask_personal_data(*, actor, article: Article, expected_version: int | None = None) -> Article:
    """Mask the personal data the screening found in the working copy (S2-21, S2-26), then screen again."""
    article = _editable(actor, article, expected_version)
    findings = screening.scan_article(
        title=article.title, body_html=article.body_html, source=article.source, is_repost=article.is_repost,
        body=article.body,
    )  # fmt: skip
    personal = [f for f in findings if f.kind == "personal_data"]
    if not personal:
        raise ValidationFailed(_("No personal data was found to mask."), code="nothing_to_mask")
    title, body_html = screening.mask_article(title=article.title, body_html=article.body_html)
    article.title = title[:TITLE_MAX]
    article.body_html = clean_html(body_html)
    _screen(article)
    article.version += 1
    article.save(update_fields=["title", "body_html", "findings", "findings_blocking", "version", "updated_at"])
    record(
        "content.article.mask",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        after={"masked": len(personal), "categories": sorted({f.category for f in personal})},
    )
    return article


def _audit_state(article) -> dict:
    """What the audit row keeps of an article: sizes, grade, version — never its title or text."""
    return {
        "title_length": len(article.title),
        "grade": article.grade,
        "length": len(article.body_html),
        "v": article.version,
    }


@transaction.atomic
def add_attachment(
    *,
    actor,
    article: Article,
    name: str,
    data: bytes,
    as_cover: bool = False,
    expected_version: int | None = None,
    image_only: bool = False,
) -> Attachment:
    """Attach an image or document to a draft: type, size and content are checked (S2-21, S4-2.4). A cover, or an
    image placed in the text by the editor (`image_only`), must be an image."""
    article = _editable(actor, article, expected_version)
    kind, mime = check_upload(name=name, data=data, body=article.body, image_only=as_cover or image_only)
    if kind == "image":  # re-encoded: EXIF GPS and anything appended (HTML) are dropped (lvzhi.core.uploads)
        data = clean_image(data, max_bytes=len(data), types=tuple(IMAGE_FORMATS)).data
    safe_name = (
        clean_text(name, field="file_name", max_length=200, required=True, label=_("The file name"))
        .replace("/", "_")
        .replace("\\", "_")
    )
    attachment = Attachment(article=article, kind=kind, name=safe_name, size=len(data), mime=mime, uploaded_by=actor)
    ext = safe_name.rsplit(".", 1)[-1].lower()
    store_file(attachment.file, f"a{article.pk}.{ext}", data)  # removed again if this transaction rolls back
    attachment.save()
    fields = ["version", "updated_at"]
    if as_cover:
        article.cover = attachment
        fields.append("cover")
    article.version += 1
    article.save(update_fields=fields)
    record(
        "content.attachment.add",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        after={"attachment": attachment.pk, "type": mime, "size": len(data), "cover": as_cover},
    )
    return attachment


@transaction.atomic
def remove_attachment(*, actor, attachment: Attachment) -> None:
    article = _editable(actor, attachment.article)
    updated = Attachment.objects.filter(pk=attachment.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    if not updated:
        raise Conflict(_("The file was already removed."), code="already_removed")
    delete_on_commit(attachment.file)  # the row stays for the record; the bytes leave the disk (residual data)
    fields = ["version", "updated_at"]
    if article.cover_id == attachment.pk:
        article.cover = None
        fields.append("cover")
    article.version += 1
    article.save(update_fields=fields)
    record(
        "content.attachment.remove",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        before={"attachment": attachment.pk, "name": attachment.name},
    )
