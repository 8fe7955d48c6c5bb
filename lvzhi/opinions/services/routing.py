"""Where a report goes (S0-15): the member's body, the handling office, the hotline, co-reporters."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import ValidationFailed
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind
from lvzhi.orgs.selectors import unit_by_function

from .. import rules


def member_body(user: User) -> OrgUnit:
    if user.unit_id is None or user.unit.body_id is None:
        raise ValidationFailed(
            _("Your account belongs to no body; please contact the information office."), code="no_body"
        )
    return user.unit.body


def handling_office_for(user: User) -> OrgUnit:
    """The office of the member's committee (MemberProfile at the member's body), else the members' liaison
    office of the body (S0-15)."""
    body = member_body(user)
    profile = MemberProfile.objects.filter(user=user, body=body, is_active=True).select_related("committee").first()
    if profile is not None and profile.committee is not None and profile.committee.is_active:
        return profile.committee
    office = unit_by_function(body, UnitFunction.LIAISON_OFFICE)
    if office is None:
        raise ValidationFailed(
            _("Your body has no members' liaison office to receive the report; please contact the information office."),
            code="no_handling_office",
        )
    return office


def hotline_of(body: OrgUnit) -> OrgUnit | None:
    return OrgUnit.objects.filter(body=body, kind=UnitKind.HOTLINE, is_active=True).order_by("sort_order", "pk").first()


def members_of_body_q(body: OrgUnit):
    """Users who are members or deputies of `body` (a profile there, or the role there)."""
    from django.db.models import Q

    profiles = MemberProfile.objects.filter(body=body, is_active=True).values("user_id")
    roles = RoleAssignment.objects.filter(
        unit=body, role__in=(Role.MEMBER, Role.DEPUTY), revoked_at__isnull=True
    ).values("user_id")
    return Q(pk__in=profiles) | Q(pk__in=roles)


def _clean_co_reporters(author: User, body: OrgUnit, ids: Iterable) -> list[User]:
    try:
        wanted = list(dict.fromkeys(int(i) for i in ids or ()))
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose co-reporters from the members of your body."), code="invalid_co_reporter")
    if len(wanted) > rules.CO_REPORTERS_MAX:
        raise ValidationFailed(
            _("At most %(n)s co-reporters.") % {"n": rules.CO_REPORTERS_MAX}, code="too_many_co_reporters"
        )
    if author.pk in wanted:
        raise ValidationFailed(_("You cannot name yourself as a co-reporter."), code="invalid_co_reporter")
    users = list(User.objects.filter(members_of_body_q(body), pk__in=wanted, is_active=True))
    if len(users) != len(wanted):
        raise ValidationFailed(_("Choose co-reporters from the members of your body."), code="invalid_co_reporter")
    return users
