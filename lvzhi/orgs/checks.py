"""`lvzhi check`: stored body settings outside their bounds (a body relaxed a seed's limit) are errors."""

from django.core import checks
from django.db import DatabaseError

from .limits import LIMITS, within
from .models import BodySetting


@checks.register("lvzhi")
def settings_within_bounds(app_configs=None, **kwargs):
    errors = []
    try:
        rows = list(
            BodySetting.objects.filter(key__in=list(LIMITS)).values_list("body_id", "body__name", "key", "value")
        )
    except DatabaseError:  # no database yet (before migrate): nothing stored, nothing to check
        return []
    for body_id, body_name, key, value in rows:
        if within(key, value):
            continue
        limit = LIMITS[key]
        errors.append(
            checks.Error(
                f"Body setting {key}={value!r} of body {body_id} ({body_name}) is outside its bounds "
                f"{limit.minimum}–{limit.maximum}.",
                hint=f"{limit.meaning} Correct it in the back office (body settings) or remove the body's own value.",
                obj=f"orgs.BodySetting(body={body_id}, key={key})",
                id="orgs.E001",
            )
        )
    return errors
