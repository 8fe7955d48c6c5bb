"""Province-scale summaries of the monthly sums (`MonthCount`), for the leaders' case-flow views and the cockpit:

- `BodyMonth`: per body and month, the body's own units (`tree=False`) and the body with every body below it
  (`tree=True`). A leader's scope is whole bodies, so two years of a province are ~250 rows of its top body.
- `UnitYear`: per unit and calendar year, so the rankings (reports per committee, satisfaction per handling unit)
  order a few thousand yearly rows in the database and fetch the top ones only.

Both are recounted — never incremented — from `MonthCount` whenever one of its buckets is (`monthly.recounted`,
same transaction) or a source is rebuilt (`monthly.rebuilt`). `derive()` is the definition: the tests compare the
stored rows with it applied to a full recount of the case tables.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import ExtractYear

from lvzhi.orgs.models import OrgUnit, UnitKind

from .models import BodyMonth, MonthCount, UnitYear

# Sums the rankings order by, stored as one more metric of a unit's year so that a ranking is one index range:
# the rated replies of a handling unit (proposals) or a committee (reports), whatever the rating.
RANKED = {
    "proposals.assignment": {
        "rated": ("replied.rating:satisfied", "replied.rating:basic", "replied.rating:unsatisfied")
    },
    "opinions.report": {
        "rated": (
            "answered.satisfaction:satisfied",
            "answered.satisfaction:basically",
            "answered.satisfaction:unsatisfied",
        )
    },
}


def with_ranked(source: str, counts: dict[str, int]) -> dict[str, int]:
    """A unit's year {metric: n} with the ranking sums of `RANKED` added (non-zero ones)."""
    out = dict(counts)
    for name, parts in RANKED.get(source, {}).items():
        total = sum(counts.get(p, 0) for p in parts)
        if total:
            out[name] = total
    return out


def _body_paths() -> dict[int, str]:
    return dict(OrgUnit.objects.filter(kind=UnitKind.BODY).values_list("pk", "path"))


def _ancestor_bodies(path: str, bodies=None) -> list[int]:
    """The ids on the materialised path (the unit itself included), only those in `bodies` when given."""
    ids = [int(p) for p in path.strip("/").split("/") if p]
    return ids if bodies is None else [i for i in ids if i in bodies]


def derive(
    buckets: dict[tuple, int], body_paths: dict[int, str] | None = None, *, source: str = ""
) -> tuple[dict, dict, dict]:
    """From month buckets {(body, unit, month, metric): n}: the own and tree body totals {(body, month, metric): n}
    and the unit years {(body, unit, year, metric): n} — what the tables must hold."""
    paths = _body_paths() if body_paths is None else body_paths
    own, tree, years = defaultdict(int), defaultdict(int), defaultdict(int)
    for (body, unit, month, metric), n in buckets.items():
        own[(body, month, metric)] += n
        years[(body, unit, month.year, metric)] += n
    for (body, month, metric), n in own.items():
        if body in paths:
            for above in _ancestor_bodies(paths[body], paths):
                tree[(above, month, metric)] += n
    return _nonzero(own), _nonzero(tree), _ranked_years(source, _nonzero(years))


def _ranked_years(source: str, years: dict[tuple, int]) -> dict[tuple, int]:
    """{(body, unit, year, metric): n} with each unit-year's ranking sums added."""
    per_unit = defaultdict(dict)
    for (body, unit, year, metric), n in years.items():
        per_unit[(body, unit, year)][metric] = n
    return {(*key, m): n for key, counts in per_unit.items() for m, n in with_ranked(source, counts).items()}


def _nonzero(counts) -> dict:
    return {k: n for k, n in counts.items() if n}


def stored(source: str) -> tuple[dict, dict, dict]:
    own, tree = {}, {}
    for r in BodyMonth.objects.filter(source=source):
        (tree if r.tree else own)[(r.body_id, r.month, r.metric)] = r.n
    years = {(r.body_id, r.unit_id, r.year, r.metric): r.n for r in UnitYear.objects.filter(source=source)}
    return own, tree, years


# ---- kept with every recounted month bucket ------------------------------------------------------------------


def _sums(rows) -> list[tuple[str, int]]:
    return [(r["metric"], r["n"]) for r in rows.values("metric").annotate(n=Sum("n")).order_by() if r["n"]]


def recount(*, source: str, body_id: int, unit_id: int, month: dt.date) -> None:
    """After the month bucket (source, body, unit, month) was recounted: the body's own month, the tree month of
    the body and of every body above it, and the unit's year (8 queries + 3 per body on the path)."""
    with transaction.atomic():
        above = lock_path(body_id)
        own = _sums(MonthCount.objects.filter(source=source, body_id=body_id, month=month))
        _write_body(source, body_id, False, month, own)
        for a_id, a_path in above:
            below = OrgUnit.objects.filter(kind=UnitKind.BODY, path__startswith=a_path).values("pk")
            sums = _sums(BodyMonth.objects.filter(source=source, tree=False, month=month, body_id__in=below))
            _write_body(source, a_id, True, month, sums)
        year = month.year
        months = MonthCount.objects.filter(
            source=source,
            body_id=body_id,
            unit_id=unit_id,
            month__gte=dt.date(year, 1, 1),
            month__lte=dt.date(year, 12, 1),
        )
        rows = with_ranked(source, dict(_sums(months))).items()
        UnitYear.objects.filter(source=source, body_id=body_id, unit_id=unit_id, year=year).delete()
        UnitYear.objects.bulk_create(
            UnitYear(source=source, body_id=body_id, unit_id=unit_id, year=year, metric=m, n=n) for m, n in rows
        )


