"""Province-scale summaries of the on-time roll-up (`DeadlineMonth`), for a leader's accountability view and the
cockpit: `DeadlineBody` (per body, rule and month: the body's own units and its whole tree) and `DeadlineUnitYear`
(per unit, rule and year, plus the unit's all-rules row) — so a province reads ~200 tree rows and orders ~3,000
yearly unit rows instead of summing ~150,000 monthly ones.

Recounted — never incremented — from `DeadlineMonth` whenever `rollup` stores buckets (same transaction) and
rewritten by `rollup.rebuild`. `derive()` is the definition: the tests compare the stored rows with it applied to
`rollup.full_recount()`.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Sum

from lvzhi.orgs.models import OrgUnit, UnitKind

from .models import DeadlineBody, DeadlineMonth, DeadlineUnitYear

COUNTS = ("due", "on_time", "late", "open", "overdue")
ALL = ("", "")  # the all-rules (workflow, kind) of a unit's year
SUMS = {name: Sum(name) for name in COUNTS}


def _add(target: dict, key, counts) -> None:
    row = target.setdefault(key, dict.fromkeys(COUNTS, 0))
    for name in COUNTS:
        row[name] += counts[name]


def _path_ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def derive(buckets: dict[tuple, dict], body_paths: dict[int, str] | None = None) -> tuple[dict, dict, dict]:
    """From {(body, unit, workflow, kind, month): counts}: own and tree body months {(body, workflow, kind, month):
    counts} and unit years {(body, unit, workflow, kind, year): counts} (with the all-rules rows)."""
    paths = (
        dict(OrgUnit.objects.filter(kind=UnitKind.BODY).values_list("pk", "path")) if body_paths is None else body_paths
    )
    own, tree, years = {}, {}, {}
    for (body, unit, workflow, kind, month), counts in buckets.items():
        _add(own, (body, workflow, kind, month), counts)
        _add(years, (body, unit, workflow, kind, month.year), counts)
        _add(years, (body, unit, *ALL, month.year), counts)
    for (body, workflow, kind, month), counts in own.items():
        for above in [i for i in _path_ids(paths.get(body, "")) if i in paths]:
            _add(tree, (above, workflow, kind, month), counts)
    return own, tree, years


def stored() -> tuple[dict, dict, dict]:
    own, tree = {}, {}
    for r in DeadlineBody.objects.all():
        (tree if r.tree else own)[(r.body_id, r.workflow, r.kind, r.month)] = {n: getattr(r, n) for n in COUNTS}
    years = {
        (r.body_id, r.unit_id, r.workflow, r.kind, r.year): {n: getattr(r, n) for n in COUNTS}
        for r in DeadlineUnitYear.objects.all()
    }
    return own, tree, years


def _rules(rows) -> dict[tuple[str, str], dict]:
    return {(r["workflow"], r["kind"]): {n: r[n] or 0 for n in COUNTS} for r in rows}


def _write_body(body_id: int, tree: bool, month: dt.date, sums: dict) -> None:
    DeadlineBody.objects.filter(body_id=body_id, tree=tree, month=month).delete()
    DeadlineBody.objects.bulk_create(
        DeadlineBody(body_id=body_id, tree=tree, workflow=w, kind=k, month=month, **c)
        for (w, k), c in sums.items()
        if c["due"]
    )


def recount(buckets: Iterable[tuple[int, str, str, dt.date]]) -> None:
    """After `rollup` stored these (unit, workflow, kind, month) buckets: the own and tree months of their bodies
    and of every body above, and the units' years — all rules of each (body, month) and (unit, year) at once."""
    buckets = set(buckets)
    if not buckets:
        return
    units = {
        pk: (body or pk, path)
        for pk, body, path in OrgUnit.objects.filter(pk__in={b[0] for b in buckets}).values_list(
            "pk", "body_id", "path"
        )
    }
    body_months = {(units[u][0], m) for u, _w, _k, m in buckets if u in units}
    unit_years = {(u, m.year) for u, _w, _k, m in buckets if u in units}
    with transaction.atomic():
        tops = _lock_paths({b for b, _m in body_months})
        for body, month in body_months:
            rows = DeadlineMonth.objects.filter(body_id=body, month=month).values("workflow", "kind").annotate(**SUMS)
            _write_body(body, False, month, _rules(rows.order_by()))
        for body, month in body_months:
            for a_id in [i for i in _path_ids(tops.get(body, "")) if i in tops]:
                below = OrgUnit.objects.filter(kind=UnitKind.BODY, path__startswith=tops[a_id]).values("pk")
                rows = DeadlineBody.objects.filter(tree=False, month=month, body_id__in=below)
                _write_body(a_id, True, month, _rules(rows.values("workflow", "kind").annotate(**SUMS).order_by()))
        for unit, year in unit_years:
            _recount_unit_year(units[unit][0], unit, year)


