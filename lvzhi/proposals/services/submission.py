"""Submitting a proposal and withdrawing it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify
from lvzhi.workflow.services import transition

from .. import permissions as perm
from ..models import CoSigner, Kind, Proposal
from ..rules import rule
from ..selectors import office_of, office_people, signer_count
from ..similar import index_item
from ..workflows import PROPOSAL_FLOW
from .common import REASON_MAX, S, _category, _clean, _link, _locked, duty_changed


@transaction.atomic
def submit(*, actor, proposal: Proposal) -> Proposal:
    """Submit a draft to the body's proposals office (S4-2.2.4). Checks the body's rules for the kind of item."""
    proposal = _locked(proposal)
    if not perm.is_proposer(actor, proposal):
        raise NotFound()
    body = proposal.body
    if not perm.is_member_of(actor, body):
        raise PermissionDenied(_("You are no longer a deputy or member of this body."), code="not_a_member")
    if proposal.status != S.DRAFT:
        raise Conflict(_("The item was already submitted."), code="transition_not_allowed")
    office = proposal.office or office_of(body)
    if office is None:
        raise ValidationFailed(
            _("This body has no proposals office yet; please contact its general office."), code="no_office"
        )
    _category(proposal.category, body=body, required=True)
    in_session = rule(body, "proposals.in_session")
    if proposal.kind == Kind.BILL:
        if rule(body, "proposals.bill_needs_session") and not in_session:
            raise ValidationFailed(
                _("Bills can be submitted only during the session; submit it as a suggestion instead."),
                code="bill_outside_session",
            )
        needed = rule(body, "proposals.bill_min_signers")
        by_delegation = proposal.by_delegation_id is not None and rule(body, "proposals.bill_by_delegation")
        if not by_delegation and signer_count(proposal) < needed:
            raise ValidationFailed(
                _("A bill needs %(n)s deputies (you included) or a delegation; %(have)s have confirmed so far.")
                % {"n": needed, "have": signer_count(proposal)},
                code="not_enough_signers",
            )
    now = timezone.now()
    signers = signer_count(proposal)
    done = transition(
        proposal,
        "submit",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        changes={
            "office": office,
            "submitted_at": now,
            "year": local_date(now).year,
            "during_session": bool(in_session),
            "session_name": rule(body, "proposals.session_name")[:80],
        },
        audit_after={"signers": signers, "during_session": bool(in_session)},
    )
    index_item(done)  # matched by the similar-item suggestion (proposals.similar)
    # Invitations nobody answered lapse with the submission.
    CoSigner.objects.filter(proposal=done, status=CoSigner.Status.INVITED).update(
        status=CoSigner.Status.DECLINED, responded_at=now
    )
    notify(
        [u for u in office_people(done) if u.pk != actor.pk],
        title=_("New %(kind)s to review: %(title)s") % {"kind": done.get_kind_display(), "title": done.title},
        link=_link(done),
        event="proposals.proposal.submit",
        obj=done,
    )
    duty_changed(done)
    return done


@transaction.atomic
def withdraw(*, actor, proposal: Proposal, reason: str = "") -> Proposal:
    reason = _clean(reason, limit=REASON_MAX, code="reason")
    done = transition(
        proposal, "withdraw", actor=actor, workflow=PROPOSAL_FLOW, comment=reason, changes={"closed_at": timezone.now()}
    )
    if proposal.status == S.SUBMITTED:
        notify(
            office_people(done),
            title=_("Withdrawn by the proposer: %(title)s") % {"title": done.title},
            body=reason,
            link=_link(done),
            event="proposals.proposal.withdraw",
            obj=done,
        )
    duty_changed(done)
    return done
