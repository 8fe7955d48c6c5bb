from .models import BodySetting, OrgUnit, UnitKind
from .settings_registry import default_for


def subtree(unit: OrgUnit):
    """The unit and everything below it, in one query."""
    return OrgUnit.objects.filter(path__startswith=unit.path)


def ancestors(unit: OrgUnit, include_self=True):
    ids = unit.ancestor_ids()
    if not include_self:
        ids = ids[:-1]
    return OrgUnit.objects.filter(id__in=ids).order_by("depth")


def bodies():
    return OrgUnit.objects.filter(kind=UnitKind.BODY, is_active=True)


def body_setting(unit: OrgUnit, key: str):
    """The value of `key` for the unit's body: its own, else the nearest ancestor body's, else the default."""
    ids = unit.ancestor_ids()
    rows = dict(BodySetting.objects.filter(body_id__in=ids, key=key).values_list("body_id", "value"))
    for unit_id in reversed(ids):
        if unit_id in rows:
            return rows[unit_id]
    return default_for(key)


def unit_by_function(body: OrgUnit, function: str):
    return OrgUnit.objects.filter(body=body, function=function, is_active=True).first()
