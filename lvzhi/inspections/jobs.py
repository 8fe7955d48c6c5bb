"""Periodic work of the inspection module (`lvzhi tick`): open the quarter's self-inspections once the quarter has
ended (their deadline counts from the quarter's last day, so a late tick changes nothing), and remind units of an
overdue password change (S1-3.4). Reminders and escalations of the report and fix deadlines come from the
workflow's own jobs."""

import datetime as dt

from django.utils import timezone

from lvzhi.core.tick import register_tick_job
from lvzhi.core.timeutil import local_date
from lvzhi.newmedia import selectors as newmedia_selectors
from lvzhi.orgs.models import OrgUnit

from . import services
from .models import SelfInspection


def previous_quarter(day: dt.date) -> tuple[int, int]:
    year, quarter = services.quarter_of(day)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def open_quarters(now=None) -> int:
    year, quarter = previous_quarter(local_date(now or timezone.now()))
    office_ids = set(newmedia_selectors.active_outlets().values_list("competent_office_id", flat=True).distinct())
    done = set(
        SelfInspection.objects.filter(year=year, quarter=quarter, office_id__in=office_ids)
        .values_list("office_id", flat=True)
        .distinct()
    )
    n = 0
    for office in OrgUnit.objects.filter(pk__in=office_ids - done):
        n += len(services.open_quarter(actor=None, office=office, year=year, quarter=quarter))
    return n


def register_jobs() -> None:
    register_tick_job("inspections.open_quarters", open_quarters)
    register_tick_job("inspections.password_reminders", services.remind_passwords)
