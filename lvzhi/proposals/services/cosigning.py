"""Co-signers (附议): inviting, removing and answering an invitation."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.permissions import may_read_business_content
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.notify.services import notify

from .. import permissions as perm
from ..models import CoSigner, Proposal
from .common import S, _link, _locked


@transaction.atomic
def invite_cosigner(*, actor, proposal: Proposal, user: User) -> CoSigner:
    """Invite a deputy or member of the same body to co-sign; they confirm in the app."""
    proposal = _locked(proposal)
    if not perm.is_proposer(actor, proposal):
        raise NotFound()
    if proposal.status != S.DRAFT:
        raise Conflict(_("Co-signers can be invited only while the item is a draft."), code="not_a_draft")
    if user is None:
        raise ValidationFailed(_("Enter the mobile number or the name of the co-signer."), code="cosigner_required")
    if user.pk == proposal.proposer_id:
        raise ValidationFailed(_("You are the proposer; you cannot also co-sign."), code="cosigner_is_proposer")
    if not perm.user_is_member_of(user, proposal.body):
        from ..selectors import _not_member_message

        raise ValidationFailed(_not_member_message(proposal.body), code="cosigner_not_member")
    if CoSigner.objects.filter(proposal=proposal, user=user).exists():
        raise Conflict(
            _("%(name)s was already invited to co-sign this item.") % {"name": user.real_name},
            code="cosigner_twice",
        )
    try:
        with transaction.atomic():
            cosigner = CoSigner.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        raise Conflict(
            _("%(name)s was already invited to co-sign this item.") % {"name": user.real_name},
            code="cosigner_twice",
        )
    record("proposals.cosigner.invite", actor=actor, obj=proposal, org_unit=proposal.body, after={"user": user.pk})
    notify(
        [user],
        title=_("%(name)s asks you to co-sign: %(title)s") % {"name": actor.real_name, "title": proposal.title},
        body=_("Open it to confirm or decline."),
        link=_link(proposal),
        event="proposals.cosigner.invite",
        obj=proposal,
    )
    return cosigner


@transaction.atomic
def remove_cosigner(*, actor, proposal: Proposal, user_id: int) -> None:
    proposal = _locked(proposal)
    if not perm.is_proposer(actor, proposal):
        raise NotFound()
    if proposal.status != S.DRAFT:
        raise Conflict(_("Co-signers can be changed only while the item is a draft."), code="not_a_draft")
    deleted, _rows = CoSigner.objects.filter(proposal=proposal, user_id=user_id).delete()
    if not deleted:
        raise NotFound()
    record("proposals.cosigner.remove", actor=actor, obj=proposal, org_unit=proposal.body, before={"user": user_id})


@transaction.atomic
def respond_cosign(*, actor, proposal: Proposal, confirm: bool) -> CoSigner:
    """The invited deputy or member confirms (counts as co-signer) or declines."""
    proposal = _locked(proposal)
    cosigner = CoSigner.objects.select_for_update().filter(proposal=proposal, user=actor).first()
    if cosigner is None or not may_read_business_content(actor):
        raise NotFound()
    if proposal.status != S.DRAFT:
        raise Conflict(_("The item was already submitted or withdrawn."), code="not_a_draft")
    if cosigner.status != CoSigner.Status.INVITED:
        raise Conflict(_("You have already answered this invitation."), code="cosign_answered")
    if confirm and not perm.user_is_member_of(actor, proposal.body):
        raise ValidationFailed(_("Only deputies or members of this body can co-sign."), code="cosigner_not_member")
    cosigner.status = CoSigner.Status.CONFIRMED if confirm else CoSigner.Status.DECLINED
    cosigner.responded_at = timezone.now()
    cosigner.save(update_fields=["status", "responded_at"])
    record(
        "proposals.cosigner.confirm" if confirm else "proposals.cosigner.decline",
        actor=actor,
        obj=proposal,
        org_unit=proposal.body,
        before={"status": CoSigner.Status.INVITED},
        after={"status": cosigner.status},
    )
    title = _("%(name)s co-signs: %(title)s") if confirm else _("%(name)s declined to co-sign: %(title)s")
    notify(
        [proposal.proposer],
        title=title % {"name": actor.real_name, "title": proposal.title},
        link=_link(proposal),
        event="proposals.cosigner.answer",
        obj=proposal,
    )
    return cosigner


def signer_count(proposal: Proposal) -> int:
    """The proposer and the confirmed co-signers."""
    return 1 + proposal.cosigners.filter(status=CoSigner.Status.CONFIRMED).count()
