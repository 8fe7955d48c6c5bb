"""Every write on the working-day calendar: administrators' overrides, audited, caches invalidated."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text

from . import calendar
from .models import CalendarOverride
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
    if row is None:
        row = CalendarOverride.objects.create(date=day, is_workday=bool(is_workday), note=note, updated_by=actor)
    else:
        row.is_workday, row.note, row.updated_by = bool(is_workday), note, actor
        row.save(update_fields=["is_workday", "note", "updated_by", "updated_at"])
    record("workdays.override.set", actor=actor, obj=row, before=before, after=_state(row))
    _invalidate_now_and_on_commit()
    return row


@transaction.atomic
def delete_override(*, actor, day: dt.date) -> None:
    """Remove the override of `day`; the package (or the Monday–Friday rule) applies again."""
    day = _check(actor, day)
    row = CalendarOverride.objects.select_for_update().filter(date=day).first()
    if row is None:
        raise NotFound(_("There is no override for this day."), code="override_not_found")
    before = _state(row)
    record("workdays.override.delete", actor=actor, obj=row, before=before)
    row.delete()
    _invalidate_now_and_on_commit()
