"""The information resources library (S4-2.2.5): documents by source, year and topic, visible by role and body,
with versions (a new upload keeps the old) and reading lists per session of the congress. The text of each upload
(PDF, Word) is extracted and indexed in `lvzhi.search`, so a phrase inside a document finds it."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.core.uploads import store_document
from lvzhi.search import services as search

from .. import extract, rules
from .. import permissions as perm
from ..models import Audience, Document, DocumentVersion, ReadingList, ReadingListItem, Source
from .common import filename as clean_filename
from .common import text


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not 1949 <= year <= local_date().year + 1:
        raise ValidationFailed(_("Give the year of the document."), code="year_invalid")
    return year


def _fields(title, source, year, topic, summary, audience) -> dict:
    if source not in Source.values:
        raise ValidationFailed(_("Choose where the document comes from."), code="source_invalid")
    if audience not in Audience.values:
        raise ValidationFailed(_("Choose who may read the document."), code="audience_invalid")
    return {
        "title": text(title, field="title", label=_("The title"), max_length=rules.TITLE_MAX),
        "source": source,
        "year": _year(year),
        "topic": text(topic, field="topic", label=_("The topic"), max_length=rules.TOPIC_MAX, required=False),
        "summary": text(
            summary,
            field="summary",
            label=_("The summary"),
            max_length=rules.SUMMARY_MAX,
            required=False,
            multiline=True,
        ),
        "audience": audience,
    }


def _store_version(*, actor, document, filename, data, note) -> DocumentVersion:
    """`data`: the bytes, or an uploaded file streamed to storage chunk by chunk (never read whole); the text is
    extracted from the stored file. Uploading the same file as the latest version again is refused."""
    note = text(note, field="note", label=_("The note"), max_length=200, required=False)
    version = DocumentVersion(document=document, note=note, uploaded_by=actor)
    stored = store_document(version.file, data, max_bytes=rules.DOCUMENT_MAX_BYTES)
    latest = DocumentVersion.objects.filter(document=document).order_by("-number").values_list("sha256", flat=True)
    if stored.sha256 in latest[:1]:
        raise ValidationFailed(_("This file is the same as the latest version."), code="same_file")
    version.filename = clean_filename(filename, f"document.{stored.ext}")
    body_text = extract.document_text(version.file, stored.mime)
    Document.objects.filter(pk=document.pk).update(version_count=F("version_count") + 1)
    document.refresh_from_db(fields=["version_count"])
    version.number = document.version_count
    version.mime, version.size, version.sha256 = stored.mime, stored.size, stored.sha256
    version.text_length = len(body_text)
    version.save()
    search.index(document, title=document.title, text=f"{document.topic}\n{document.summary}\n{body_text}")
    return version


@transaction.atomic
def add_document(
    *, actor, body, title, source, year, topic="", summary="", audience=Audience.BODY, filename="", data=b"", note=""
) -> Document:
    if not perm.may_manage(actor, body):
        raise NotFound()
    document = Document.objects.create(
        body=body, created_by=actor, **_fields(title, source, year, topic, summary, audience)
    )
    version = _store_version(actor=actor, document=document, filename=filename, data=data, note=note)
    audit(
        "learning.document.add",
        actor=actor,
        obj=document,
        org_unit=body,
        after={"source": document.source, "year": document.year, "audience": document.audience, "size": version.size},
    )
    return document


@transaction.atomic
def add_version(*, actor, document, filename, data, note="") -> DocumentVersion:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not perm.may_manage(actor, document.body):
        raise NotFound()
    if not document.is_active:
        raise Conflict(_("The document has been withdrawn."), code="withdrawn")
    version = _store_version(actor=actor, document=document, filename=filename, data=data, note=note)
    audit(
        "learning.document.version",
        actor=actor,
        obj=document,
        org_unit=document.body,
        after={"version": version.number, "size": version.size, "mime": version.mime},
    )
    return version


def _reindex(document) -> None:
    """Index the document again (its title or summary changed): the text of its latest version, from storage."""
    latest = DocumentVersion.objects.filter(document=document).order_by("-number").first()
    body_text = extract.document_text(latest.file, latest.mime) if latest is not None else ""
    search.index(document, title=document.title, text=f"{document.topic}\n{document.summary}\n{body_text}")


@transaction.atomic
def update_document(*, actor, document, title, source, year, topic="", summary="", audience) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not perm.may_manage(actor, document.body):
        raise NotFound()
    if not document.is_active:
        raise Conflict(_("The document has been withdrawn."), code="withdrawn")
    fields = _fields(title, source, year, topic, summary, audience)
    before = {field: getattr(document, field) for field in fields}
    for field, value in fields.items():
        setattr(document, field, value)
    document.save()
    changed = {field: value for field, value in fields.items() if before[field] != value}
    audit(
        "learning.document.update",
        actor=actor,
        obj=document,
        org_unit=document.body,
        before={field: before[field] for field in changed},
        after=changed,
    )
    if changed.keys() & {"title", "topic", "summary"}:
        _reindex(document)
    return document


@transaction.atomic
def withdraw_document(*, actor, document, reason="") -> Document:
    """Withdraw a document: it disappears from the members' lists, reading lists and search (the keepers still see
    it, with its versions); its versions are kept."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not perm.may_manage(actor, document.body):
        raise NotFound()
    if not document.is_active:
        raise Conflict(_("The document has already been withdrawn."), code="already_withdrawn")
    reason = text(reason, field="reason", label=_("The reason"), max_length=200, required=False)
    document.is_active = False
    document.save(update_fields=["is_active", "updated_at"])
    search.remove(document)
    audit(
        "learning.document.withdraw",
        actor=actor,
        obj=document,
        org_unit=document.body,
        before={"active": True},
        after={"active": False, "reason": reason, "versions": document.version_count},
    )
    return document


@transaction.atomic
def create_reading_list(*, actor, body, session, year) -> ReadingList:
    if not perm.may_manage(actor, body):
        raise NotFound()
    session = text(session, field="session", label=_("The session"), max_length=rules.SESSION_MAX)
    if ReadingList.objects.filter(body=body, session=session).exists():
        raise Conflict(_("This session already has a reading list."), code="reading_list_exists")
    reading_list = ReadingList.objects.create(body=body, session=session, year=_year(year))
    audit(
        "learning.reading_list.create", actor=actor, obj=reading_list, org_unit=body, after={"year": reading_list.year}
    )
    return reading_list


@transaction.atomic
def add_to_reading_list(*, actor, reading_list, document) -> ReadingListItem:
    if not perm.may_manage(actor, reading_list.body):
        raise NotFound()
    if document.body_id != reading_list.body_id and document.audience != Audience.EVERYONE:
        raise ValidationFailed(_("Only documents every reader of the list may see can be added."), code="not_visible")
    if ReadingListItem.objects.filter(reading_list=reading_list, document=document).exists():
        raise Conflict(_("The document is already on the list."), code="already_listed")
    order = ReadingListItem.objects.filter(reading_list=reading_list).count()
    item = ReadingListItem.objects.create(reading_list=reading_list, document=document, order=order)
    audit(
        "learning.reading_list.add",
        actor=actor,
        obj=reading_list,
        org_unit=reading_list.body,
        after={"document": document.pk},
    )
    return item
