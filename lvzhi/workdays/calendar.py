"""The working-day calendar and the deadline arithmetic of the Civil Code, arts. 201–203.

A day is a working day if an administrator's override says so; else as the State Council schedule in
`chinesecalendar` says (2004 to the package's last year); else, for a later year, Monday to Friday except the
statutory holidays of the national holiday rules (`statutory.holidays`: 元旦, 春节 除夕–初三, 清明, 劳动节,
端午, 中秋, 国庆) — "predicted" until an administrator confirms the year (`CalendarYear.confirmed_at`), with no
adjusted working days invented.

Periods: the day the period starts is not counted (art. 201); it ends at 24:00 of its last day (art. 203), which
we return as the aware Asia/Shanghai moment 00:00 of the following day (`due_at`); `due_date(due_at)` gives the
last day itself for display. A period in months ends on the corresponding day of the month, else on the month's
last day (art. 202). If the last day of a calendar-day or month period is a statutory holiday (or a rest day),
the period ends on the next working day (art. 203). Working-day periods skip holidays and count the official
adjusted working days (调休).

The overrides of a year are read once and kept in the process; a version token in the shared cache
(`lvzhi.core.cache`: Redis, or a database table without it — never process memory) tells every process of every
app server when an administrator changed something, at the next calendar question it answers.
"""

import calendar as _stdcalendar
import datetime as dt
import logging
import threading
from dataclasses import dataclass

import chinese_calendar
from chinese_calendar import constants as cc_constants
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core import cache
from lvzhi.core.timeutil import start_of_day

from . import statutory
from .models import CalendarOverride, CalendarYear

logger = logging.getLogger("lvzhi.workdays")

SOURCE_OVERRIDE = "override"
SOURCE_PACKAGE = "package"
SOURCE_FALLBACK = "fallback"  # before chinesecalendar's first year: Monday to Friday
SOURCE_PREDICTED = "predicted"  # a later year not confirmed yet: the holiday rules, Monday to Friday otherwise
SOURCE_CONFIRMED = "confirmed"  # the same rules, the year confirmed by an administrator

_VERSION_KEY = ("workdays", "calendar")
_MAX_SCAN_DAYS = 3 * 366  # a guard: no period searches further than this for a working day
PACKAGE_YEARS = frozenset(d.year for d in cc_constants.holidays) | frozenset(d.year for d in cc_constants.workdays)
LAST_PACKAGE_YEAR = max(PACKAGE_YEARS)


@dataclass(frozen=True)
class DayInfo:
    date: dt.date
    is_workday: bool
    source: str  # override | package | fallback
    note: str = ""


class _Cache:
    """Per-process cache: {year: {date: (is_workday, note)}}, dropped when the shared version changes."""

    def __init__(self):
        self.lock = threading.Lock()
        self.version = None
        self.years: dict[int, dict[dt.date, tuple[bool, str]]] = {}
        self.confirmed: dict[int, bool] = {}
        self.warned: set[int] = set()

    def sync(self):
        version = cache.version(_VERSION_KEY)  # the shared cache, remembered for the current request
        if version != self.version:
            with self.lock:
                self.years = {}
                self.confirmed = {}
                self.warned = set()
                self.version = version

    def overrides(self, year: int) -> dict[dt.date, tuple[bool, str]]:
        data = self.years.get(year)
        if data is None:
            data = {
                row[0]: (row[1], row[2])
                for row in CalendarOverride.objects.filter(date__year=year).values_list("date", "is_workday", "note")
            }
            self.years[year] = data
            if year > LAST_PACKAGE_YEAR:
                self.is_confirmed(year)  # read with the overrides, so that a year costs its queries once
        return data

    def is_confirmed(self, year: int) -> bool:
        confirmed = self.confirmed.get(year)
        if confirmed is None:
            confirmed = CalendarYear.objects.filter(year=year, confirmed_at__isnull=False).exists()
            self.confirmed[year] = confirmed
        return confirmed


_cache = _Cache()


def invalidate() -> None:
    """Forget the cached overrides here and tell the other processes (called by the services on change)."""
    cache.bump_now(_VERSION_KEY)
    with _cache.lock:
        _cache.years = {}
        _cache.confirmed = {}
        _cache.warned = set()
        _cache.version = None


def _as_date(day) -> dt.date:
    if isinstance(day, dt.datetime):
        return timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return day


def _info(day: dt.date) -> DayInfo:
    """The day's status; assumes `_cache.sync()` was called for this operation."""
    override = _cache.overrides(day.year).get(day)
    if override is not None:
        return DayInfo(day, override[0], SOURCE_OVERRIDE, override[1])
    if day.year in PACKAGE_YEARS:
        try:
            workday = chinese_calendar.is_workday(day)
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            return DayInfo(day, workday, SOURCE_PACKAGE, name or "")
        except NotImplementedError:  # pragma: no cover - the package's own range check
            pass
    if day.year > LAST_PACKAGE_YEAR:
        source = SOURCE_CONFIRMED if _cache.is_confirmed(day.year) else SOURCE_PREDICTED
        holiday = statutory.holidays(day.year).get(day)
        return DayInfo(day, holiday is None and day.weekday() < 5, source, holiday or "")
    if day.year not in _cache.warned:
        _cache.warned.add(day.year)
        logger.warning("No holiday data for %s: Monday to Friday assumed.", day.year)
    return DayInfo(day, day.weekday() < 5, SOURCE_FALLBACK, "")


