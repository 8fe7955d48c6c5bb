"""Archive handling of the publication register (S0-10): keep, lend, take back, ask to destroy, approve or refuse a
destruction. Each write locks the record, checks its state, and is audited with references and codes only (the
borrower's name, the place and the reasons stay on the record, not in the audit row)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perms
from ..models import ArchiveLoan, ArchiveRecord, RegisterEntry

A = ArchiveRecord.Status
LOAN_MAX_DAYS = 365


def _entry(actor, entry) -> RegisterEntry:
    entry = RegisterEntry.objects.select_related("unit", "body").filter(pk=getattr(entry, "pk", entry)).first()
    if entry is None or not perms.may_handle_archive(actor, entry):
        raise NotFound()
    return entry


def _locked(actor, entry, expected_version=None) -> ArchiveRecord:
    entry = _entry(actor, entry)
    rec = ArchiveRecord.objects.select_for_update().filter(entry=entry).first()
    if rec is None:
        raise Conflict(_("This item is not yet filed in the archive."), code="archive_not_kept")
    if expected_version is not None and rec.version != int(expected_version):
        raise Conflict(_("Someone changed this archive record meanwhile; reload the page."), code="stale_version")
    rec.entry = entry
    return rec


def _save(rec: ArchiveRecord, fields: list[str]) -> None:
    rec.version += 1
    rec.save(update_fields=[*fields, "version"])


def _audit(event, actor, rec, **after):
    audit(
        event, actor=actor, obj=rec, org_unit=rec.unit_id, after={"entry": rec.entry_id, "status": rec.status, **after}
    )


@transaction.atomic
def keep_archive(*, actor, entry, location: str) -> ArchiveRecord:
    """File a register entry in the archive (or record where it is kept now)."""
    entry = _entry(actor, entry)
    location = clean_text(location, field="location", max_length=100, label=_("The place"))
    rec = ArchiveRecord.objects.select_for_update().filter(entry=entry).first()
    if rec is None:
        RegisterEntry.objects.select_for_update().filter(pk=entry.pk).first()
        if ArchiveRecord.objects.filter(entry=entry).exists():
            raise Conflict(_("Someone changed this archive record meanwhile; reload the page."), code="stale_version")
        rec = ArchiveRecord.objects.create(
            entry=entry, body=entry.body, unit=entry.unit, location=location, kept_by=actor, kept_at=timezone.now()
        )
        _audit("content.archive.keep", actor, rec)
        return rec
    if rec.status == A.DESTROYED:
        raise Conflict(_("This item has been destroyed."), code="archive_destroyed")
    rec.location, rec.kept_by, rec.kept_at = location, actor, timezone.now()
    _save(rec, ["location", "kept_by", "kept_at"])
    _audit("content.archive.move", actor, rec)
    return rec


@transaction.atomic
def lend_archive(
    *, actor, entry, borrower: str, borrower_unit: str = "", purpose: str = "", due_on: dt.date, expected_version=None
) -> ArchiveLoan:
    rec = _locked(actor, entry, expected_version)
    if rec.status != A.KEPT:
        raise Conflict(_("Only an item kept in the archive can be lent."), code="archive_not_available")
    borrower = clean_text(borrower, field="borrower", max_length=50, label=_("The borrower"))
    borrower_unit = clean_text(
        borrower_unit, field="borrower_unit", max_length=100, label=_("The unit"), required=False
    )
    purpose = clean_text(purpose, field="purpose", max_length=200, label=_("The purpose"), required=False)
    today = timezone.localdate()
    if not isinstance(due_on, dt.date) or due_on < today or due_on > today + dt.timedelta(days=LOAN_MAX_DAYS):
        raise ValidationFailed(
            _("The return date must lie between today and a year from now."), code="loan_due_invalid"
        )
    loan = ArchiveLoan.objects.create(
        record=rec, borrower=borrower, borrower_unit=borrower_unit, purpose=purpose, lent_by=actor,
        lent_at=timezone.now(), due_on=due_on,
    )  # fmt: skip
    rec.status = A.LENT
    _save(rec, ["status"])
    _audit("content.archive.lend", actor, rec, loan=loan.pk, due_on=due_on.isoformat())
    return loan


@transaction.atomic
def return_archive(*, actor, entry, expected_version=None) -> ArchiveLoan:
    rec = _locked(actor, entry, expected_version)
    loan = ArchiveLoan.objects.select_for_update().filter(record=rec, returned_at__isnull=True).first()
    if rec.status != A.LENT or loan is None:
        raise Conflict(_("This item is not out on loan."), code="archive_not_lent")
    now = timezone.now()
    loan.returned_at, loan.returned_to = now, actor
    loan.save(update_fields=["returned_at", "returned_to"])
    rec.status = A.KEPT
    _save(rec, ["status"])
    late = (timezone.localdate(now) - loan.due_on).days
    _audit("content.archive.return", actor, rec, loan=loan.pk, days_late=max(late, 0))
    return loan


@transaction.atomic
def request_destruction(*, actor, entry, reason: str, expected_version=None) -> ArchiveRecord:
    """Ask to destroy an item kept in the archive; the department's head or a leader approves (not the asker)."""
    rec = _locked(actor, entry, expected_version)
    if rec.status != A.KEPT:
        raise Conflict(
            _("Only an item kept in the archive (not lent, not already in destruction) can be destroyed."),
            code="archive_not_available",
        )
    rec.destruction_reason = clean_text(reason, field="reason", max_length=300, label=_("The reason"))
    rec.status, rec.destruction_requested_by, rec.destruction_requested_at = (
        A.DESTRUCTION_REQUESTED,
        actor,
        timezone.now(),
    )
    rec.destruction_approved_by, rec.refusal_note = None, ""
    _save(rec, ["status", "destruction_reason", "destruction_requested_by", "destruction_requested_at",
                "destruction_approved_by", "refusal_note"])  # fmt: skip
    _audit("content.archive.destroy_request", actor, rec)
    approvers = users_with_roles(rec.entry.unit, [Role.HEAD]) + users_with_roles(rec.entry.body, [Role.LEADER])
    notify(
        [u for u in approvers if u.pk != actor.pk],
        title=_("Archive destruction awaiting your approval: %(title)s") % {"title": rec.entry.title},
        link=f"/content/archive/{rec.entry_id}/",
        event="content.archive.destroy_request",
        obj=rec,
    )
    return rec


