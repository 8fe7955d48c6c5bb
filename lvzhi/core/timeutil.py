"""Time helpers: all business dates are dates in Asia/Shanghai."""

import datetime as dt

from django.utils import timezone


def local_now() -> dt.datetime:
    return timezone.localtime(timezone.now())


def local_date(moment: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(moment or timezone.now()).date()


def start_of_day(day: dt.date) -> dt.datetime:
    """The aware moment 00:00 of `day` in the current (Asia/Shanghai) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
