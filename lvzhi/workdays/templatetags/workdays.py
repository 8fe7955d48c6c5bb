"""`{% load workdays %}{{ case.next_due_at|last_day|date:"Y-m-d" }}`: a time limit shown as the last day it runs
(a limit ends at 24:00 of its last day, stored as 00:00 of the next: shown raw it reads one day late)."""

from django import template

from lvzhi.workdays import calendar

register = template.Library()


@register.filter
def last_day(due_at):
    return calendar.due_date(due_at) if due_at else None