@transaction.atomic
def decide_destruction(*, actor, entry, approve: bool, note: str = "", expected_version=None) -> ArchiveRecord:
    entry_obj = RegisterEntry.objects.select_related("unit", "body").filter(pk=getattr(entry, "pk", entry)).first()
    rec = ArchiveRecord.objects.select_for_update().filter(entry=entry_obj).first() if entry_obj else None
    if rec is None or not (perms.may_handle_archive(actor, entry_obj) or perms.may_approve_destruction(actor, rec)):
        raise NotFound()
    if expected_version is not None and rec.version != int(expected_version):
        raise Conflict(_("Someone changed this archive record meanwhile; reload the page."), code="stale_version")
    if rec.status != A.DESTRUCTION_REQUESTED:
        raise Conflict(_("No destruction of this item is awaiting approval."), code="no_destruction_request")
    if rec.destruction_requested_by_id == actor.pk:
        raise PermissionDenied(
            _("A destruction needs an approver other than the person who asked for it."), code="self_approval"
        )
    if not perms.may_approve_destruction(actor, rec):
        raise PermissionDenied(
            _("Only the department's head or a leader of the body approves a destruction."), code="not_approver"
        )
    note = clean_text(note, field="note", max_length=300, label=_("The note"), required=not approve)
    if approve:
        rec.status, rec.destruction_approved_by, rec.destroyed_at = A.DESTROYED, actor, timezone.now()
        _save(rec, ["status", "destruction_approved_by", "destroyed_at"])
        _audit("content.archive.destroy", actor, rec, requested_by=rec.destruction_requested_by_id)
    else:
        rec.status, rec.refusal_note = A.KEPT, note
        _save(rec, ["status", "refusal_note"])
        _audit("content.archive.destroy_refuse", actor, rec, requested_by=rec.destruction_requested_by_id)
    notify(
        [rec.destruction_requested_by] if rec.destruction_requested_by else [],
        title=(_("Destruction approved: %(title)s") if approve else _("Destruction refused: %(title)s"))
        % {"title": entry_obj.title},
        body=note,
        link=f"/content/archive/{rec.entry_id}/",
        event="content.archive.destroy_decide",
        obj=rec,
    )
    rec.entry = entry_obj
    return rec
