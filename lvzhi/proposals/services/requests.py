"""Extension and transfer requests of a handling unit, and their decision."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import start_of_day
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit
from lvzhi.workflow.selectors import deadline_of
from lvzhi.workflow.services import transition

from .. import permissions as perm
from ..models import Assignment, UnitRequest
from ..rules import rule
from ..selectors import latest_extension_day, office_people, proposer_side, unit_people
from ..workflows import OPINION, REPLY, flow_for
from .assignment import _handling_unit, _open_assignment
from .common import REASON_MAX, A, _clean, _link, _reason
from .handling import _locked_assignment


@transaction.atomic
def request_extension(*, actor, assignment: Assignment, until: dt.date, reason: str) -> UnitRequest:
    """The unit asks the office for more time (at most six months from the assignment), with a reason."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    reason = _reason(reason, message=_("Give the reason for the extension."))
    kind = REPLY if assignment.role == Assignment.Role.LEAD else OPINION
    deadline = deadline_of(assignment, kind)
    if not isinstance(until, dt.date):
        raise ValidationFailed(_("Enter the new time limit."), code="extension_date")
    if deadline is None or deadline.met_at is not None or until <= deadline.last_day:
        raise ValidationFailed(_("The new time limit must be later than the current one."), code="extension_not_later")
    latest = latest_extension_day(assignment)
    if until > latest:
        raise ValidationFailed(
            _("An extension can reach %(day)s at the latest (%(n)s months from the assignment).")
            % {"day": latest.isoformat(), "n": rule(assignment.proposal.body, "proposals.max_months")},
            code="extension_too_long",
        )
    return _new_request(actor, assignment, UnitRequest.Kind.EXTENSION, reason, requested_until=until)


