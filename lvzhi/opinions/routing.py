"""Where a member's report goes: the office that can take its next step, the hotline, the transfer targets (S0-15).

Reads only; `selectors` re-exports them.
"""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import ValidationFailed
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow.selectors import users_with_roles

from .models import Report


def member_body(user: User) -> OrgUnit:
    if user.unit_id is None or user.unit.body_id is None:
        raise ValidationFailed(
            _("Your account belongs to no body; please contact the information office."), code="no_body"
        )
    return user.unit.body


def has_office_staff(unit: OrgUnit, *, besides: User | None = None) -> bool:
    """Whether someone (other than `besides`) holds the office-staff role at `unit`: who takes a report's next
    step (accept, forward, handle)."""
    return any(u.pk != getattr(besides, "pk", None) for u in users_with_roles(unit, [Role.STAFF]))


def route_for(user: User) -> tuple[OrgUnit, OrgUnit | None]:
    """(office, passed-over committee): the office of the member's committee (MemberProfile at the member's body)
    when someone there can take the report, else the members' liaison office of the body (S0-15), with the
    committee it passed over (None when the member has no committee). A report never goes where nobody can take
    its next step: if the liaison office has no staff either, it is refused with a clear message."""
    body = member_body(user)
    profile = MemberProfile.objects.filter(user=user, body=body, is_active=True).select_related("committee").first()
    committee = profile.committee if profile is not None and profile.committee_id else None
    if committee is not None and committee.is_active and has_office_staff(committee, besides=user):
        return committee, None
    office = unit_by_function(body, UnitFunction.LIAISON_OFFICE)
    if office is None or not has_office_staff(office, besides=user):
        raise ValidationFailed(
            _(
                "Nobody in your body's offices can receive the report yet; please contact the information office. "
                "Your draft is kept."
            ),
            code="no_handling_office",
        )
    return office, committee if committee is not None and committee.pk != office.pk else None


def handling_office_for(user: User) -> OrgUnit:
    """The office a report of `user` goes to now (see `route_for`)."""
    return route_for(user)[0]


def hotline_of(body: OrgUnit) -> OrgUnit | None:
    return OrgUnit.objects.filter(body=body, kind=UnitKind.HOTLINE, is_active=True).order_by("sort_order", "pk").first()


def members_of_body_q(body: OrgUnit):
    """Users who are members or deputies of `body` (a profile there, or the role there)."""

    profiles = MemberProfile.objects.filter(body=body, is_active=True).values("user_id")
    roles = RoleAssignment.objects.filter(
        unit=body, role__in=(Role.MEMBER, Role.DEPUTY), revoked_at__isnull=True
    ).values("user_id")
    return Q(pk__in=profiles) | Q(pk__in=roles)


def transfer_targets(report: Report):
    """The committees of the report's body it may be transferred to (not the one that has it, nor one where
    nobody holds the office-staff role: a report never goes where nobody can take it)."""
    staffed = RoleAssignment.objects.filter(
        unit=OuterRef("pk"), role=Role.STAFF, revoked_at__isnull=True, user__is_active=True, user__is_frozen=False
    )
    return (
        OrgUnit.objects.filter(Q(kind=UnitKind.COMMITTEE) | Q(function=UnitFunction.LIAISON_OFFICE))
        .filter(Exists(staffed), body_id=report.body_id, is_active=True)
        .exclude(pk=report.committee_id)
        .order_by("sort_order", "path")
    )
