"""The writes on the word lists (S2-21): lists, terms, bulk import; each audited, each bumping the list version."""

import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text

from .. import detectors
from ..models import ListKind, ScreeningState, Term, WordList
from ..permissions import kinds_for, may_create_list, may_manage_list, may_view_list

# ---- the word lists (writes) ------------------------------------------------------------------------------------

NAME_MAX = 100
DESCRIPTION_MAX = 300
TERM_MIN, TERM_MAX = 2, 50
IMPORT_MAX_LINES = 10_000
IMPORT_MAX_CHARS = 400_000


def _changed() -> None:
    """Tell every process that the lists changed: a new version and stamp (same transaction as the change)."""
    updated = ScreeningState.objects.filter(pk=1).update(
        version=F("version") + 1, stamp=uuid.uuid4().hex, changed_at=timezone.now()
    )
    if not updated:
        ScreeningState.objects.create(pk=1, version=1, stamp=uuid.uuid4().hex, changed_at=timezone.now())


def normalise_term(raw: str) -> str:
    """The stored form of a term: trimmed, single spaces, ASCII in lower case, full-width as half-width."""
    return re.sub(r"\s+", " ", detectors.normalise(raw or "")).strip()


def _check_term(term: str) -> None:
    if len(term) < TERM_MIN:
        raise ValidationFailed(
            _("A term needs at least %(min)d characters.") % {"min": TERM_MIN}, code="term_too_short"
        )
    if len(term) > TERM_MAX:
        raise ValidationFailed(_("A term has at most %(max)d characters.") % {"max": TERM_MAX}, code="term_too_long")
    if any(ord(char) < 32 or 0x7F <= ord(char) < 0xA0 for char in term):
        raise ValidationFailed(_("A term cannot contain control characters."), code="term_invalid")


def _list_state(word_list: WordList) -> dict:
    return {  # references and codes only: list names and terms are not written into the audit log
        "name_length": len(word_list.name),
        "kind": word_list.kind,
        "body": word_list.body_id,
        "is_active": word_list.is_active,
    }


def _term_audit(word_list: WordList, term: Term) -> dict:
    """Terms are not written into the audit log (its readers are not the secrecy office; 三员): the term's id."""
    return {"list": word_list.pk, "kind": word_list.kind, "term_id": term.pk, "length": len(term.text)}


def _locked_list(actor, word_list: WordList) -> WordList:
    locked = WordList.objects.select_for_update(of=("self",)).select_related("body").filter(pk=word_list.pk).first()
    if locked is None or not may_view_list(actor, locked):
        raise NotFound()
    if not may_manage_list(actor, locked):
        raise PermissionDenied(_("You may read this list but not change it."), code="list_read_only")
    return locked


@transaction.atomic
def create_list(*, actor, name: str, kind: str, body=None, description: str = "") -> WordList:
    """A new word list of `kind`, applying to `body` and the bodies below (None: everywhere)."""
    name = clean_text(name, field="name", max_length=10_000, label=_("The name"), required=False)
    description = clean_text(
        description, field="description", max_length=10_000, label=_("The description"), required=False, multiline=True
    )
    if kind not in ListKind.values:
        raise ValidationFailed(_("Choose the kind of list."), code="unknown_kind")
    if not name:
        raise ValidationFailed(_("Enter a name."), code="name_required")
    if len(name) > NAME_MAX:
        raise ValidationFailed(_("A name has at most %(max)d characters.") % {"max": NAME_MAX}, code="name_too_long")
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed(
            _("A description has at most %(max)d characters.") % {"max": DESCRIPTION_MAX}, code="description_too_long"
        )
    if not may_create_list(actor, kind, body):
        if kind not in kinds_for(actor):
            if kind == ListKind.SECRET:
                raise PermissionDenied(
                    _("Only the secrecy office keeps secrecy terms."), code="secret_lists_only_secrecy"
                )
            raise NotFound()
        if body is None:
            raise PermissionDenied(
                _("Platform-wide lists are kept at the top-level body; choose your body."), code="scope_not_allowed"
            )
        raise NotFound()
    if WordList.objects.filter(is_active=True, kind=kind, body=body, name=name).exists():
        raise Conflict(_("An active list of this kind with this name already exists here."), code="duplicate_list")
    word_list = WordList.objects.create(name=name, kind=kind, body=body, description=description, created_by=actor)
    _changed()
    record("screening.list.create", actor=actor, obj=word_list, org_unit=body, after=_list_state(word_list))
    return word_list


@transaction.atomic
def retire_list(*, actor, word_list: WordList) -> WordList:
    """The list no longer screens anything; its terms are kept (and come back with it)."""
    word_list = _locked_list(actor, word_list)
    if not word_list.is_active:
        raise Conflict(_("This list is already retired."), code="already_retired")
    before = _list_state(word_list)
    word_list.is_active = False
    word_list.retired_at = timezone.now()
    word_list.retired_by = actor
    word_list.save(update_fields=["is_active", "retired_at", "retired_by"])
    _changed()
    record(
        "screening.list.retire",
        actor=actor,
        obj=word_list,
        org_unit=word_list.body,
        before=before,
        after=_list_state(word_list),
    )
    return word_list


@transaction.atomic
def restore_list(*, actor, word_list: WordList) -> WordList:
    word_list = _locked_list(actor, word_list)
    if word_list.is_active:
        raise Conflict(_("This list is active."), code="already_active")
    if WordList.objects.filter(
        is_active=True, kind=word_list.kind, body_id=word_list.body_id, name=word_list.name
    ).exists():
        raise Conflict(_("An active list of this kind with this name already exists here."), code="duplicate_list")
    before = _list_state(word_list)
    word_list.is_active = True
    word_list.retired_at = None
    word_list.retired_by = None
    word_list.save(update_fields=["is_active", "retired_at", "retired_by"])
    _changed()
    record(
        "screening.list.restore",
        actor=actor,
        obj=word_list,
        org_unit=word_list.body,
        before=before,
        after=_list_state(word_list),
    )
    return word_list


