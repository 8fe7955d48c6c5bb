"""Replies: saving, signing off and sending a unit's reply."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.workflow.selectors import deadline_of, users_with_roles
from lvzhi.workflow.services import transition

from .. import permissions as perm
from ..models import Assignment, Classification, Contact, Proposal, Reply
from ..rules import rule
from ..selectors import proposer_side
from ..workflows import CO_FLOW, EVALUATE, LEAD_FLOW, PROPOSAL_FLOW, REPLY
from .common import CONTENT_MAX, A, _clean, _link
from .handling import _locked_assignment


def _current_round(proposal: Proposal) -> int:
    return proposal.rehandle_count + 1


@transaction.atomic
def save_reply(*, actor, assignment: Assignment, content: str, classification: str) -> Reply:
    """The lead unit drafts (or redrafts) its reply letter; a change after sign-off needs a new sign-off."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.role != Assignment.Role.LEAD:
        raise ValidationFailed(_("Only the lead unit replies; co-handling units send opinions."), code="not_lead")
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    if classification not in Classification.values:
        raise ValidationFailed(_("Choose the class of the reply (A, B, C or D)."), code="classification")
    content = _clean(
        content, limit=CONTENT_MAX, code="reply", multiline=True, required_message=_("Write the reply letter.")
    )
    proposal = assignment.proposal
    round_ = _current_round(proposal)
    reply = Reply.objects.select_for_update().filter(proposal=proposal, round=round_).first()
    if reply is not None and reply.status == Reply.Status.SENT:
        raise Conflict(_("The reply of this round was already sent."), code="reply_sent")
    before = None
    if reply is None:
        reply = Reply.objects.create(
            proposal=proposal,
            assignment=assignment,
            round=round_,
            content=content,
            classification=classification,
            drafted_by=actor,
        )
    else:
        before = {"classification": reply.classification, "signed": reply.status == Reply.Status.SIGNED}
        reply.assignment = assignment
        reply.content, reply.classification, reply.drafted_by = content, classification, actor
        reply.status, reply.signed_by, reply.signed_at = Reply.Status.DRAFT, None, None
        reply.save(
            update_fields=[
                "assignment",
                "content",
                "classification",
                "drafted_by",
                "status",
                "signed_by",
                "signed_at",
                "updated_at",
            ]
        )
    record(
        "proposals.reply.draft",
        actor=actor,
        obj=reply,
        org_unit=assignment.unit,
        before=before,
        after={"classification": classification, "round": round_, "length": len(content)},
    )
    heads = [u for u in users_with_roles(assignment.unit, [Role.HEAD]) if u.pk != actor.pk]
    notify(
        heads,
        title=_("Reply letter to sign off: %(title)s") % {"title": proposal.title},
        link=_link(proposal),
        event="proposals.reply.draft",
        obj=proposal,
    )
    return reply


def _locked_reply(reply: Reply) -> Reply:
    locked = (
        Reply.objects.select_for_update(of=("self",))
        .select_related("assignment__unit", "proposal__body", "proposal__office")
        .filter(pk=reply.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def sign_off_reply(*, actor, reply: Reply) -> Reply:
    """The head of the lead unit signs the reply letter off (签发); only then can it be sent."""
    reply = _locked_reply(reply)
    unit = reply.assignment.unit
    if not perm.works_at(actor, unit):
        raise NotFound()
    if not perm.is_unit_head(actor, unit):
        raise PermissionDenied(
            _("Only the head of the lead unit can sign off the reply letter."), code="head_sign_off_required"
        )
    if reply.status == Reply.Status.SENT:
        raise Conflict(_("The reply was already sent."), code="reply_sent")
    if reply.assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    reply.status, reply.signed_by, reply.signed_at = Reply.Status.SIGNED, actor, timezone.now()
    reply.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
    record(
        "proposals.reply.sign_off",
        actor=actor,
        obj=reply,
        org_unit=unit,
        before={"status": Reply.Status.DRAFT},
        after={"status": Reply.Status.SIGNED, "classification": reply.classification},
    )
    return reply


@transaction.atomic
def send_reply(*, actor, reply: Reply) -> Reply:
    """Send the signed-off reply to the proposer: the lead unit's and the item's handling end, the co-handling
    units' too, and the proposer's evaluation period starts (S4-2.2.4)."""
    reply = _locked_reply(reply)
    assignment = reply.assignment
    proposal = reply.proposal
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if reply.status == Reply.Status.SENT:
        raise Conflict(_("The reply was already sent."), code="reply_sent")
    if reply.status != Reply.Status.SIGNED or reply.signed_by_id is None:
        raise ValidationFailed(
            _("The reply letter has not been signed off by the head of the unit; it cannot be sent."),
            code="reply_not_signed",
        )
    if (
        rule(proposal.body, "proposals.contact_before_reply")
        and not Contact.objects.filter(assignment__proposal=proposal, assignment__unit=assignment.unit).exists()
    ):
        raise ValidationFailed(
            _("Record the contact with the proposer before sending the reply."), code="contact_required"
        )
    waiting = reply_waits_for_co_units(assignment)
    if waiting:
        raise ValidationFailed(
            _("The co-handling units must give their opinion first: %(units)s.") % {"units": "、".join(waiting)},
            code="co_opinion_required",
        )
    now = timezone.now()
    deadline = deadline_of(assignment, REPLY)
    on_time = deadline is not None and deadline.met_at is None and now < deadline.due_at
    changes = {"classification": reply.classification}
    if assignment.replied_at is None:
        changes.update(replied_at=now, replied_on_time=on_time)
    transition(
        assignment,
        "reply",
        actor=actor,
        workflow=LEAD_FLOW,
        changes=changes,
        audit_after={"classification": reply.classification, "round": reply.round, "on_time": on_time},
    )
    for co in proposal.assignments.filter(role=Assignment.Role.CO, status=A.HANDLING):
        transition(co, "close", actor=actor, workflow=CO_FLOW, changes={"ended_at": now})
    reply.status, reply.sent_at = Reply.Status.SENT, now
    reply.is_public = proposal.is_public
    reply.save(update_fields=["status", "sent_at", "is_public", "updated_at"])
    done = transition(
        proposal,
        "reply",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        changes={"replied_at": now},
        audit_after={"reply": reply.pk, "classification": reply.classification},
    )
    due = deadline_of(done, EVALUATE)
    notify(
        [done.proposer],
        title=_("Reply received: %(title)s") % {"title": done.title},
        body=_("%(unit)s replied. Please evaluate the reply by %(day)s.")
        % {"unit": assignment.unit.name, "day": due.last_day.isoformat()},
        link=_link(done),
        event="proposals.reply.sent",
        obj=done,
        sms=True,
    )
    others = [u for u in proposer_side(done) if u.pk != done.proposer_id]
    others += [p.proposer for p in done.merged.select_related("proposer")]
    notify(
        others,
        title=_("Reply received: %(title)s") % {"title": done.title},
        link=_link(done),
        event="proposals.reply.sent",
        obj=done,
    )
    return reply


def reply_waits_for_co_units(assignment: Assignment) -> list[str]:
    """Names of the co-handling units of the lead `assignment` that have not sent their opinion yet: the lead
    unit's reply closes the item, so it waits for them."""
    if assignment.role != Assignment.Role.LEAD:
        return []
    return list(
        Assignment.objects.filter(
            proposal_id=assignment.proposal_id, role=Assignment.Role.CO, status=Assignment.Status.HANDLING
        )
        .order_by("pk")
        .values_list("unit__name", flat=True)
    )