@transaction.atomic
def request_transfer(*, actor, assignment: Assignment, reason: str, suggested_unit: OrgUnit | None = None):
    """The unit says the item is not its business (转办) and asks the office to reassign it, with a reason."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    reason = _reason(reason, message=_("Give the reason for the transfer."))
    if suggested_unit is not None:
        _handling_unit(suggested_unit)
        if suggested_unit.pk == assignment.unit_id:
            raise ValidationFailed(_("An item cannot be transferred to the same unit."), code="transfer_same_unit")
    return _new_request(actor, assignment, UnitRequest.Kind.TRANSFER, reason, suggested_unit=suggested_unit)


def _new_request(actor, assignment, kind, reason, **fields) -> UnitRequest:
    proposal = assignment.proposal
    if UnitRequest.objects.filter(assignment=assignment, status=UnitRequest.Status.PENDING).exists():
        raise Conflict(_("A request of this unit is already waiting for the office."), code="request_pending")
    try:
        with transaction.atomic():
            request = UnitRequest.objects.create(
                assignment=assignment,
                proposal=proposal,
                office=proposal.office,
                kind=kind,
                reason=reason,
                requested_by=actor,
                **fields,
            )
    except IntegrityError:
        raise Conflict(_("A request of this unit is already waiting for the office."), code="request_pending")
    record(
        f"proposals.request.{kind}",
        actor=actor,
        obj=request,
        org_unit=assignment.unit,
        after={
            "assignment": assignment.pk,
            "reason_length": len(reason or ""),  # references and sizes only: no business text in the audit log
            "until": fields.get("requested_until"),
            "suggested_unit": getattr(fields.get("suggested_unit"), "pk", None),
        },
    )
    title = (
        _("Extension requested by %(unit)s: %(title)s")
        if kind == UnitRequest.Kind.EXTENSION
        else _("Transfer requested by %(unit)s: %(title)s")
    )
    notify(
        office_people(proposal),
        title=title % {"unit": assignment.unit.name, "title": proposal.title},
        body=reason,
        link=_link(proposal),
        event="proposals.request.new",
        obj=proposal,
    )
    return request


def _extend(actor, request: UnitRequest, assignment: Assignment, flow) -> None:
    kind = REPLY if assignment.role == Assignment.Role.LEAD else OPINION
    transition(
        assignment,
        "extend",
        actor=actor,
        workflow=flow,
        comment=request.reason,
        changes={"extended": True},
        reschedule={kind: start_of_day(request.requested_until + dt.timedelta(days=1))},
        data={"request": request.pk},
    )


def _transfer(actor, request: UnitRequest, assignment: Assignment, flow, new_unit, *, now) -> OrgUnit:
    new_unit = _handling_unit(new_unit or request.suggested_unit)
    if new_unit.pk == assignment.unit_id:
        raise ValidationFailed(_("An item cannot be transferred to the same unit."), code="transfer_same_unit")
    transition(
        assignment,
        "transfer",
        actor=actor,
        workflow=flow,
        comment=request.reason,
        changes={"ended_at": now},
        data={"request": request.pk, "to": new_unit.pk},
        audit_after={"to": new_unit.pk},
    )
    _open_assignment(actor, request.proposal, new_unit, assignment.role, now=now, transferred_from=assignment)
    return new_unit


def _tell_of_decision(request: UnitRequest, assignment: Assignment, *, approve: bool, note: str, new_unit) -> None:
    if request.kind == UnitRequest.Kind.EXTENSION:
        title = _("Extension approved: %(title)s") if approve else _("Extension not approved: %(title)s")
    else:
        title = _("Transfer approved: %(title)s") if approve else _("Transfer not approved: %(title)s")
    notify(
        unit_people(assignment.unit),
        title=title % {"title": request.proposal.title},
        body=note,
        link=_link(request.proposal),
        event="proposals.request.decided",
        obj=request.proposal,
    )
    if approve and request.kind == UnitRequest.Kind.TRANSFER:
        notify(
            proposer_side(request.proposal),
            title=_("Handling unit changed: %(title)s") % {"title": request.proposal.title},
            body=_("Now handled by %(unit)s.") % {"unit": new_unit.name},
            link=_link(request.proposal),
            event="proposals.assignment.transfer",
            obj=request.proposal,
        )


@transaction.atomic
def decide_request(
    *, actor, request: UnitRequest, approve: bool, note: str = "", new_unit: OrgUnit | None = None
) -> UnitRequest:
    """The office approves or rejects a unit's request. An approved extension moves the unit's time limit; an
    approved transfer ends the unit's assignment and opens one for `new_unit`, whose clock starts afresh."""
    request = (
        UnitRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__unit", "proposal__body", "proposal__office")
        .filter(pk=request.pk)
        .first()
    )
    if request is None or not perm.is_office(actor, request.proposal):
        raise NotFound()
    if request.status != UnitRequest.Status.PENDING:
        raise Conflict(_("This request was already decided."), code="request_decided")
    note = _clean(note, limit=REASON_MAX, code="note")
    if not approve and not note:
        raise ValidationFailed(_("Give the reason for rejecting the request."), code="reason_required")
    assignment = request.assignment
    flow = flow_for(assignment)
    now = timezone.now()
    if approve and request.kind == UnitRequest.Kind.EXTENSION:
        _extend(actor, request, assignment, flow)
    elif approve:
        new_unit = _transfer(actor, request, assignment, flow, new_unit, now=now)
    request.status = UnitRequest.Status.APPROVED if approve else UnitRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = actor, now, note
    request.new_unit = new_unit if approve and request.kind == UnitRequest.Kind.TRANSFER else None
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "new_unit"])
    record(
        f"proposals.request.{'approve' if approve else 'reject'}",
        actor=actor,
        obj=request,
        org_unit=request.office_id,
        before={"status": UnitRequest.Status.PENDING},
        after={"status": request.status, "note_length": len(note or ""), "new_unit": request.new_unit_id},
    )
    _tell_of_decision(request, assignment, approve=approve, note=note, new_unit=new_unit)
    return request
