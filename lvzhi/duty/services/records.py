"""Duty records (S3-5, S3-6, S3-7): entered by the unit the body's entry rules name, within 5 working days after
the activity (later: the members' work committee approves first), reviewed by that unit's head before they count,
then archived — immutable; a correction is a new record that supersedes the old one when it is reviewed.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, User
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.workdays import calendar
from lvzhi.workflow import services as wf

from .. import permissions as perm
from .. import rules
from ..models import Kind, Outcome, Record, Source
from ..workflows import RECORD_FLOW
from . import scoring
from .common import check_year_open, choice, entering_unit, text

R = Record.Status


def entry_due(unit, day: dt.date) -> dt.datetime:
    """The end of the period to enter records of an activity on `day` (seed 003 art. 6: 5 working days)."""
    return calendar.add_working_days(start_of_day(day), rules.days(unit, rules.ENTRY_DAYS))


def is_late(unit, day: dt.date, now=None) -> bool:
    return (now or timezone.now()) >= entry_due(unit, day)


def _member(body, member_id) -> User:
    try:
        pk = int(member_id)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose a member."), code="member_invalid")
    if not MemberProfile.objects.filter(user_id=pk, body=body, is_active=True).exists():
        raise ValidationFailed(_("Choose a member of this body."), code="member_invalid")
    return User.objects.get(pk=pk)


def _day(value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationFailed(_("Give the date of the activity."), code="day_invalid")


def _quantity(value) -> int:
    try:
        n = int(value if value not in (None, "") else 1)
    except (TypeError, ValueError):
        raise ValidationFailed(_("The quantity must be a whole number from 1 to 1000."), code="quantity_invalid")
    if not 1 <= n <= 1000:
        raise ValidationFailed(_("The quantity must be a whole number from 1 to 1000."), code="quantity_invalid")
    return n


def create_record(
    *,
    actor,
    body,
    member,
    kind: str,
    outcome: str,
    day: dt.date,
    title: str,
    organiser,
    source: str,
    quantity: int = 1,
    source_ref: str = "",
    source_key: str | None = None,
    event=None,
    corrects: Record | None = None,
    late_needs_approval: bool = True,
) -> Record:
    """The one way a record is made (hand, QR and automatic entries): priced, started on RECORD_FLOW, audited.
    The caller has checked the actor's right to enter it."""
    check_year_open(body, day.year)
    unit = entering_unit(body, kind, organiser)
    if unit is None:
        raise ValidationFailed(_("Name the organising office or committee."), code="organiser_required")
    late = late_needs_approval and is_late(unit, day)
    rec = Record(
        body=body,
        member=member,
        year=day.year,
        day=day,
        kind=kind,
        outcome=outcome,
        quantity=quantity,
        title=title,
        source=source,
        source_ref=source_ref,
        source_key=source_key,
        organiser=organiser or unit,
        unit=unit,
        event=event,
        corrects=corrects,
        status=R.NEEDS_APPROVAL if late else R.PENDING,
        on_time=not late,
        entered_by=actor if getattr(actor, "pk", None) else None,
    )
    rec.rule, rec.points = scoring.price(rec, scoring.ruleset_for(body, day.year))
    rec.save(force_insert=True)
    wf.start(
        rec,
        actor=actor,
        workflow=RECORD_FLOW,
        event="enter",
        audit_after={
            "member": member.pk,
            "kind": kind,
            "outcome": outcome,
            "quantity": quantity,
            "points": rec.points,
            "source": source,
            "source_ref": source_ref,
            "corrects": getattr(corrects, "pk", None),
            "late": late,
        },
    )
    return rec


@transaction.atomic
def enter_record(
    *, actor, organiser, member_id, kind, outcome, day, title, quantity=1, corrects: Record | None = None
) -> Record:
    """A record entered by hand by the unit that enters its kind. More than 5 working days after the activity it
    needs the members' work committee's approval first (seed 003 art. 6)."""
    if organiser is None or not perm.works_at(actor, organiser):
        raise NotFound()
    body = organiser.body
    kind = choice(kind, Kind, code="kind_invalid", message=_("Choose the kind of record."))
    outcome = choice(outcome, Outcome, code="outcome_invalid", message=_("Choose the outcome."))
    if kind == Kind.PLATFORM:
        raise ValidationFailed(_("Platform activity is recorded automatically."), code="kind_invalid")
    day = _day(day)
    if day > local_date():
        raise ValidationFailed(_("The activity cannot be in the future."), code="day_in_future")
    title = text(title, field="title", label=_("The title"), max_length=rules.TITLE_MAX)
    member = _member(body, member_id)
    unit = entering_unit(body, kind, organiser)
    if unit is None or unit.pk != organiser.pk:
        raise PermissionDenied(
            _("Records of this kind are entered by %(unit)s.") % {"unit": unit or _("the organiser")},
            code="not_entering_unit",
        )
    if member.pk == actor.pk:
        raise PermissionDenied(_("Nobody enters their own duty record."), code="own_record")
    return create_record(
        actor=actor,
        body=body,
        member=member,
        kind=kind,
        outcome=outcome,
        day=day,
        title=title,
        organiser=organiser,
        source=Source.HAND,
        quantity=_quantity(quantity),
        corrects=corrects,
    )


