"""Shared pieces of the consultation services: the notice rule (S0-5.3), text and time checks."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.core.validation import clean_text
from lvzhi.orgs.selectors import body_setting
from lvzhi.workdays import calendar

from .. import rules


def notice_days(unit) -> int:
    """The body's notice in working days: its own setting, never below the seed's 3."""
    try:
        n = int(body_setting(unit, rules.NOTICE_DAYS))
    except (TypeError, ValueError):
        n = rules.NOTICE_FLOOR
    return max(rules.NOTICE_FLOOR, n)


def latest_application_day(meeting_day: dt.date, n: int) -> dt.date:
    """The last day an application for a meeting on `meeting_day` may be filed: the day before the `n`-th working
    day counted back from the meeting day (the meeting day counts, the application day does not)."""
    return calendar.working_days_before(meeting_day, n) - dt.timedelta(days=1)


def check_notice(*, applied_on: dt.date, meeting_day: dt.date, n: int) -> None:
    """At least `n` working days after the application day up to and including the meeting day (holidays
    skipped, 调休 days counted); else refused with the latest day it could have been filed."""
    got = calendar.working_days_between(start_of_day(applied_on), start_of_day(meeting_day))
    if got < n:
        latest = latest_application_day(meeting_day, n)
        raise ValidationFailed(
            _(
                "An application must be filed at the latest %(n)s working days before the meeting; for a meeting on "
                "%(day)s the latest day was %(latest)s."
            )
            % {"n": n, "day": meeting_day.isoformat(), "latest": latest.isoformat()},
            code="application_late",
            extra={"latest_day": latest.isoformat(), "working_days": got, "required": n},
        )


def text(value, *, field, label, max_length, required=True, multiline=False) -> str:
    return clean_text(value, field=field, label=label, max_length=max_length, required=required, multiline=multiline)


def check_start(starts_at, duration) -> tuple[dt.datetime, int]:
    if not isinstance(starts_at, dt.datetime):
        raise ValidationFailed(_("Give the date and time of the meeting."), code="starts_at_invalid")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    now = timezone.now()
    if starts_at <= now:
        raise ValidationFailed(_("The meeting must start in the future."), code="starts_at_past")
    if local_date(starts_at) > local_date(now) + dt.timedelta(days=366):
        raise ValidationFailed(_("The meeting must start within a year."), code="starts_at_far")
    try:
        duration = int(duration)
    except (TypeError, ValueError):
        duration = -1
    if not rules.DURATION_MIN <= duration <= rules.DURATION_MAX:
        raise ValidationFailed(
            _("The duration must be between %(a)s and %(b)s minutes.")
            % {"a": rules.DURATION_MIN, "b": rules.DURATION_MAX},
            code="duration_invalid",
        )
    return starts_at, duration


def check_undertaking(undertaking) -> None:
    if undertaking is not True:
        raise ValidationFailed(
            _("Confirm that you answer for the content of the meeting before starting it."),
            code="undertaking_required",
        )
