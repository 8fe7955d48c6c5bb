"""Query-string parameters (filters, pages, years, ids), bounded so that no value can overflow a date or a
database integer (a 500): one helper for every view and endpoint that reads them.

Pages ignore a malformed or out-of-range value (the filter is dropped); API query schemas use `QueryDate` and
`QueryId`, which pydantic refuses with the API's 422 `validation_failed` answer.
"""

import datetime as dt
from typing import Annotated

from django.core.validators import MaxValueValidator, MinValueValidator
from pydantic import AfterValidator, Field

# No business date lies outside these; adding a day to DATE_MAX or a time zone to DATE_MIN stays in range.
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2199, 12, 31)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year
# Primary keys and other identifiers: within a signed 64-bit column with room to spare.
ID_MAX = 2**62
PAGE_MAX = 1_000_000


def query_date(value) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) between DATE_MIN and DATE_MAX, else None."""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value or "").strip()[:10])
        except ValueError:
            return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def query_int(value, *, minimum: int = 1, maximum: int = ID_MAX) -> int | None:
    """A whole number between `minimum` and `maximum` (by default an id), else None."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 20 or not text.lstrip("-").isdigit():
        return None
    number = int(text)
    return number if minimum <= number <= maximum else None


def query_year(value) -> int | None:
    return query_int(value, minimum=YEAR_MIN, maximum=YEAR_MAX)


def query_page(value) -> int:
    return query_int(value, minimum=1, maximum=PAGE_MAX) or 1


def _bounded(day: dt.date) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"date must lie between {DATE_MIN.isoformat()} and {DATE_MAX.isoformat()}")
    return day


def _bounded_moment(moment: dt.datetime) -> dt.datetime:
    _bounded(moment.date())
    return moment


# For django-ninja query schemas.
QueryDate = Annotated[dt.date, AfterValidator(_bounded)]
QueryDateTime = Annotated[dt.datetime, AfterValidator(_bounded_moment)]
QueryId = Annotated[int, Field(ge=1, le=ID_MAX)]
QueryYear = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]


def bounded_date_validators():
    """Validators for a Django forms.DateField: the same bounds."""

    return [MinValueValidator(DATE_MIN), MaxValueValidator(DATE_MAX)]
