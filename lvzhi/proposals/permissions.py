"""Who may do what with bills, suggestions and proposals: small predicates over role × unit × state.

- Proposers are deputies (congress) or members (CPPCC) holding that role at the body itself.
- The office is the staff and head of the body's proposals office (function `proposals_office`).
- Leaders (role `leader` at the body) see the body's items and supervise the key ones.
- Handling units are units of kind `handling_unit`; their staff hold `handling`, their head `head`.
- The three administrators (三员) see no business content at all.
Anything a user may not see is "not found", never "forbidden".
"""

from lvzhi.accounts.models import RoleAssignment
from lvzhi.accounts.permissions import active_assignments, has_any_role, has_role, may_read_business_content
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import BodyType, UnitKind

from .models import Assignment, CoSigner, Kind, Proposal

S = Proposal.Status
OFFICE_ROLES = (Role.STAFF, Role.HEAD)
UNIT_ROLES = (Role.HANDLING, Role.HEAD)
REVIEW_STATES = (S.SUBMITTED,)
PUBLISHABLE_STATES = (S.ACCEPTED, S.HANDLING, S.REPLIED, S.REHANDLING, S.CLOSED)


def _authed(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and may_read_business_content(user)


def proposer_role(body) -> str:
    """Deputies propose to a people's congress, members to a CPPCC committee."""
    return Role.DEPUTY if body.body_type == BodyType.CONGRESS else Role.MEMBER


def kinds_for(body) -> list[str]:
    return [Kind.BILL, Kind.SUGGESTION] if body.body_type == BodyType.CONGRESS else [Kind.PROPOSAL]


def is_member_of(user, body) -> bool:
    """`user` holds the deputy/member role at the body itself (not reached from a body above)."""
    if not _authed(user) or body is None:
        return False
    role = proposer_role(body)
    return any(a.role == role and a.unit_id == body.pk for a in active_assignments(user))


def user_is_member_of(user, body) -> bool:
    """The same for another user (a co-signer): an active, unfrozen account with the role at the body."""
    if user is None or not user.is_active or user.is_frozen:
        return False
    return RoleAssignment.objects.filter(
        user=user, role=proposer_role(body), unit=body, revoked_at__isnull=True
    ).exists()


def bodies_of(user) -> list:
    """The bodies where `user` may propose (CPPCC committees and congresses where they hold the role)."""
    if not _authed(user):
        return []
    found = {}
    for a in active_assignments(user):
        unit = a.unit
        if unit.kind == UnitKind.BODY and a.role == proposer_role(unit):
            found[unit.pk] = unit
    return sorted(found.values(), key=lambda u: u.path)


def is_proposer(user, proposal: Proposal) -> bool:
    return _authed(user) and user.pk == proposal.proposer_id


def cosigner_status(user, proposal: Proposal) -> str | None:
    if not _authed(user):
        return None
    cached = getattr(proposal, "_cosigner_status", {})
    if user.pk not in cached:
        cached[user.pk] = CoSigner.objects.filter(proposal=proposal, user=user).values_list("status", flat=True).first()
        proposal._cosigner_status = cached
    return cached[user.pk]


def is_office(user, proposal: Proposal) -> bool:
    return _authed(user) and proposal.office_id is not None and has_any_role(user, OFFICE_ROLES, proposal.office)


def is_leader(user, proposal: Proposal) -> bool:
    return _authed(user) and has_role(user, Role.LEADER, proposal.body)


def works_at(user, unit) -> bool:
    return _authed(user) and unit is not None and has_any_role(user, UNIT_ROLES, unit)


def is_unit_head(user, unit) -> bool:
    return _authed(user) and unit is not None and has_role(user, Role.HEAD, unit)


def unit_assignments(user, proposal: Proposal) -> list[Assignment]:
    """The item's assignments (not transferred away) at units where `user` works."""
    if not _authed(user):
        return []
    held = [a for a in active_assignments(user) if a.role in UNIT_ROLES]
    if not held:
        return []
    rows = proposal.assignments.exclude(status=Assignment.Status.TRANSFERRED).select_related("unit")
    return [a for a in rows if works_at(user, a.unit)]


def is_merged_proposer(user, proposal: Proposal) -> bool:
    """The proposer of an item that the office merged into this one follows it."""
    return _authed(user) and proposal.merged.filter(proposer=user).exists()


def may_view(user, proposal: Proposal) -> bool:
    if not _authed(user):
        return False
    if is_proposer(user, proposal):
        return True
    status = cosigner_status(user, proposal)
    if status in (CoSigner.Status.INVITED, CoSigner.Status.CONFIRMED):
        return True
    if proposal.status == S.DRAFT:
        return False
    if is_office(user, proposal) or is_leader(user, proposal):
        return True
    return bool(unit_assignments(user, proposal)) or is_merged_proposer(user, proposal)


# ---- actions on the item ------------------------------------------------------------------------------------


def may_edit(user, proposal: Proposal) -> bool:
    return proposal.status == S.DRAFT and is_proposer(user, proposal)


def may_submit(user, proposal: Proposal) -> bool:
    return is_proposer(user, proposal) and is_member_of(user, proposal.body)


def may_withdraw(user, proposal: Proposal) -> bool:
    return is_proposer(user, proposal)


def may_cosign(user, proposal: Proposal) -> bool:
    return proposal.status == S.DRAFT and cosigner_status(user, proposal) == CoSigner.Status.INVITED


def may_review(user, proposal: Proposal) -> bool:
    return is_office(user, proposal) and user.pk != proposal.proposer_id


def may_supervise(user, proposal: Proposal) -> bool:
    """Key supervision and public disclosure: the office, once the item is accepted."""
    return may_review(user, proposal) and proposal.status in PUBLISHABLE_STATES


def may_evaluate(user, proposal: Proposal) -> bool:
    return is_proposer(user, proposal)


def is_system(user, proposal) -> bool:
    """Steps that only `lvzhi tick` takes (no user)."""
    return user is None


# ---- actions on an assignment -------------------------------------------------------------------------------


def may_handle(user, assignment: Assignment) -> bool:
    return assignment.status == Assignment.Status.HANDLING and works_at(user, assignment.unit)


def may_office_assignment(user, assignment: Assignment) -> bool:
    return is_office(user, assignment.proposal)


def may_unit_or_office(user, assignment: Assignment) -> bool:
    return works_at(user, assignment.unit) or is_office(user, assignment.proposal)
