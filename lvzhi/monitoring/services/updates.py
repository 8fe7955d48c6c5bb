"""The update-frequency check (S2-25, S1-3.3), a daily `lvzhi tick` job: for each watched outlet, against its item
log since the watch began —

- at least one item each working day (holidays skipped, 调休 days counted: `lvzhi.workdays.calendar`) — one
  `no_daily_update` finding per week listing the working days without an item;
- at least one original item a week (`no_weekly_original`) and one item a week (`no_weekly_update`);
- 14 days without any item: a `not_updated_14_days` veto finding (one per spell without updates).

Weeks are ISO weeks (Monday to Sunday) checked once they are over. Findings are de-duplicated by the week or the
spell in their URL key, so running the check twice changes nothing."""

import datetime as dt

from django.db.models import Max
from django.utils.translation import gettext as _

from lvzhi.core.timeutil import local_date
from lvzhi.workdays import calendar

from .. import rules
from ..models import OutletItem, Watch
from .findings import raise_finding
from .interpretations import check_interpretations


def _local_day(moment) -> dt.date:
    return local_date(moment)


def check_week(watch: Watch, monday: dt.date) -> list[str]:
    """Check the week starting `monday` (if it is over and watched); returns the kinds raised."""
    outlet = watch.outlet
    sunday = monday + dt.timedelta(days=6)
    first = max(monday, watch.since)
    if first > sunday:
        return []
    items = list(
        OutletItem.objects.filter(
            outlet=outlet,
            published_at__date__gte=monday - dt.timedelta(days=1),
            published_at__date__lte=sunday + dt.timedelta(days=1),
        ).values_list("published_at", "is_original")
    )
    days = {}
    for moment, original in items:
        day = _local_day(moment)
        if monday <= day <= sunday:
            days[day] = days.get(day, False) or original
    week = f"week:{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    raised = []
    working = [first + dt.timedelta(days=n) for n in range((sunday - first).days + 1)]
    missing = [d for d in working if calendar.is_workday(d) and d not in days]
    if missing:
        raise_finding(
            kind="no_daily_update",
            summary=_("%(n)d working day(s) without an item in the week of %(day)s")
            % {"n": len(missing), "day": monday.isoformat()},
            outlet=outlet,
            url=week,
            evidence={
                "week": monday.isoformat(),
                "missing_days": [d.isoformat() for d in missing],
                "items": len(items),
            },  # fmt: skip
        )
        raised.append("no_daily_update")
    if first == monday:  # whole weeks only for the weekly rules
        if not days:
            raise_finding(
                kind="no_weekly_update",
                summary=_("No item in the week of %(day)s") % {"day": monday.isoformat()},
                outlet=outlet,
                url=week,
                evidence={"week": monday.isoformat(), "count": 0},
            )
            raised.append("no_weekly_update")
        if not any(days.values()):
            raise_finding(
                kind="no_weekly_original",
                summary=_("No original item in the week of %(day)s") % {"day": monday.isoformat()},
                outlet=outlet,
                url=week,
                evidence={"week": monday.isoformat(), "count": len(days)},
            )
            raised.append("no_weekly_original")
    return raised


def check_stale(watch: Watch, today: dt.date) -> bool:
    """14 days (rules.STALE_DAYS) without any item, counted from the last item or from the watch's start."""
    last = OutletItem.objects.filter(outlet=watch.outlet).aggregate(last=Max("published_at"))["last"]
    last_day = _local_day(last) if last else None
    since = max(last_day, watch.since) if last_day else watch.since
    idle = (today - since).days
    if idle < rules.STALE_DAYS:
        return False
    raise_finding(
        kind="not_updated_14_days",
        summary=_("No update for %(days)d days (since %(day)s)") % {"days": idle, "day": since.isoformat()},
        outlet=watch.outlet,
        url=f"stale:{since.isoformat()}",
        evidence={
            "last_item": last_day.isoformat() if last_day else None,
            "since": since.isoformat(),
            "days": idle,
        },  # fmt: skip
    )
    return True


def run_checks(today: dt.date, *, watches=None) -> int:
    """The daily check for `today`: the 14-day rule as of today and the week that ended last Sunday."""
    last_monday = today - dt.timedelta(days=today.weekday() + 7)
    raised = 0
    qs = watches if watches is not None else Watch.objects.all()
    for watch in qs.select_related("outlet__host_unit", "outlet__competent_office", "outlet__body").iterator(
        chunk_size=200
    ):
        if watch.outlet.status not in ("open", "changing", "closing"):
            continue
        raised += len(check_week(watch, last_monday))
        raised += int(check_stale(watch, today))
        raised += check_interpretations(watch, today)  # S1-4.1
    return raised
