"""The proposer's evaluation, rehandling and recording a missing evaluation."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.workflow.selectors import deadline_of
from lvzhi.workflow.services import transition

from .. import permissions as perm
from ..models import Assignment, Evaluation, Proposal, Rating, Reply
from ..rules import rule
from ..workflows import LEAD_FLOW, PROPOSAL_FLOW, REPLY
from .common import NOTE_MAX, A, S, _clean, _link, _locked, _reason, office_people, unit_people


def _lead_assignment(proposal: Proposal) -> Assignment | None:
    return (
        proposal.assignments.filter(role=Assignment.Role.LEAD)
        .exclude(status__in=[A.TRANSFERRED, A.CLOSED])
        .select_related("unit")
        .first()
    )


def rehandlings_left(proposal: Proposal) -> int:
    allowed = rule(proposal.body, "proposals.rehandle_max") + proposal.rehandle_allowance
    return max(allowed - proposal.rehandle_count, 0)


def _rehandle_lead(actor, proposal: Proposal, comment: str) -> None:
    lead = _lead_assignment(proposal)
    if lead is None:
        raise Conflict(_("The item has no lead unit to handle it again."), code="no_lead_unit")
    transition(lead, "rehandle", actor=actor, workflow=LEAD_FLOW, comment=comment, changes={"rating": ""})
    due = deadline_of(lead, REPLY)
    notify(
        unit_people(lead.unit) + office_people(proposal),
        title=_("To be handled again: %(title)s") % {"title": proposal.title},
        body=_("The proposer is not satisfied: %(comment)s. Reply again by %(day)s.")
        % {"comment": comment, "day": due.last_day.isoformat()},
        link=_link(proposal),
        event="proposals.proposal.rehandle",
        obj=proposal,
    )


@transaction.atomic
def evaluate(*, actor, proposal: Proposal, rating: str, comment: str = "") -> Evaluation:
    """The proposer rates the reply. 不满意 sends it back for re-handling (one month), at most `rehandle_max` times
    unless the office decides otherwise."""
    if rating not in (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED):
        raise ValidationFailed(_("Choose satisfied, basically satisfied or unsatisfied."), code="rating")
    comment = _clean(comment, limit=NOTE_MAX, code="comment", multiline=True)
    if rating == Rating.UNSATISFIED and not comment:
        raise ValidationFailed(_("Say what is unsatisfactory about the reply."), code="comment_required")
    locked = _locked(proposal)
    if not perm.is_proposer(actor, locked):
        raise NotFound() if not perm.may_view(actor, locked) else PermissionDenied()
    if locked.status != S.REPLIED:
        raise Conflict(_("There is no reply waiting for your evaluation."), code="transition_not_allowed")
    reply = locked.replies.filter(status=Reply.Status.SENT).order_by("-round").first()
    now = timezone.now()
    evaluation = Evaluation.objects.create(
        proposal=locked, reply=reply, round=reply.round, rating=rating, comment=comment, by=actor, at=now
    )
    lead = reply.assignment
    Assignment.objects.filter(pk=lead.pk).update(rating=rating)
    if rating == Rating.UNSATISFIED and rehandlings_left(locked) > 0:
        evaluation.proposal = transition(
            locked,
            "rehandle",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=comment,
            changes={"rating": rating, "rehandle_count": locked.rehandle_count + 1},
            audit_after={"rating": rating},
        )
        _rehandle_lead(actor, locked, comment)
    else:
        done = transition(
            locked,
            "close",
            actor=actor,
            workflow=PROPOSAL_FLOW,
            comment=comment,
            changes={"rating": rating, "closed_at": now},
            audit_after={"rating": rating},
        )
        evaluation.proposal = done
        notify(
            unit_people(lead.unit) + office_people(done),
            title=_("Evaluated as %(rating)s: %(title)s") % {"rating": Rating(rating).label, "title": done.title},
            body=comment,
            link=_link(done),
            event="proposals.proposal.evaluate",
            obj=done,
        )
    return evaluation


@transaction.atomic
def allow_rehandling(*, actor, proposal: Proposal, reason: str) -> Proposal:
    """The office decides that a closed, unsatisfied item is handled once more (beyond the usual limit)."""
    reason = _reason(reason, message=_("Give the reason for handling it again."))
    locked = _locked(proposal)
    if not perm.may_review(actor, locked):
        raise NotFound() if not perm.may_view(actor, locked) else PermissionDenied()
    if locked.status != S.CLOSED or locked.rating not in (Rating.UNSATISFIED, Rating.NONE):
        raise Conflict(
            _("Only a closed item whose reply was not found satisfactory can be handled again."),
            code="transition_not_allowed",
        )
    done = transition(
        locked,
        "reopen",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        comment=reason,
        changes={
            "rehandle_allowance": locked.rehandle_allowance + 1,
            "rehandle_count": locked.rehandle_count + 1,
            "closed_at": None,
        },
    )
    _rehandle_lead(actor, done, reason)
    return done


@transaction.atomic
def record_missing_evaluation(*, proposal: Proposal, now=None) -> Evaluation | None:
    """No evaluation came within the period: record "no evaluation" (not "satisfied") and close. Run by tick."""
    locked = Proposal.objects.select_for_update().filter(pk=proposal.pk, status=S.REPLIED).first()
    if locked is None:
        return None
    reply = locked.replies.filter(status=Reply.Status.SENT).order_by("-round").first()
    if reply is None or Evaluation.objects.filter(reply=reply).exists():
        return None
    now = now or timezone.now()
    evaluation = Evaluation.objects.create(
        proposal=locked, reply=reply, round=reply.round, rating=Rating.NONE, by=None, at=now
    )
    Assignment.objects.filter(pk=reply.assignment_id).update(rating=Rating.NONE)
    transition(
        locked,
        "lapse",
        actor=None,
        workflow=PROPOSAL_FLOW,
        changes={"rating": Rating.NONE, "closed_at": now},
        audit_after={"rating": Rating.NONE},
    )
    return evaluation
