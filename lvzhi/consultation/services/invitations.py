"""Inviting members and units to a meeting; their inbox notice (and, if asked, a text message)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, User
from lvzhi.audit.services import record as audit
from lvzhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit

from .. import permissions as perm
from .. import rules
from ..models import Invitation, Meeting


def _ids(values, code) -> set[int]:
    out = set()
    for v in values or []:
        try:
            n = int(v)
        except (TypeError, ValueError):
            raise ValidationFailed(_("An invitee is not valid."), code=code) from None
        if n <= 0 or n > 2**31:
            raise ValidationFailed(_("An invitee is not valid."), code=code)
        out.add(n)
    return out


def _body_q(body) -> Q:
    return Q(unit=body) | Q(unit__body=body)


def invitee_ids(*, body, user_ids=(), unit_ids=()) -> set[int]:
    """The users of `body` named directly or through a unit (its members by committee, sector or delegation, and
    the people working there). An id outside the body is refused like an unknown one."""
    users = _ids(user_ids, "invitee_unknown")
    units = _ids(unit_ids, "unit_unknown")
    found = set(User.objects.filter(_body_q(body), pk__in=users, is_active=True).values_list("pk", flat=True))
    if found != users:
        raise ValidationFailed(_("An invitee is not a person of this body."), code="invitee_unknown")
    unit_rows = set(OrgUnit.objects.filter(pk__in=units, body=body).values_list("pk", flat=True))
    if unit_rows != units:
        raise ValidationFailed(_("A unit is not a unit of this body."), code="unit_unknown")
    if units:
        found |= set(
            MemberProfile.objects.filter(Q(committee__in=units) | Q(sector__in=units) | Q(delegation__in=units))
            .filter(body=body, is_active=True, user__is_active=True)
            .values_list("user_id", flat=True)
        )
        found |= set(User.objects.filter(unit__in=units, is_active=True).values_list("pk", flat=True))
    return found


@transaction.atomic
def invite(*, actor, meeting, user_ids=(), unit_ids=(), sms=False) -> int:
    """Invite people and units; returns how many were newly invited. Notices go out once the meeting is
    scheduled (at once, or when the application is approved)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not perm.may_view(actor, meeting):
        raise NotFound()
    if not perm.is_host(actor, meeting):
        raise PermissionDenied()
    if not perm.may_invite(actor, meeting):
        raise ValidationFailed(_("Invitations are closed for this meeting."), code="invite_closed")
    wanted = invitee_ids(body=meeting.body, user_ids=user_ids, unit_ids=unit_ids)
    if not wanted:
        raise ValidationFailed(_("Choose at least one person or unit to invite."), code="invitees_required")
    have = set(meeting.invitations.values_list("user_id", flat=True))
    new = sorted(wanted - have)
    if len(have) + len(new) > rules.INVITEES_MAX:
        raise ValidationFailed(
            _("A meeting may have at most %(n)s invitees.") % {"n": rules.INVITEES_MAX}, code="invitees_too_many"
        )
    Invitation.objects.bulk_create([Invitation(meeting=meeting, user_id=uid, invited_by=actor) for uid in new])
    audit(
        "consultation.meeting.invite",
        actor=actor,
        obj=meeting,
        org_unit=meeting.unit or meeting.body,
        after={"invited": len(new), "units": sorted(_ids(unit_ids, "unit_unknown")), "sms": bool(sms)},
    )
    if meeting.status == Meeting.Status.SCHEDULED:
        notify_invitees(meeting, sms=sms)
    return len(new)


def notify_invitees(meeting, *, sms=False) -> int:
    pending = list(meeting.invitations.filter(notified_at=None).select_related("user"))
    if not pending:
        return 0
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(
        [i.user for i in pending],
        title=_("Invitation to a remote consultation: %(title)s") % {"title": meeting.title},
        body=_("Starts %(when)s; join from the meeting page.") % {"when": when},
        link=f"/consultation/{meeting.pk}/",
        event="consultation.meeting.invite",
        obj=meeting,
        sms=sms,
    )
    Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(notified_at=timezone.now())
    return len(pending)
