from .models import CalendarOverride


def overrides_of_year(year: int):
    return CalendarOverride.objects.filter(date__year=year).select_related("updated_by").order_by("date")