def lock_path(body_id: int) -> list[tuple[int, str]]:
    """Lock the bodies on the body's path, top first (FOR NO KEY UPDATE: foreign keys to them stay free), and
    return them deepest first. Two transactions recounting trees of the same province wait for each other here, so
    each one's sums read the other's committed rows (READ COMMITTED) and their delete-then-insert cannot collide."""
    path = OrgUnit.objects.filter(pk=body_id).values_list("path", flat=True).first() or ""
    bodies = OrgUnit.objects.select_for_update(no_key=True).filter(pk__in=_ancestor_bodies(path), kind=UnitKind.BODY)
    return list(reversed(bodies.order_by("depth").values_list("pk", "path")))


def _write_body(source, body_id, tree, month, rows) -> None:
    BodyMonth.objects.filter(source=source, body_id=body_id, tree=tree, month=month).delete()
    BodyMonth.objects.bulk_create(
        BodyMonth(source=source, body_id=body_id, tree=tree, month=month, metric=m, n=n) for m, n in rows
    )


def rebuild(source: str, *, since: dt.date | None = None) -> int:
    """Rewrite the source's body months (from `since`'s month) and unit years (from `since`'s year) from
    `MonthCount`: two GROUP BY queries, the trees summed here."""
    first = since.replace(day=1) if since else None
    months = MonthCount.objects.filter(source=source)
    own_rows = months.filter(month__gte=first) if first else months
    own = {
        (r["body_id"], r["month"], r["metric"]): r["n"]
        for r in own_rows.values("body_id", "month", "metric").annotate(n=Sum("n")).order_by()
        if r["n"]
    }
    # A tree month needs every body's own month: the months from `first` on are all in `own`.
    paths = _body_paths()
    tree = defaultdict(int)
    for (body, month, metric), n in own.items():
        if body in paths:
            for above in _ancestor_bodies(paths[body], paths):
                tree[(above, month, metric)] += n
    year_rows = months.filter(month__gte=dt.date(since.year, 1, 1)) if since else months
    years = _ranked_years(
        source,
        {
            (r["body_id"], r["unit_id"], r["year"], r["metric"]): r["n"]
            for r in year_rows.annotate(year=ExtractYear("month"))
            .values("body_id", "unit_id", "year", "metric")
            .annotate(n=Sum("n"))
            .order_by()
            if r["n"]
        },
    )
    with transaction.atomic():
        old = BodyMonth.objects.filter(source=source)
        old_years = UnitYear.objects.filter(source=source)
        if since:
            old, old_years = old.filter(month__gte=first), old_years.filter(year__gte=since.year)
        old.delete()
        old_years.delete()
        BodyMonth.objects.bulk_create(
            [BodyMonth(source=source, body_id=b, tree=False, month=m, metric=k, n=n) for (b, m, k), n in own.items()]
            + [BodyMonth(source=source, body_id=b, tree=True, month=m, metric=k, n=n) for (b, m, k), n in tree.items()],
            batch_size=5000,
        )
        UnitYear.objects.bulk_create(
            (UnitYear(source=source, body_id=b, unit_id=u, year=y, metric=k, n=n) for (b, u, y, k), n in years.items()),
            batch_size=5000,
        )
    return BodyMonth.objects.filter(source=source).count()


def fill_if_empty(now=None) -> int:
    """Tick job: a deployment whose monthly sums predate these tables gets them once."""
    if BodyMonth.objects.exists() or not MonthCount.objects.exists():
        return 0
    for source in list(MonthCount.objects.values_list("source", flat=True).distinct().order_by()):
        rebuild(source)
    return BodyMonth.objects.count()


# ---- reads ----------------------------------------------------------------------------------------------------


def body_totals(source: str, *, body_ids: Iterable[int], since: dt.date, until: dt.date) -> list[dict]:
    """The months of the trees of `body_ids` (which must not lie inside one another): rows {"metric", "period",
    "n"} like `monthly.totals(by_month=True)`, one query on a few hundred rows."""
    rows = BodyMonth.objects.filter(
        source=source, tree=True, body_id__in=list(body_ids), month__gte=since.replace(day=1), month__lte=until
    )
    return list(rows.values("metric", period=F("month")).annotate(n=Sum("n")).order_by("metric", "period"))


def ranked(
    source: str,
    *,
    year: int,
    metrics: Iterable[str],
    top: int,
    body_ids: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
) -> dict[int, dict[str, int]]:
    """The `top` units of the scope (bodies or units) by the sum of `metrics` in `year` (ties by unit id), with all
    their metrics of that year: {unit_id: {metric: n}} in rank order (two queries). Cases without a unit (0) are
    not ranked."""
    rows = UnitYear.objects.filter(source=source, year=year, unit_id__gt=0)
    if body_ids is not None:
        rows = rows.filter(body_id__in=list(body_ids))
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=list(unit_ids))
    best = list(
        rows.filter(metric__in=list(metrics))
        .values("unit_id")
        .annotate(total=Sum("n"))
        .order_by("-total", "unit_id")
        .values_list("unit_id", flat=True)[:top]
    )
    out = {uid: {} for uid in best}
    for r in rows.filter(unit_id__in=best).values("unit_id", "metric").annotate(n=Sum("n")).order_by():
        out[r["unit_id"]][r["metric"]] = r["n"]
    return out
