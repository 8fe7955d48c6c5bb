"""The accountability list (S2-41) — what was done about a unit — and security duties per outlet (S1-3.4)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import AccountabilityAction, ActionKind, DutyKind, SecurityDuty

REASONS = ("unfiled", "unfixed", "serious")


def _day(value, *, field: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise ValidationFailed(_("Give a date."), code=f"{field}_required")
    if value > local_date():
        raise ValidationFailed(_("The date cannot be in the future."), code=f"{field}_future")
    if value < local_date() - dt.timedelta(days=3 * 366):
        raise ValidationFailed(_("The date is too far back."), code=f"{field}_too_old")
    return value


@transaction.atomic
def record_action(*, actor, office, unit, reason, kind, taken_on, note="") -> AccountabilityAction:
    """What the competent office did about a unit on the list: an admonitory talk, a rectification notice or a
    circulated criticism, by whom and when (audited)."""
    if not perm.at_office(actor, office) or unit is None or not unit.is_within(office.body or office):
        raise NotFound()
    if reason not in REASONS:
        raise ValidationFailed(_("Choose why the unit is on the list."), code="reason_invalid")
    if kind not in ActionKind.values:
        raise ValidationFailed(_("Choose what was done."), code="kind_invalid")
    note = clean_text(note, field="note", max_length=rules.NOTE_MAX, required=False, multiline=True)
    action = AccountabilityAction.objects.create(
        unit=unit,
        office=office,
        reason=reason,
        kind=kind,
        taken_on=_day(taken_on, field="taken_on"),
        note=note,
        taken_by=actor,
    )
    record(
        "inspections.accountability.action",
        actor=actor,
        obj=action,
        org_unit=unit,
        after={"reason": reason, "kind": kind, "taken_on": action.taken_on.isoformat(), "note_length": len(note)},
    )
    return action


@transaction.atomic
def record_duty(*, actor, outlet, kind, done_on, responsible_id, note="") -> SecurityDuty:
    """A password change, monitoring arrangement or emergency plan of an outlet, with the day and the person
    responsible (a user holding a new-media role at the host unit: no other personal data is kept)."""
    if not (perm.at_unit(actor, outlet.host_unit) or perm.at_office(actor, outlet.competent_office)):
        raise NotFound()
    if kind not in DutyKind.values:
        raise ValidationFailed(_("Choose the kind of duty."), code="kind_invalid")
    person = User.objects.filter(pk=responsible_id, is_active=True).first() if responsible_id else None
    if person is None or not perm.at_unit(person, outlet.host_unit):
        raise ValidationFailed(
            _("The person responsible must work on the unit's websites and accounts."), code="responsible_invalid"
        )
    note = clean_text(note, field="note", max_length=300, required=False)
    duty = SecurityDuty.objects.create(
        outlet=outlet,
        kind=kind,
        done_on=_day(done_on, field="done_on"),
        responsible=person,
        note=note,
        recorded_by=actor,
    )
    record(
        "inspections.security.record",
        actor=actor,
        obj=duty,
        org_unit=outlet.host_unit,
        after={"outlet": outlet.pk, "kind": kind, "done_on": duty.done_on.isoformat(), "responsible": person.pk},
    )
    return duty


def password_due(duty: SecurityDuty) -> dt.date:
    return duty.done_on + dt.timedelta(days=rules.password_interval(duty.outlet.host_unit))


def remind_passwords(now=None) -> int:
    """Tick job: for each outlet whose last password change is older than its body's interval, remind the host
    unit's new-media staff once (per recorded change)."""
    now = now or timezone.now()
    today = local_date(now)
    latest = {}
    qs = SecurityDuty.objects.filter(kind=DutyKind.PASSWORD, done_on__lte=today - dt.timedelta(days=30))
    for duty in qs.select_related("outlet__host_unit").order_by("outlet_id", "-done_on", "-pk")[:5000]:
        latest.setdefault(duty.outlet_id, duty)
    n = 0
    for duty in latest.values():
        if duty.reminded_at is not None or password_due(duty) > today:
            continue
        with transaction.atomic():
            if not SecurityDuty.objects.filter(pk=duty.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            recipients = users_with_roles(duty.outlet.host_unit, perm.UNIT_ROLES)
            if recipients:
                notify(
                    recipients,
                    title=_("Password change overdue: %(name)s") % {"name": duty.outlet.name},
                    link=f"/inspections/security/{duty.outlet_id}/",
                    event="inspections.security.password_overdue",
                    obj=duty,
                )
            n += 1
    return n