def _require_active(word_list: WordList) -> None:
    if not word_list.is_active:
        raise Conflict(_("This list is retired; restore it first."), code="list_retired")


@transaction.atomic
def add_term(*, actor, word_list: WordList, term: str) -> Term:
    """Add one term (or bring back a retired one)."""
    word_list = _locked_list(actor, word_list)
    _require_active(word_list)
    text = normalise_term(term)
    _check_term(text)
    row = Term.objects.select_for_update().filter(word_list=word_list, text=text).first()
    if row is not None and row.is_active:
        raise Conflict(_("This term is already on the list."), code="duplicate_term")
    if row is None:
        try:
            with transaction.atomic():
                row = Term.objects.create(word_list=word_list, text=text, created_by=actor)
        except IntegrityError:
            raise Conflict(_("This term is already on the list."), code="duplicate_term")
        event = "screening.term.add"
    else:
        row.is_active = True
        row.retired_at = None
        row.retired_by = None
        row.save(update_fields=["is_active", "retired_at", "retired_by"])
        event = "screening.term.restore"
    _changed()
    record(event, actor=actor, obj=word_list, org_unit=word_list.body, after=_term_audit(word_list, row))
    return row


@dataclass(frozen=True)
class ImportResult:
    added: int
    restored: int
    duplicates: int


def _import_lines(text: str) -> list[str]:
    """The lines of an import, bounded in characters and lines before anything is parsed."""
    text = (text or "").lstrip("\ufeff")
    if len(text) > IMPORT_MAX_CHARS:
        raise ValidationFailed(
            _("The import is too long: at most %(max)d characters.") % {"max": IMPORT_MAX_CHARS},
            code="import_too_long",
        )
    lines = text.splitlines()
    if len(lines) > IMPORT_MAX_LINES:
        raise ValidationFailed(
            _("The import has too many lines: at most %(max)d.") % {"max": IMPORT_MAX_LINES}, code="import_too_long"
        )
    return lines


def _wanted_terms(lines: list[str]) -> tuple[list[str], int]:
    """(distinct valid terms in order, repeats within the import); one invalid line refuses the whole import."""
    wanted: list[str] = []
    seen: set[str] = set()
    duplicates = 0
    for number, line in enumerate(lines, start=1):
        term = normalise_term(line)
        if not term:
            continue
        try:
            _check_term(term)
        except ValidationFailed as exc:
            raise ValidationFailed(
                _("Line %(line)d: %(error)s") % {"line": number, "error": exc.message}, code="import_invalid_line"
            )
        if term in seen:
            duplicates += 1
            continue
        seen.add(term)
        wanted.append(term)
    if not wanted:
        raise ValidationFailed(_("Enter at least one term, one per line."), code="import_empty")
    return wanted, duplicates


def _existing_terms(word_list: WordList, wanted: list[str]) -> dict[str, tuple[int, bool]]:
    """{term: (pk, is_active)} for the wanted terms already on the list (looked up 500 at a time)."""
    existing: dict[str, tuple[int, bool]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = Term.objects.filter(word_list=word_list, text__in=chunk).values_list("pk", "text", "is_active")
        for pk, term, active in rows:
            existing[term] = (pk, active)
    return existing


@transaction.atomic
def import_terms(*, actor, word_list: WordList, text: str) -> ImportResult:
    """Bulk import: one term per line. Blank lines are skipped, terms already on the list are counted as
    duplicates; one invalid line rejects the whole import (nothing is half-imported) and names the line."""
    word_list = _locked_list(actor, word_list)
    _require_active(word_list)
    wanted, duplicates = _wanted_terms(_import_lines(text))
    existing = _existing_terms(word_list, wanted)
    new = [t for t in wanted if t not in existing]
    restore_ids = [pk for pk, active in existing.values() if not active]
    duplicates += sum(1 for _pk, active in existing.values() if active)
    Term.objects.bulk_create([Term(word_list=word_list, text=t, created_by=actor) for t in new], batch_size=1000)
    for start in range(0, len(restore_ids), 500):
        Term.objects.filter(pk__in=restore_ids[start : start + 500]).update(
            is_active=True, retired_at=None, retired_by=None
        )
    result = ImportResult(added=len(new), restored=len(restore_ids), duplicates=duplicates)
    if new or restore_ids:
        _changed()
    after = {"list": word_list.pk, "added": result.added, "restored": result.restored, "duplicates": duplicates}
    if word_list.kind != ListKind.SECRET:
        after["terms"] = new[:200]
    record("screening.term.import", actor=actor, obj=word_list, org_unit=word_list.body, after=after)
    return result


@transaction.atomic
def retire_term(*, actor, term: Term) -> Term:
    """The term no longer screens anything (kept for the record; adding it again brings it back)."""
    word_list = _locked_list(actor, term.word_list)
    row = Term.objects.select_for_update().filter(pk=term.pk, word_list=word_list).first()
    if row is None:
        raise NotFound()
    if not row.is_active:
        raise Conflict(_("This term is already retired."), code="already_retired")
    row.is_active = False
    row.retired_at = timezone.now()
    row.retired_by = actor
    row.save(update_fields=["is_active", "retired_at", "retired_by"])
    _changed()
    record(
        "screening.term.retire",
        actor=actor,
        obj=word_list,
        org_unit=word_list.body,
        before=_term_audit(word_list, row),
    )
    return row
