"""Template filters of the proposals pages."""

from django import template

from lvzhi.workdays.calendar import due_date

register = template.Library()


@register.filter
def last_day(due_at):
    """The last day of a time limit that ends at `due_at` (24:00 of that day)."""
    return due_date(due_at) if due_at else None
