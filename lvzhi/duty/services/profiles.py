"""People (人员管理, S3-4; seed 003 art. 4): the members' work committee enters a member's initial profile and ends
it when the member leaves; while serving, the member's own committee keeps it current. The profile is the
accounts module's MemberProfile; closing a leaver's account stays with the information office
(`accounts.services.deactivate_user`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.accounts import services as accounts
from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_mobile
from lvzhi.orgs.models import OrgUnit, UnitKind

from .. import permissions as perm
from .common import text
from .scoring import members_changed_committee


def _unit(body, unit_id, kind, code):
    if unit_id in (None, ""):
        return None
    unit = OrgUnit.objects.filter(pk=unit_id, body=body, kind=kind, is_active=True).first()
    if unit is None:
        raise ValidationFailed(_("Choose a unit of this body."), code=code)
    return unit


def _fields(body, data):
    return {
        "sector": _unit(body, data.get("sector"), UnitKind.SECTOR, "sector_invalid"),
        "committee": _unit(body, data.get("committee"), UnitKind.COMMITTEE, "committee_invalid"),
        "term": text(data.get("term"), field="term", label=_("The term"), max_length=40, required=False),
        "workplace": text(
            data.get("workplace"), field="workplace", label=_("The workplace and post"), max_length=200, required=False
        ),
    }


@transaction.atomic
def enter_profile(*, actor, body, phone, data: dict) -> MemberProfile:
    """The members' work committee enters the initial profile of a member whose account exists."""
    if not perm.is_liaison(actor, body):
        raise NotFound()
    phone = clean_mobile(phone)
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise ValidationFailed(
            _("No account has this mobile number; the information office registers it first."), code="phone_unknown"
        )
    if MemberProfile.objects.filter(user=user, body=body, is_active=True).exists():
        raise ValidationFailed(_("This member already has a profile here."), code="profile_exists")
    fields = _fields(body, data)
    profile = accounts.set_member_profile(actor=actor, user=user, body=body, **fields)
    if not profile.is_active:
        accounts.reactivate_member_profile(actor=actor, profile=profile)
    if not RoleAssignment.objects.filter(user=user, role=Role.MEMBER, unit=body, revoked_at__isnull=True).exists():
        accounts.grant_role(actor=actor, user=user, role=Role.MEMBER, unit=body)
    members_changed_committee(body=body, member=user)
    return profile


@transaction.atomic
def update_profile(*, actor, profile: MemberProfile, data: dict) -> MemberProfile:
    """The member's committee (or the members' work committee) keeps the profile current."""
    if not profile.is_active:
        raise NotFound()
    own_committee = profile.committee is not None and perm.works_at(actor, profile.committee)
    if not (own_committee or perm.is_liaison(actor, profile.body)):
        raise NotFound()
    fields = _fields(profile.body, data)
    if own_committee and not perm.is_liaison(actor, profile.body) and fields["committee"] != profile.committee:
        raise PermissionDenied(
            _("Moving a member to another committee is for the members' work committee."),
            code="committee_change_forbidden",
        )
    profile = accounts.set_member_profile(
        actor=actor, user=profile.user, body=profile.body, delegation=profile.delegation, **fields
    )
    members_changed_committee(body=profile.body, member=profile.user)
    return profile


@transaction.atomic
def retire_profile(*, actor, profile: MemberProfile, reason: str) -> MemberProfile:
    """The member left: the members' work committee ends the profile and the member role in this body. Their
    records and points stay (history)."""
    if not profile.is_active or not perm.is_liaison(actor, profile.body):
        raise NotFound()
    reason = text(reason, field="reason", label=_("The reason"), max_length=200)
    return accounts.end_member_profile(actor=actor, profile=profile, reason=reason)
