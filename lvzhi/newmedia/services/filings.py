"""Filings (S1-3.2, S2-16, S2-17): change, closing and cancellation decided; filed; rejected in writing; accepted
(a change, closing or cancellation then announced for at least 15 working days); reported upward; applied when
the notice has run."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.orgs.models import OrgUnit
from lvzhi.workdays import calendar
from lvzhi.workflow.services import transition

from .. import permissions as perm
from .. import rules
from ..models import Filing, FilingKind, NameApproval, Rejection, Status
from ..workflows import FILING_FLOW
from .common import check_decision, check_name, host_unit_ok, lock_filing, lock_outlet, text
from .registry import _check_consistent_name, _refuse_second, effect_status, open_filing

F = Filing.Status
RUNNING = (F.DECIDED, F.FILED, F.REJECTED)
PENDING_STATUS = {
    FilingKind.CHANGE: Status.CHANGING,
    FilingKind.CLOSE: Status.CLOSING,
    FilingKind.CANCEL: Status.CLOSING,
}
FINAL_STATUS = {FilingKind.CLOSE: Status.CLOSED, FilingKind.CANCEL: Status.CANCELLED}


def notice_dates(published: dt.date, unit) -> tuple[dt.date, dt.date]:
    """S2-17: (last day of the notice, the day it takes effect). The day of publication is not counted; the
    notice runs for the body's working days (at least 15) and the change takes effect the day after."""
    until = calendar.due_date(calendar.add_working_days(start_of_day(published), rules.notice_days(unit)))
    return until, until + dt.timedelta(days=1)


def _clean_changes(outlet, changes) -> dict:
    clean = {}
    changes = changes or {}
    if changes.get("name"):
        clean["name"] = check_name(changes["name"])
        _check_consistent_name(outlet.host_unit, outlet.platform, clean["name"], exclude=outlet.pk)
    for key, label in (("account_id", _("The account id")), ("url", _("The address"))):
        if changes.get(key):
            clean[key] = text(changes[key], field=key, label=label, max_length=rules.URL_MAX)
    if changes.get("host_unit"):
        unit = OrgUnit.objects.filter(pk=changes["host_unit"], body=outlet.body, is_active=True).first()
        if unit is None:
            raise ValidationFailed(_("Choose a unit of the same body."), code="host_unit_invalid")
        host_unit_ok(unit)
        _refuse_second(unit, outlet.platform, exclude=outlet.pk)
        clean["host_unit"] = unit.pk
    if not clean:
        raise ValidationFailed(_("Say what changes."), code="changes_required")
    return clean


@transaction.atomic
def propose(*, actor, outlet, kind, decision_date, decision_ref, head_consent=False, reason="", changes=None,
            merge_into=None) -> Filing:  # fmt: skip
    """S2-17: a change, closing or cancellation decided collectively; the filing is then due within the limit."""
    outlet = lock_outlet(outlet)
    if not perm.may_see(actor, outlet):
        raise NotFound()
    if not perm.may_manage(actor, outlet):
        raise PermissionDenied()
    if kind not in (FilingKind.CHANGE, FilingKind.CLOSE, FilingKind.CANCEL):
        raise ValidationFailed(_("Choose a change, a closing or a cancellation."), code="kind_invalid")
    if outlet.status != Status.OPEN:
        raise Conflict(_("Only an open account can be changed, closed or cancelled."), code="outlet_not_open")
    if Filing.objects.filter(outlet=outlet, status__in=RUNNING).exists():
        raise Conflict(_("A filing of this account is still running."), code="filing_running")
    decision_date, decision_ref = check_decision(decision_date, decision_ref)
    reason = text(reason, field="reason", label=_("The reason"), max_length=rules.TEXT_MAX, multiline=True)
    clean = _clean_changes(outlet, changes) if kind == FilingKind.CHANGE else {}
    if merge_into is not None and (merge_into.pk == outlet.pk or merge_into.body_id != outlet.body_id):
        raise ValidationFailed(_("Choose another account of the same body to merge into."), code="merge_invalid")
    filing = open_filing(actor=actor, outlet=outlet, kind=kind, decision_date=decision_date,
                         decision_ref=decision_ref, head_consent=head_consent, reason=reason, changes=clean,
                         merge_into=merge_into)  # fmt: skip
    before = outlet.status
    if merge_into is not None:
        outlet.duplicate_of = merge_into
        outlet.save(update_fields=["duplicate_of", "updated_at"])
    effect_status(outlet, PENDING_STATUS[kind])
    record("newmedia.outlet.propose", actor=actor, obj=outlet, org_unit=outlet.host_unit,
           before={"status": before}, after={"status": outlet.status, "filing": filing.pk})  # fmt: skip
    return filing


def _guard(actor, filing, check):
    if not perm.may_see(actor, filing.outlet):
        raise NotFound()
    if not check(actor, filing.outlet):
        raise PermissionDenied()


