"""Assignment (交办): lead and co-handling units, key supervision, publication."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.permissions import has_role
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit, UnitKind
from lvzhi.workflow.selectors import deadline_of, users_with_roles
from lvzhi.workflow.services import start, transition

from .. import permissions as perm
from ..models import Assignment, Proposal, Reply
from ..rules import rule
from ..selectors import proposer_side, unit_people
from ..workflows import CO_FLOW, LEAD_FLOW, OPINION, PROPOSAL_FLOW, REPLY
from .common import CO_UNITS_MAX, _clean, _link, _locked, duty_changed


def _handling_unit(unit) -> OrgUnit:
    if unit is None or unit.kind != UnitKind.HANDLING_UNIT or not unit.is_active:
        raise ValidationFailed(_("Choose an active handling unit."), code="not_a_handling_unit")
    return unit


def _open_assignment(actor, proposal, unit, role, *, now, transferred_from=None) -> Assignment:
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                proposal=proposal,
                unit=unit,
                role=role,
                body_id=proposal.body_id,
                year=proposal.year,
                assigned_at=now,
                assigned_by=actor,
                transferred_from=transferred_from,
            )
    except IntegrityError:
        raise ValidationFailed(
            _("%(unit)s already handles this item.") % {"unit": unit.name}, code="unit_already_assigned"
        )
    flow = LEAD_FLOW if role == Assignment.Role.LEAD else CO_FLOW
    start(assignment, actor=actor, workflow=flow, event="assign", audit_after={"proposal": proposal.pk, "role": role})
    due = deadline_of(assignment, REPLY if role == Assignment.Role.LEAD else OPINION)
    if role == Assignment.Role.LEAD:
        title = _("New item to handle as lead unit: %(title)s")
        body = _("Contact the proposer and reply by %(day)s.")
    else:
        title = _("New item to co-handle: %(title)s")
        body = _("Send your opinion to the lead unit by %(day)s.")
    notify(
        unit_people(unit),
        title=title % {"title": proposal.title},
        body=body % {"day": due.last_day.isoformat()},
        link=_link(proposal),
        event="proposals.assignment.new",
        obj=proposal,
    )
    return assignment


@transaction.atomic
def assign(*, actor, proposal: Proposal, lead_unit: OrgUnit, co_units=()) -> Proposal:
    """Assign an accepted item to one lead unit and any co-handling units; each unit's clock starts now."""
    lead_unit = _handling_unit(lead_unit)
    co_units = list(dict.fromkeys(co_units or ()))
    if len(co_units) > CO_UNITS_MAX:
        raise ValidationFailed(_("At most %(n)s co-handling units.") % {"n": CO_UNITS_MAX}, code="too_many_co_units")
    for unit in co_units:
        _handling_unit(unit)
        if unit.pk == lead_unit.pk:
            raise ValidationFailed(_("The lead unit cannot also be a co-handling unit."), code="lead_also_co")
    now = timezone.now()
    done = transition(
        proposal,
        "assign",
        actor=actor,
        workflow=PROPOSAL_FLOW,
        changes={"assigned_at": now},
        audit_after={"lead": lead_unit.pk, "co": [u.pk for u in co_units]},
    )
    _open_assignment(actor, done, lead_unit, Assignment.Role.LEAD, now=now)
    for unit in co_units:
        _open_assignment(actor, done, unit, Assignment.Role.CO, now=now)
    names = "、".join([lead_unit.name, *[u.name for u in co_units]])
    notify(
        proposer_side(done),
        title=_("Assigned for handling: %(title)s") % {"title": done.title},
        body=_("Handled by %(units)s.") % {"units": names},
        link=_link(done),
        event="proposals.proposal.assign",
        obj=done,
    )
    return done


@transaction.atomic
def set_key_supervision(*, actor, proposal: Proposal, on: bool, note: str = "", leader=None) -> Proposal:
    """The office marks an item for the leaders' key supervision (重点督办), naming a leader or all of them."""
    proposal = _locked(proposal)
    if not perm.may_review(actor, proposal):
        raise NotFound() if not perm.may_view(actor, proposal) else PermissionDenied()
    if proposal.status not in perm.PUBLISHABLE_STATES:
        raise Conflict(_("Only accepted items can be put under key supervision."), code="not_accepted")
    note = _clean(note, limit=300, code="note")
    if leader is not None and not has_role(leader, Role.LEADER, proposal.body):
        raise ValidationFailed(_("Choose a leader of this body."), code="not_a_leader")
    before = {"key_supervision": proposal.key_supervision, "leader": proposal.supervising_leader_id}
    proposal.key_supervision = bool(on)
    proposal.supervision_note = note if on else ""
    proposal.supervising_leader = leader if on else None
    proposal.save(update_fields=["key_supervision", "supervision_note", "supervising_leader", "updated_at"])
    record(
        "proposals.proposal.supervise",
        actor=actor,
        obj=proposal,
        org_unit=proposal.body,
        before=before,
        after={
            "key_supervision": proposal.key_supervision,
            "leader": proposal.supervising_leader_id,
            "note_length": len(note or ""),
        },
    )
    if on:
        leaders = [leader] if leader is not None else users_with_roles(proposal.body, [Role.LEADER])
        notify(
            leaders,
            title=_("For your supervision: %(title)s") % {"title": proposal.title},
            body=note,
            link=_link(proposal),
            event="proposals.proposal.supervise",
            obj=proposal,
        )
    duty_changed(proposal)
    return proposal


@transaction.atomic
def publish(*, actor, proposal: Proposal, public: bool, with_replies: bool = True) -> Proposal:
    """The office discloses an item (and its sent replies) on the portal, or takes it down (S4-2.2.4)."""
    proposal = _locked(proposal)
    if not perm.may_review(actor, proposal):
        raise NotFound() if not perm.may_view(actor, proposal) else PermissionDenied()
    if public:
        if proposal.status not in perm.PUBLISHABLE_STATES:
            raise Conflict(_("Only accepted items can be disclosed."), code="not_accepted")
        if rule(proposal.body, "proposals.disclosure_needs_consent") and not proposal.disclosure_consent:
            raise ValidationFailed(
                _("The proposer did not agree to public disclosure of this item."), code="no_consent"
            )
    before = {"is_public": proposal.is_public}
    proposal.is_public = bool(public)
    proposal.published_at = timezone.now() if public else None
    proposal.save(update_fields=["is_public", "published_at", "updated_at"])
    replies = proposal.replies.filter(status=Reply.Status.SENT)
    changed = replies.update(is_public=bool(public and with_replies))
    record(
        "proposals.proposal.publish" if public else "proposals.proposal.unpublish",
        actor=actor,
        obj=proposal,
        org_unit=proposal.body,
        before=before,
        after={"is_public": proposal.is_public, "replies": changed if public and with_replies else 0},
    )
    return proposal