def day_info(day: dt.date) -> DayInfo:
    _cache.sync()
    return _info(_as_date(day))


def is_workday(day: dt.date) -> bool:
    _cache.sync()
    return _info(_as_date(day)).is_workday


def _next_workday_on_or_after(day: dt.date) -> dt.date:
    for _step in range(_MAX_SCAN_DAYS):
        if _info(day).is_workday:
            return day
        day += dt.timedelta(days=1)
    raise ValueError("no working day found")  # pragma: no cover - would need a year of holidays


def add_working_days(start: dt.datetime, n: int) -> dt.datetime:
    """The moment a period of `n` working days that starts at `start` ends: 00:00 after its last day."""
    if n < 0:
        raise ValueError("n must not be negative")
    _cache.sync()
    day = _as_date(start)
    counted = 0
    for _step in range(_MAX_SCAN_DAYS + n * 3):
        if counted >= n:
            break
        day += dt.timedelta(days=1)
        if _info(day).is_workday:
            counted += 1
    return start_of_day(day + dt.timedelta(days=1))


def add_calendar_days(start: dt.datetime, n: int) -> dt.datetime:
    """`n` calendar days after `start`'s day; a last day that is a holiday moves to the next working day."""
    if n < 0:
        raise ValueError("n must not be negative")
    _cache.sync()
    last = _as_date(start) + dt.timedelta(days=n)
    if n > 0:
        last = _next_workday_on_or_after(last)
    return start_of_day(last + dt.timedelta(days=1))


def add_months(start: dt.datetime, n: int) -> dt.datetime:
    """The corresponding day `n` months on (else the month's last day), moved past a holiday (arts. 202–203)."""
    if n < 0:
        raise ValueError("n must not be negative")
    _cache.sync()
    first = _as_date(start)
    month_index = first.month - 1 + n
    year, month = first.year + month_index // 12, month_index % 12 + 1
    last = dt.date(year, month, min(first.day, _stdcalendar.monthrange(year, month)[1]))
    if n > 0:
        last = _next_workday_on_or_after(last)
    return start_of_day(last + dt.timedelta(days=1))


def due_date(due_at: dt.datetime) -> dt.date:
    """The last day of a period that ends at `due_at` (24:00 of that day)."""
    return (timezone.localtime(due_at) - dt.timedelta(microseconds=1)).date()


def working_days_between(a: dt.datetime, b: dt.datetime) -> int:
    """Working days after `a`'s day up to and including `b`'s day (negative if `b` is before `a`)."""
    _cache.sync()
    first, last = _as_date(a), _as_date(b)
    sign = 1
    if last < first:
        first, last, sign = last, first, -1
    count = 0
    day = first + dt.timedelta(days=1)
    while day <= last:
        if _info(day).is_workday:
            count += 1
        day += dt.timedelta(days=1)
    return sign * count


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The `n`-th working day counting back from `day` (`day` itself counts if it is a working day; n ≥ 1)."""
    _cache.sync()
    day = _as_date(day)
    found = 0
    for _step in range(_MAX_SCAN_DAYS + n * 3):
        if _info(day).is_workday:
            found += 1
            if found >= n:
                return day
        day -= dt.timedelta(days=1)
    return day  # pragma: no cover


def years_without_data(years=None) -> list[int]:
    """Years (by default last, this and next year) that chinesecalendar does not cover and no administrator has
    confirmed: their holidays are predicted from the holiday rules."""
    if years is None:
        this_year = timezone.localdate().year
        years = range(this_year - 1, this_year + 2)
    missing = [year for year in years if year not in PACKAGE_YEARS]
    if not missing:
        return []
    confirmed = set(
        CalendarYear.objects.filter(year__in=missing, confirmed_at__isnull=False).values_list("year", flat=True)
    )
    return [year for year in missing if year not in confirmed]


def is_predicted_year(year: int) -> bool:
    """A year after chinesecalendar's last one that no administrator has confirmed."""
    _cache.sync()
    return year > LAST_PACKAGE_YEAR and not _cache.is_confirmed(year)


def rule_days(year: int) -> list[DayInfo]:
    """The statutory holidays of a year after chinesecalendar's last one (as the rules give them)."""
    if year <= LAST_PACKAGE_YEAR:
        return []
    _cache.sync()
    source = SOURCE_CONFIRMED if _cache.is_confirmed(year) else SOURCE_PREDICTED
    return [DayInfo(day, False, source, name) for day, name in statutory.holidays(year).items()]


def package_days(year: int) -> list[DayInfo]:
    """The package's holidays and adjusted working days of `year` (empty if it has no data for it)."""
    days = [DayInfo(d, False, SOURCE_PACKAGE, name) for d, name in cc_constants.holidays.items() if d.year == year]
    days += [DayInfo(d, True, SOURCE_PACKAGE, name) for d, name in cc_constants.workdays.items() if d.year == year]
    return sorted(days, key=lambda info: info.date)


def holiday_label(name: str) -> str:
    """The package's (English) holiday name in the user's language."""
    return str(HOLIDAY_NAMES.get(name, name))


HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist War Victory 70th Anniversary"),
}
