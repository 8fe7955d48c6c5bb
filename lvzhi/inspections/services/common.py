"""Helpers shared by the inspection services."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from lvzhi.core.errors import ValidationFailed
from lvzhi.newmedia.models import WEBSITES

from ..models import AppliesTo

TWO = Decimal("0.01")


def applies_to(outlet) -> str:
    return AppliesTo.WEBSITE if outlet.platform in WEBSITES else AppliesTo.NEWMEDIA


def dec(value) -> Decimal:
    return Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)


def clean_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2019 <= year <= 2100:
        raise ValidationFailed(_("Give a year from 2019 on."), code="year_invalid")
    return year


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, (quarter - 1) * 3 + 1, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, quarter * 3 + 1, 1)
    return start, end - dt.timedelta(days=1)
