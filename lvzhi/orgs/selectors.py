from django.db.models import Count, Q

from lvzhi.core import cache

from .limits import limit_for, within
from .models import BodySetting, OrgUnit, UnitKind, UnitLeader
from .settings_registry import default_for, label_for, registered_keys


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
            # A stored value outside the bounds (written before they existed) counts as the default; `lvzhi check`
            # reports it until an administrator corrects it.
            return rows[unit_id] if within(key, rows[unit_id]) else default_for(key)
    return default_for(key)


def capped_setting(unit: OrgUnit | None, key: str, at_most: int | None = None) -> int:
    """The unit's body's number for `key` read as a ceiling a body may only tighten: kept within the key's bounds in
    the limits registry (at least 1) and at most `at_most`. Unreadable: the default, else the ceiling."""
    value = body_setting(unit, key) if unit is not None else default_for(key)
    limit = limit_for(key)
    low = max(1, limit.minimum or 1) if limit else 1
    ceilings = [c for c in (limit.maximum if limit else None, at_most) if c is not None]
    ceiling = min(ceilings) if ceilings else None
    default = default_for(key)
    try:
        n = int(value)
    except (TypeError, ValueError):
        n = int(default) if default is not None else ceiling
    return max(low, n if ceiling is None else min(n, ceiling))


def unit_by_function(body: OrgUnit, function: str):
    """The body's active unit with `function` (None if none): kept under the version of `cache.WRITES_KEY`, which
    every audited write bumps (creating, renaming, deactivating a unit are audited), between requests."""

    def load():
        return OrgUnit.objects.filter(body=body, function=function, is_active=True).first()

    return cache.cached(cache.WRITES_KEY, load, timeout=600, variant=("orgs.unit_by_function", body.pk, function))


def units_with_user_counts(q: Q | None = None):
    """Units (filtered by `q`) in tree order with `user_count` (active users directly in the unit): one query."""
    qs = OrgUnit.objects.all() if q is None else OrgUnit.objects.filter(q)
    return qs.annotate(user_count=Count("users", filter=Q(users__is_active=True))).order_by("path")


def effective_settings(body: OrgUnit) -> list[dict]:
    """Every registered key with its effective value for `body` and where it comes from (S3-18, S4-2.2):
    source "own", "inherited" (with `source_body`) or "default". Two queries whatever the number of keys."""
    ids = body.ancestor_ids()
    names = dict(OrgUnit.objects.filter(id__in=ids).values_list("id", "name"))
    own: dict[str, dict[int, object]] = {}
    for body_id, key, value in BodySetting.objects.filter(body_id__in=ids).values_list("body_id", "key", "value"):
        own.setdefault(key, {})[body_id] = value
    rows = []
    for key in registered_keys():
        row = {"key": key, "label": label_for(key), "default": default_for(key), "source": "default"}
        row["limit"] = limit_for(key)
        row["value"] = row["default"]
        row["source_body"] = None
        row["has_own"] = body.pk in own.get(key, {})
        for unit_id in reversed(ids):
            if unit_id in own.get(key, {}):
                row["value"] = own[key][unit_id]
                row["source"] = "own" if unit_id == body.pk else "inherited"
                row["source_body"] = None if unit_id == body.pk else {"id": unit_id, "name": names.get(unit_id, "")}
                row["out_of_bounds"] = not within(key, row["value"])
                break
        rows.append(row)
    return rows


def unit_leaders(unit: OrgUnit) -> list:
    """The unit's responsible leaders (S2-5), principal first."""

    order = {UnitLeader.Duty.PRINCIPAL: 0, UnitLeader.Duty.IN_CHARGE: 1}
    return sorted(UnitLeader.objects.filter(unit=unit), key=lambda row: order.get(row.duty, 9))


def missing_leader_duties(unit: OrgUnit) -> list[str]:
    """The duties (principal, in charge) the unit has no named leader for yet (S2-5)."""

    held = set(UnitLeader.objects.filter(unit=unit).values_list("duty", flat=True))
    return [duty for duty in UnitLeader.Duty.values if duty not in held]
