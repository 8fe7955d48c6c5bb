"""Role checks scoped to org units. Every app's predicates are built from these.

A user's active role assignments are read once per request and kept on the user object; between requests they are
kept in the shared cache under the version of `cache.WRITES_KEY` (every grant and revocation is audited, and every
audited write bumps that version on commit), so a revoked role is gone on the next request of every process.
"""

from django.db.models import Q
from django.utils import timezone

from lvzhi.core import cache
from lvzhi.orgs.models import OrgUnit

from .models import DataAccessGrant, RoleAssignment
from .roles import ADMIN_ROLES, Role


def active_assignments(user) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    memo = getattr(user, "_lvzhi_assignments", None)
    if memo is None:

        def load():
            return list(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).select_related("unit"))

        if getattr(user, "_lvzhi_roles_changed", False):  # changed in this transaction: not committed, not bumped yet
            memo = load()
        else:
            memo = cache.cached(cache.WRITES_KEY, load, timeout=600, variant=("accounts.roles", user.pk))
        user._lvzhi_assignments = memo
    return memo


def forget_assignments(user) -> None:
    """The user's roles changed: read them from the database from now on for this user object."""
    user._lvzhi_roles_changed = True
    if hasattr(user, "_lvzhi_assignments"):
        del user._lvzhi_assignments


def role_codes(user) -> set[str]:
    return {a.role for a in active_assignments(user)}


def has_role(user, role: str, unit: OrgUnit | None = None) -> bool:
    """Does the user hold `role`, at `unit` or at a unit above it that reaches down (any unit if None)?"""
    for assignment in active_assignments(user):
        if assignment.role != role:
            continue
        if unit is None or assignment.unit_id == unit.id:
            return True
        if assignment.include_descendants and unit.path.startswith(assignment.unit.path):
            return True
    return False


def has_any_role(user, roles, unit: OrgUnit | None = None) -> bool:
    return any(has_role(user, role, unit) for role in roles)


def units_q(user, role: str, field: str = "unit") -> Q:
    """A filter for rows whose `field` (an OrgUnit FK) lies where the user holds `role`. Empty if nowhere."""
    q = Q(pk__in=[])
    for assignment in active_assignments(user):
        if assignment.role != role:
            continue
        q |= Q(**{f"{field}_id": assignment.unit_id})
        if assignment.include_descendants:
            q |= Q(**{f"{field}__path__startswith": assignment.unit.path})
    return q


def admin_role(user) -> str | None:
    """The user's one administrator role (三员), if any."""
    for code in role_codes(user):
        if code in ADMIN_ROLES:
            return code
    return None


def is_administrator(user) -> bool:
    return admin_role(user) is not None


def may_read_business_content(user) -> bool:
    """The three administrators run the system; they do not read business content."""
    return getattr(user, "is_authenticated", False) and not is_administrator(user)


def may_read_audit_log(user) -> bool:
    return has_role(user, Role.AUDITADMIN)


def may_see_identity(user, subject) -> bool:
    """Full ID-card numbers: the subject themself and the information office over the subject's unit."""
    if user.pk == subject.pk:
        return True
    return subject.unit is not None and has_role(user, Role.INFO_OFFICE, subject.unit)


def manages_account(actor, subject) -> bool:
    """The information office over the subject's unit manages the subject's account (S0-2, S0-24)."""
    if actor is None or subject.unit is None or actor.pk == subject.pk:
        return False
    return has_role(actor, Role.INFO_OFFICE, subject.unit)


def may_freeze(actor, subject) -> bool:
    """Freezing and unfreezing (S0-24): the information office over the subject's unit, or the security
    administrator where that role reaches the subject's unit. Nobody freezes themself."""
    if actor is None or subject.unit is None or actor.pk == subject.pk:
        return False
    return has_any_role(actor, (Role.INFO_OFFICE, Role.SECADMIN), subject.unit)


# ---- S0-4: operators' access to business data -------------------------------------------------------------------


def data_grant_covers(grant, *, body, access: str, target: str, at) -> bool:
    """Does an approved grant allow `access` ("query"/"change") to `target` ("app.model" or "app.model:id") in
    `body` at the moment `at`? A grant on a model covers each of its objects; a change grant covers queries."""
    if grant.status != "approved" or grant.valid_until is None or grant.valid_until <= at:
        return False
    if access not in (grant.access, "query"):
        return False
    if grant.body_id != body.pk and grant.body_id not in body.ancestor_ids():
        return False
    return target == grant.target or target.startswith(grant.target + ":")


def active_data_grant(user, *, body, access: str, target: str, at=None):
    """The operator's approved, unexpired grant that covers the access, or None."""

    at = at or timezone.now()
    grants = DataAccessGrant.objects.filter(
        requester_id=getattr(user, "pk", None), status=DataAccessGrant.Status.APPROVED, valid_until__gt=at
    )
    for grant in grants:
        if data_grant_covers(grant, body=body, access=access, target=target, at=at):
            return grant
    return None


def may_access_business_data(user, *, body, access: str = "query", target: str) -> bool:
    """S0-4, a predicate for any module: an operator (one of the three administrators) may query or change
    business data outside their own cases only under an approved, unexpired grant of the information office;
    for everybody else this rule does not restrict (their business permissions decide)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not is_administrator(user):
        return True
    return active_data_grant(user, body=body, access=access, target=target) is not None


def may_decide_data_grant(user, grant) -> bool:
    """The information office of the grant's body decides; never the requester."""
    return (
        getattr(user, "is_authenticated", False)
        and user.pk != grant.requester_id
        and not is_administrator(user)
        and has_role(user, Role.INFO_OFFICE, grant.body)
    )
