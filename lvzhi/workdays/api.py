"""/api/v1/calendar: working days and deadlines for the mobile app and other modules' pages."""

import datetime as dt

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.timeutil import local_now, start_of_day

from . import calendar

router = Router(tags=["calendar"], auth=token_auth)

MAX_DAYS = 3660
UNITS = ("working", "calendar", "months")


class DayOut(Schema):
    date: dt.date
    is_workday: bool
    source: str
    note: str


class DeadlineOut(Schema):
    due_at: dt.datetime
    last_day: dt.date


class BetweenOut(Schema):
    working_days: int


class ErrorOut(Schema):
    code: str
    message: str


def _date(value: str | None, name: str) -> dt.date:
    try:
        day = parse_date((value or "").strip())
    except ValueError:
        day = None
    if day is None or not (1900 <= day.year <= 2200):
        raise ValidationFailed(_("%(name)s must be a date such as 2026-10-01.") % {"name": name}, code="invalid_date")
    return day


def _moment(value: str | None, name: str) -> dt.datetime:
    """A date (its 00:00 in Asia/Shanghai) or an ISO date-time; naive date-times are Asia/Shanghai."""
    value = (value or "").strip()
    if not value:
        return local_now()
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        return start_of_day(_date(value, name))
    if not (1900 <= moment.year <= 2200):
        raise ValidationFailed(_("%(name)s is out of range.") % {"name": name}, code="invalid_date")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


@router.get("/day", response={200: DayOut, 400: ErrorOut})
def day(request, date: str = ""):
    """Is the day a working day, and who says so: an administrator's override, the package or the fallback."""
    info = calendar.day_info(_date(date, "date"))
    return DayOut(
        date=info.date, is_workday=info.is_workday, source=info.source, note=calendar.holiday_label(info.note)
    )


@router.get("/deadline", response={200: DeadlineOut, 400: ErrorOut})
def deadline(request, start: str = "", days: str = "", unit: str = "working"):
    """The end of a period of `days` working days, calendar days or months from `start` (default: now)."""
    moment = _moment(start, "start")
    try:
        n = int(days)
    except ValueError:
        n = -1
    if not 0 <= n <= MAX_DAYS:
        raise ValidationFailed(
            _("days must be a whole number from 0 to %(max)s.") % {"max": MAX_DAYS}, code="invalid_days"
        )
    if unit not in UNITS:
        raise ValidationFailed(_("unit must be working, calendar or months."), code="invalid_unit")
    if unit == "months" and n > 120:
        raise ValidationFailed(_("A period may have at most 120 months."), code="invalid_days")
    compute = {"working": calendar.add_working_days, "calendar": calendar.add_calendar_days}.get(
        unit, calendar.add_months
    )
    due_at = compute(moment, n)
    return DeadlineOut(due_at=timezone.localtime(due_at), last_day=calendar.due_date(due_at))


@router.get("/between", response={200: BetweenOut, 400: ErrorOut})
def between(request, start: str = "", end: str = ""):
    """Working days after `start`'s day up to and including `end`'s day."""
    if not start or not end:
        raise ValidationFailed(_("start and end are required."), code="invalid_date")
    a, b = _moment(start, "start"), _moment(end, "end")
    if abs((b - a).days) > MAX_DAYS:
        raise ValidationFailed(_("The range may span at most %(max)s days.") % {"max": MAX_DAYS}, code="range_too_long")
    return BetweenOut(working_days=calendar.working_days_between(a, b))
