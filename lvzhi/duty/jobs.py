"""Periodic work of the duty module. Reminders and escalations of the entry and objection deadlines come from the
workflow's own tick jobs; here: last month's platform activity (S0-20) becomes automatic records on the first
days of each month (idempotent: a source already in step changes nothing)."""

from django.utils import timezone

from lvzhi.accounts.models import MemberProfile
from lvzhi.core.tick import register_tick_job
from lvzhi.core.timeutil import local_date

from .services import sync_activity


def monthly_activity(now=None):
    moment = timezone.localtime(now or timezone.now())
    today = local_date(moment)
    if today.day > 3 or moment.hour != 2 or moment.minute != 0:  # 02:00 on the first three days, idempotent
        return 0
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    n = 0
    for profile in MemberProfile.objects.filter(is_active=True).select_related("user", "body").iterator(chunk_size=500):
        stats = sync_activity(body=profile.body, member=profile.user, year=year, month=month)
        n += stats["created"] + stats["corrections"]
    return n


def register_jobs():
    register_tick_job("duty.monthly_activity", "lvzhi.duty.jobs.monthly_activity")