@transaction.atomic
def file_filing(*, actor, filing) -> Filing:
    """The unit files (again, after a rejection). The first filing records whether it kept the limit."""
    filing = lock_filing(filing)
    _guard(actor, filing, perm.may_manage)
    changes = {"filed_at": timezone.now(), "times_filed": filing.times_filed + 1}
    if filing.times_filed == 0:
        changes["on_time"] = local_date() <= filing.file_by
    return transition(filing, "file", actor=actor, workflow=FILING_FLOW, changes=changes,
                      audit_after={"on_time": changes.get("on_time", filing.on_time)})  # fmt: skip


def _next_number(office, year: int) -> str:
    n = Rejection.objects.filter(filing__office=office, issued_at__year=year).count() + 1
    return f"{year}-{n:04d}"


@transaction.atomic
def reject_filing(*, actor, filing, reasons) -> Rejection:
    """S2-16: the office answers in writing why the filing does not comply; the unit corrects and refiles."""
    filing = lock_filing(filing)
    _guard(actor, filing, perm.may_review)
    reasons = text(reasons, field="reasons", label=_("The reasons"), max_length=rules.TEXT_MAX, multiline=True)
    if len(reasons) < 10:
        raise ValidationFailed(_("Give the reasons in full (at least 10 characters)."), code="reasons_too_short")
    transition(filing, "reject", actor=actor, workflow=FILING_FLOW, changes={"office_alerted_at": None})
    doc = Rejection.objects.create(
        filing=filing, number=_next_number(filing.office, local_date().year), reasons=reasons, issued_by=actor
    )
    record("newmedia.filing.rejection", actor=actor, obj=doc, org_unit=filing.unit,
           after={"filing": filing.pk, "number": doc.number})  # fmt: skip
    return doc


@transaction.atomic
def accept_filing(*, actor, filing) -> Filing:
    """The office accepts: an opening opens the account; a change, closing or cancellation is announced."""
    filing = lock_filing(filing)
    _guard(actor, filing, perm.may_review)
    outlet = lock_outlet(filing.outlet)
    if filing.kind == FilingKind.OPEN and outlet.name_approval in (NameApproval.PENDING, NameApproval.REFUSED):
        raise Conflict(
            _("The name contains a region or government-body name and needs the city's approval first (S2-15)."),
            code="name_not_approved",
        )
    today = local_date()
    changes = {"accepted_at": timezone.now(), "accepted_by": actor}
    if filing.kind != FilingKind.OPEN:
        until, effective = notice_dates(today, filing.unit)
        changes.update(notice_from=today, notice_until=until, effective_on=effective)
    filing = transition(filing, "accept", actor=actor, workflow=FILING_FLOW, changes=changes,
                        audit_after={"effective_on": str(changes.get("effective_on") or "")})  # fmt: skip
    if filing.kind == FilingKind.OPEN:
        effect_status(outlet, Status.OPEN)
        Filing.objects.filter(pk=filing.pk).update(effected_at=timezone.now())
    return filing


@transaction.atomic
def report_filing(*, actor, filing) -> Filing:
    """S1-3.2: the office records that it sent the filing to the provincial filing system."""
    filing = lock_filing(filing)
    _guard(actor, filing, perm.may_review)
    return transition(filing, "report", actor=actor, workflow=FILING_FLOW,
                      changes={"reported_at": timezone.now(), "reported_by": actor})  # fmt: skip


def _apply(filing: Filing) -> None:
    outlet = lock_outlet(filing.outlet)
    before = {"status": outlet.status, "host_unit": outlet.host_unit_id}
    if filing.kind == FilingKind.CHANGE:
        for key, value in filing.changes.items():
            if key == "host_unit":
                unit = OrgUnit.objects.get(pk=value)
                outlet.host_unit = unit
                outlet.verification_subject = unit.name
            elif key in ("name", "account_id", "url"):
                setattr(outlet, key, value)
        outlet.status = Status.OPEN
        outlet.save()
    else:
        effect_status(outlet, FINAL_STATUS[filing.kind])
    Filing.objects.filter(pk=filing.pk).update(effected_at=timezone.now())
    record("newmedia.outlet.effect", actor=None, obj=outlet, org_unit=outlet.host_unit, before=before,
           after={"status": outlet.status, "host_unit": outlet.host_unit_id, "filing": filing.pk})  # fmt: skip


def apply_due_notices(today: dt.date | None = None) -> int:
    """Filings whose notice has run take effect (idempotent; each in its own transaction)."""
    today = today or local_date()
    due = Filing.objects.filter(
        status__in=(F.ACCEPTED, F.REPORTED), effective_on__lte=today, effected_at__isnull=True
    ).exclude(kind=FilingKind.OPEN)
    n = 0
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            filing = Filing.objects.select_for_update().filter(pk=pk, effected_at__isnull=True).first()
            if filing is not None:
                _apply(Filing.objects.select_related("outlet").get(pk=pk))
                n += 1
    return n
