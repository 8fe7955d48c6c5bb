from .models import CalendarOverride, CalendarYear


def overrides_of_year(year: int):
    return CalendarOverride.objects.filter(date__year=year).select_related("updated_by").order_by("date")


def confirmation_of(year: int) -> CalendarYear | None:
    """The year's confirmation (who and when), or None."""
    return CalendarYear.objects.filter(year=year, confirmed_at__isnull=False).select_related("confirmed_by").first()
