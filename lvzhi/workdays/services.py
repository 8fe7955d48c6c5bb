"""Every write on the working-day calendar: administrators' overrides, audited, caches invalidated."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.workflow.services import recompute_deadlines, snapshot_deadlines

from . import calendar
from .models import CalendarOverride, CalendarYear
from .permissions import may_edit_calendar

MIN_YEAR, MAX_YEAR = 2000, 2100
NOTE_MAX = 100


def _check(actor, day) -> dt.date:
    if not may_edit_calendar(actor):
        raise NotFound()
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime) or not (MIN_YEAR <= day.year <= MAX_YEAR):
        raise ValidationFailed(_("Enter a date between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    return day


def _state(row: CalendarOverride | None):
    return None if row is None else {"date": row.date.isoformat(), "is_workday": row.is_workday, "note": row.note}


def _invalidate_now_and_on_commit():
    calendar.invalidate()
    transaction.on_commit(calendar.invalidate)


@transaction.atomic
def set_override(*, actor, day: dt.date, is_workday: bool, note: str = "") -> CalendarOverride:
    """Make `day` a working day or a holiday, whatever the package says."""
    day = _check(actor, day)
    note = clean_text(note, field="note", max_length=10_000, label=_("The note"), required=False)
    if len(note) > NOTE_MAX:
        raise ValidationFailed(_("The note may have at most %(n)s characters.") % {"n": NOTE_MAX}, code="note_too_long")
    row = CalendarOverride.objects.select_for_update().filter(date=day).first()
    before = _state(row)
    running = snapshot_deadlines(day, day)
    if row is None:
        row = CalendarOverride.objects.create(date=day, is_workday=bool(is_workday), note=note, updated_by=actor)
    else:
        row.is_workday, row.note, row.updated_by = bool(is_workday), note, actor
        row.save(update_fields=["is_workday", "note", "updated_by", "updated_at"])
    record("workdays.override.set", actor=actor, obj=row, before=before, after=_state(row))
    _invalidate_now_and_on_commit()
    recompute_deadlines(running, actor=actor, reason=f"calendar:{day.isoformat()}")
    return row


@transaction.atomic
def delete_override(*, actor, day: dt.date) -> None:
    """Remove the override of `day`; the package (or the Monday–Friday rule) applies again."""
    day = _check(actor, day)
    row = CalendarOverride.objects.select_for_update().filter(date=day).first()
    if row is None:
        raise NotFound(_("There is no override for this day."), code="override_not_found")
    before = _state(row)
    running = snapshot_deadlines(day, day)
    record("workdays.override.delete", actor=actor, obj=row, before=before)
    row.delete()
    _invalidate_now_and_on_commit()
    recompute_deadlines(running, actor=actor, reason=f"calendar:{day.isoformat()}")


@transaction.atomic
def confirm_year(*, actor, year: int) -> CalendarYear:
    """Confirm a year the State Council schedule of chinesecalendar does not cover: its statutory holidays and the
    days entered by administrators are the year's calendar (no longer "predicted"). Running deadlines that reach
    into the year are recomputed (each move audited)."""
    if not may_edit_calendar(actor):
        raise NotFound()
    if not isinstance(year, int) or not (MIN_YEAR <= year <= MAX_YEAR):
        raise ValidationFailed(_("Enter a year between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR})
    if year <= calendar.LAST_PACKAGE_YEAR:
        raise ValidationFailed(
            _("The State Council schedule of %(year)s is already known; there is nothing to confirm.") % {"year": year},
            code="year_has_schedule",
        )
    row, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    if row.confirmed_at is not None:
        raise Conflict(_("The year %(year)s is already confirmed.") % {"year": year}, code="year_confirmed")
    running = snapshot_deadlines(dt.date(year, 1, 1), dt.date(year, 12, 31))
    row.confirmed_at, row.confirmed_by = timezone.now(), actor
    row.save(update_fields=["confirmed_at", "confirmed_by"])
    holidays = len(calendar.rule_days(year))
    overrides = CalendarOverride.objects.filter(date__year=year).count()
    record(
        "workdays.year.confirm",
        actor=actor,
        obj=row,
        after={"year": year, "statutory_holidays": holidays, "overrides": overrides},
    )
    _invalidate_now_and_on_commit()
    recompute_deadlines(running, actor=actor, reason=f"calendar:{year}")
    return row


def remind_unconfirmed_next_year(now) -> int:
    """Tick job: from 1 November, tell the system administrators once that next year's holidays are only predicted
    (chinesecalendar has no schedule for it and nobody has confirmed it). Returns 1 when it reminded."""

    today = timezone.localdate(now)
    year = today.year + 1
    if today.month < 11 or year <= calendar.LAST_PACKAGE_YEAR:
        return 0
    with transaction.atomic():
        row, _created = CalendarYear.objects.get_or_create(year=year)
        claimed = CalendarYear.objects.filter(pk=row.pk, confirmed_at__isnull=True, reminded_at__isnull=True).update(
            reminded_at=now
        )
        if not claimed:
            return 0
        admins = User.objects.filter(
            is_active=True, role_assignments__role=Role.SYSADMIN, role_assignments__revoked_at__isnull=True
        ).distinct()
        notify(
            admins,
            title=_("The holidays of %(year)s are only predicted") % {"year": year},
            body=_(
                "The State Council schedule of %(year)s is not in the platform yet: its statutory holidays are "
                "predicted from the holiday rules and no adjusted working days are counted. Enter the published "
                "schedule and confirm the year in the working-day calendar."
            )
            % {"year": year},
            link=f"/office/calendar/?year={year}",
            event="workdays.year.unconfirmed",
            obj=row,
        )
        record("workdays.year.remind", obj=row, after={"year": year}, actor_label="lvzhi tick")
    return 1
