"""Review (审查/立案): accept, not accept, merge, convert."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.workflow.services import transition

from .. import permissions as perm
from ..models import Counter, Kind, Proposal
from ..selectors import proposer_side
from ..workflows import PROPOSAL_FLOW
from .common import REASON_MAX, S, _clean, _link, _locked, _reason, duty_changed


def _next_number(body, year: int, kind: str) -> int:
    counter, _created = Counter.objects.get_or_create(body=body, year=year, kind=kind)
    Counter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return Counter.objects.values_list("last", flat=True).get(pk=counter.pk)


@transaction.atomic
def accept(*, actor, proposal: Proposal, note: str = "") -> Proposal:
    """Accept (立案) a submitted item; it gets its registration number. Of two clerks at once, one wins."""
    note = _clean(note, limit=REASON_MAX, code="note")
    locked = _locked(proposal)  # first: the second clerk waits here, then sees the item accepted
    if not perm.may_review(actor, locked):
        raise PermissionDenied() if perm.may_view(actor, locked) else NotFound()
    if locked.status != S.SUBMITTED:
        raise Conflict(
            _("This step is not possible in the current state; the case may have been handled meanwhile."),
            code="transition_not_allowed",
        )
    number = _next_number(locked.body, locked.year, locked.kind)
    done = transition(
        locked,
        "accept",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=note,
        changes={"number": number, "accepted_at": timezone.now(), "decision_note": note},
        audit_after={"number": number},
    )
    notify(
        proposer_side(done),
        title=_("Accepted: %(title)s") % {"title": done.title},
        body=_("Registered as %(ref)s; it will be assigned to the handling units.") % {"ref": done.reference},
        link=_link(done),
        event="proposals.proposal.accept",
        obj=done,
    )
    duty_changed(done)
    return done


@transaction.atomic
def not_accept(*, actor, proposal: Proposal, reason: str) -> Proposal:
    reason = _reason(reason, message=_("Give the reason for not accepting the item."))
    done = transition(
        proposal,
        "not_accept",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=reason,
        changes={"decision_note": reason, "closed_at": timezone.now()},
        audit_after={"reason_length": len(reason or "")},
    )
    notify(
        proposer_side(done),
        title=_("Not accepted: %(title)s") % {"title": done.title},
        body=reason,
        link=_link(done),
        event="proposals.proposal.not_accept",
        obj=done,
    )
    duty_changed(done)
    return done


MERGE_TARGET_STATES = (S.SUBMITTED, S.ACCEPTED, S.HANDLING)


@transaction.atomic
def merge(*, actor, proposal: Proposal, into: Proposal, note: str = "") -> Proposal:
    """Merge a submitted item into a similar one of the same body (并案); both proposers are told."""
    note = _clean(note, limit=REASON_MAX, code="note")
    if into is not None and into.pk == proposal.pk:
        raise ValidationFailed(_("Choose another item to merge into."), code="merge_into_itself")
    # A missing item and another body's item get the same answer: merging must not reveal which ids exist.
    target = Proposal.objects.select_for_update().filter(pk=into.pk).first() if into is not None else None
    if target is None or target.body_id != proposal.body_id or not perm.may_review(actor, target):
        raise ValidationFailed(_("Choose an item of the same body to merge into."), code="merge_other_body")
    if target.kind != proposal.kind:
        raise ValidationFailed(_("Only items of the same kind can be merged."), code="merge_other_kind")
    if target.status not in MERGE_TARGET_STATES:
        raise ValidationFailed(
            _("The item to merge into must be under review, accepted or being handled."), code="merge_target_state"
        )
    done = transition(
        proposal,
        "merge",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=note,
        changes={"merged_into": target, "decision_note": note, "closed_at": timezone.now()},
        audit_after={"merged_into": target.pk},
    )
    record(
        "proposals.proposal.merged_in",
        actor=actor,
        obj=target,
        org_unit=target.body_id,
        after={"merged": done.pk},
    )
    notify(
        proposer_side(done),
        title=_("Merged with a similar item: %(title)s") % {"title": done.title},
        body=_("Your item was merged into “%(other)s” and is handled with it; you will see its reply.")
        % {"other": target.title},
        link=_link(target),
        event="proposals.proposal.merge",
        obj=done,
    )
    notify(
        proposer_side(target),
        title=_("A similar item was merged into yours: %(title)s") % {"title": target.title},
        body=_("“%(other)s” by %(name)s is handled together with your item.")
        % {"other": done.title, "name": done.proposer.real_name},
        link=_link(target),
        event="proposals.proposal.merge",
        obj=target,
    )
    duty_changed(done)
    return done


@transaction.atomic
def convert(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """A bill that does not qualify is handled as a suggestion (Deputies Law); a proposal or suggestion that does
    not qualify is turned into an opinion letter (转为意见/来信) for the units' reference."""
    reason = _reason(reason, message=_("Give the reason for the conversion."))
    if proposal.kind == Kind.BILL:
        done = transition(
            proposal,
            "convert_to_suggestion",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=reason,
            changes={"kind": Kind.SUGGESTION, "converted_from": Kind.BILL, "decision_note": reason},
            audit_before={"kind": Kind.BILL},
            audit_after={"kind": Kind.SUGGESTION, "reason_length": len(reason or "")},
        )
        title = _("Your bill will be handled as a suggestion: %(title)s")
    else:
        done = transition(
            proposal,
            "convert",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=reason,
            changes={"decision_note": reason, "closed_at": timezone.now()},
            audit_after={"reason_length": len(reason or "")},
        )
        title = _("Turned into an opinion letter: %(title)s")
    notify(
        proposer_side(done),
        title=title % {"title": done.title},
        body=reason,
        link=_link(done),
        event="proposals.proposal.convert",
        obj=done,
    )
    return done
