"""`{{ record.next_due_at|time_left }}` → "还剩 N 个工作日" / "已超期 N 个工作日" (and `|overdue` for the style)."""

from django import template

from lvzhi.workdays import calendar
from lvzhi.workdays.display import time_left as _time_left

register = template.Library()


@register.filter
def time_left(due_at) -> str:
    return _time_left(due_at)[0]


@register.filter
def overdue(due_at) -> bool:
    return _time_left(due_at)[1]


@register.filter
def due_day(due_at):
    """The last day of a time limit ending at `due_at` (24:00 of that day is stored as 00:00 of the next)."""
    return calendar.due_date(due_at) if due_at else None