def _locked(record) -> Record:
    rec = (
        Record.objects.select_for_update(of=("self",))
        .select_related("body", "unit", "organiser", "member")
        .filter(pk=record.pk)
        .first()
    )
    if rec is None:
        raise NotFound()
    return rec


def count_record(rec: Record, *, actor, comment: str = "") -> Record:
    """Review → counted and archived; a correction first supersedes what it corrects (and takes over its source
    key, so that the automatic record keeps following its source); the member's total follows."""
    check_year_open(rec.body, rec.year)
    rec.rule, rec.points = scoring.price(rec, scoring.ruleset_for(rec.body, rec.year))
    changes = {
        "reviewed_by": actor if getattr(actor, "pk", None) else None,
        "reviewed_at": timezone.now(),
        "rule": rec.rule,
        "points": rec.points,
    }
    if rec.corrects_id:
        old = Record.objects.select_for_update().get(pk=rec.corrects_id)
        if old.status == R.COUNTED:
            wf.transition(
                old, "supersede", actor=actor, workflow=RECORD_FLOW, data={"by": rec.pk}, audit_after={"by": rec.pk}
            )
        if old.source_key and rec.outcome != Outcome.CANCELLED:
            changes["source_key"] = old.source_key
    rec = wf.transition(
        rec,
        "review",
        actor=actor,
        workflow=RECORD_FLOW,
        comment=comment,
        changes=changes,
        audit_after={"points": rec.points},
    )
    scoring.refresh_member_year(body=rec.body, member=rec.member, year=rec.year)
    return rec


@transaction.atomic
def review_record(*, actor, record: Record, comment: str = "") -> Record:
    rec = _locked(record)
    if not perm.may_view_record(actor, rec):
        raise NotFound()
    if rec.status != R.PENDING:
        raise Conflict(_("This record is not awaiting review."), code="transition_not_allowed")
    if not perm.may_review(actor, rec):
        raise PermissionDenied(_("Only the head of the entering unit reviews its records."), code="forbidden")
    comment = text(comment, field="comment", label=_("The comment"), max_length=rules.TEXT_MAX, required=False)
    return count_record(rec, actor=actor, comment=comment)


@transaction.atomic
def review_records(*, actor, records) -> int:
    """Review several pending records at once (the head's queue); all or nothing."""
    n = 0
    for rec in records:
        review_record(actor=actor, record=rec)
        n += 1
    return n


def _step(name, *, actor, record, reason, required):
    rec = _locked(record)
    if not perm.may_view_record(actor, rec):
        raise NotFound()
    reason = text(
        reason, field="reason", label=_("The reason"), max_length=rules.TEXT_MAX, required=required, multiline=True
    )
    return wf.transition(rec, name, actor=actor, workflow=RECORD_FLOW, comment=reason)


@transaction.atomic
def reject_record(*, actor, record: Record, reason: str) -> Record:
    return _step("reject", actor=actor, record=record, reason=reason, required=True)


@transaction.atomic
def approve_late_entry(*, actor, record: Record, note: str = "") -> Record:
    return _step("approve_late", actor=actor, record=record, reason=note, required=False)


@transaction.atomic
def refuse_late_entry(*, actor, record: Record, reason: str) -> Record:
    return _step("refuse_late", actor=actor, record=record, reason=reason, required=True)


@transaction.atomic
def withdraw_record(*, actor, record: Record, reason: str = "") -> Record:
    return _step("withdraw", actor=actor, record=record, reason=reason, required=False)


@transaction.atomic
def correct_record(*, actor, record: Record, outcome, quantity=None, title=None) -> Record:
    """A correction of an archived record: a new record (same member, kind and activity) that the entering
    unit's head reviews; on review it supersedes the original. Entered by the entering unit."""
    rec = _locked(record)
    if not perm.may_view_record(actor, rec) or not perm.works_at(actor, rec.unit):
        raise NotFound()
    if rec.status != R.COUNTED:
        raise Conflict(
            _("Only an archived record is corrected; change or withdraw the entry instead."), code="not_archived"
        )
    if Record.objects.filter(corrects=rec, status__in=[R.PENDING, R.NEEDS_APPROVAL]).exists():
        raise Conflict(_("A correction of this record is already awaiting review."), code="correction_pending")
    outcome = choice(outcome, Outcome, code="outcome_invalid", message=_("Choose the outcome."))
    return create_record(
        actor=actor,
        body=rec.body,
        member=rec.member,
        kind=rec.kind,
        outcome=outcome,
        day=rec.day,
        title=text(title or rec.title, field="title", label=_("The title"), max_length=rules.TITLE_MAX),
        organiser=rec.organiser,
        source=rec.source,
        quantity=_quantity(quantity if quantity is not None else rec.quantity),
        source_ref=rec.source_ref,
        corrects=rec,
        late_needs_approval=False,
    )