def _lock_paths(bodies: set[int]) -> dict[int, str]:
    """Lock every body on the bodies' paths, top first (as `summaries.lock_path`): {body id: path}."""
    paths = dict(OrgUnit.objects.filter(pk__in=bodies).values_list("pk", "path"))
    ids = {i for b in bodies for i in _path_ids(paths.get(b, ""))}
    locked = OrgUnit.objects.select_for_update(no_key=True).filter(pk__in=ids, kind=UnitKind.BODY)
    return dict(locked.order_by("depth", "pk").values_list("pk", "path"))


def _recount_unit_year(body: int, unit: int, year: int) -> None:
    rows = DeadlineMonth.objects.filter(unit_id=unit, month__gte=dt.date(year, 1, 1), month__lte=dt.date(year, 12, 1))
    sums = _rules(rows.values("workflow", "kind").annotate(**SUMS).order_by())
    total = dict.fromkeys(COUNTS, 0)
    for counts in sums.values():
        for name in COUNTS:
            total[name] += counts[name]
    sums[ALL] = total
    DeadlineUnitYear.objects.filter(unit_id=unit, year=year).delete()
    DeadlineUnitYear.objects.bulk_create(
        DeadlineUnitYear(body_id=body, unit_id=unit, workflow=w, kind=k, year=year, **c)
        for (w, k), c in sums.items()
        if c["due"]
    )


def rebuild() -> int:
    """Rewrite both tables from `DeadlineMonth` (one read of it, summed here)."""
    fields = ("body_id", "unit_id", "workflow", "kind", "month", *COUNTS)
    buckets = {
        (b, u, w, k, m): dict(zip(COUNTS, c, strict=True))
        for b, u, w, k, m, *c in DeadlineMonth.objects.values_list(*fields).iterator(chunk_size=10000)
    }
    own, tree, years = derive(buckets)
    with transaction.atomic():
        DeadlineBody.objects.all().delete()
        DeadlineUnitYear.objects.all().delete()
        DeadlineBody.objects.bulk_create(
            [DeadlineBody(body_id=b, tree=False, workflow=w, kind=k, month=m, **c) for (b, w, k, m), c in own.items()]
            + [
                DeadlineBody(body_id=b, tree=True, workflow=w, kind=k, month=m, **c) for (b, w, k, m), c in tree.items()
            ],
            batch_size=5000,
        )
        DeadlineUnitYear.objects.bulk_create(
            (
                DeadlineUnitYear(body_id=b, unit_id=u, workflow=w, kind=k, year=y, **c)
                for (b, u, w, k, y), c in years.items()
            ),
            batch_size=5000,
        )
    return len(own) + len(tree)


def fill_if_empty(now=None) -> int:
    """Tick job: an on-time roll-up that predates these tables gets them once."""
    if DeadlineBody.objects.exists() or not DeadlineMonth.objects.exists():
        return 0
    return rebuild()
