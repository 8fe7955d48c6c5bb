"""A time limit in words for the pages: "还剩 N 个工作日" / "已超期 N 个工作日" (the home page's 待办, duty records)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import ngettext

from . import calendar


def time_left(due_at: dt.datetime | None, now: dt.datetime | None = None) -> tuple[str, bool]:
    """("还剩 N 个工作日" / "已超期 N 个工作日", overdue) for a time limit ending at `due_at` (24:00 of its last day),
    counted in working days (today counts while it is a working day)."""
    if due_at is None:
        return "", False
    now = now or timezone.now()
    last = calendar.due_date(due_at)
    last_dt = timezone.make_aware(dt.datetime.combine(last, dt.time(12)))
    if due_at > now:
        n = calendar.working_days_between(now, last_dt) + (1 if calendar.is_workday(now) else 0)
        return ngettext("%(n)s working day left", "%(n)s working days left", n) % {"n": n}, False
    n = max(calendar.working_days_between(last_dt, now), 1)
    return ngettext("%(n)s working day overdue", "%(n)s working days overdue", n) % {"n": n}, True
