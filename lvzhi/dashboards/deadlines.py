"""The deadline-accountability dashboard: on-time rates per rule, unit and month, overdue now, the slowest units —
all from the roll-up `DeadlineMonth` (a fixed number of queries whatever the number of cases) — and the drill-down
to the cases themselves (one page of deadlines of one unit, on the deadlines' indexes).

On-time rate = met on time / (met on time + met late + open past the time): the deadlines whose time has run out.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from lvzhi.core.errors import NotFound
from lvzhi.core.paging import slice_page as page_of
from lvzhi.core.timeutil import start_of_day
from lvzhi.workdays.calendar import due_date
from lvzhi.workflow.declaration import get_workflow
from lvzhi.workflow.models import Deadline

from . import deadline_summaries
from .charts import Chart, pct_text, rate
from .models import DeadlineBody, DeadlineMonth, DeadlineUnitYear
from .rollup import COUNTS, next_month
from .scope import Scope

PAGE = 20
SUMS = {name: Coalesce(Sum(name), 0) for name in COUNTS}


def rule_label(workflow: str, kind: str) -> str:
    """The rule in words: the workflow's label and the deadline rule's (or their codes). The workflows are
    declared by importing the apps' `workflows` modules (`declared_workflows()` once per request)."""
    wf = get_workflow(workflow)
    if wf is None:
        return f"{workflow} · {kind}"
    rule = wf.rule(kind)
    step = str(rule.label) if rule is not None and rule.label else kind
    return f"{wf.label or workflow} · {step}"


def declared_workflows() -> None:
    autodiscover_modules("workflows")


def parse_rule(value) -> tuple[str, str] | None:
    """ "workflow:kind" from a query string, or None (any rule)."""
    if not value or ":" not in str(value):
        return None
    workflow, kind = str(value)[:110].split(":", 1)
    return workflow, kind


def _ended(row) -> int:
    return row["on_time"] + row["late"] + row["overdue"]


def _rate_order():
    """The on-time rate of the summed counts (annotated under the fields' names), null without a denominator."""
    ended = F("on_time") + F("late") + F("overdue")
    return Cast(F("on_time"), FloatField()) / NullIf(Cast(ended, FloatField()), Value(0.0))


def _tables(scope: Scope, year: int, rule: tuple[str, str] | None):
    """(rows to group by month and rule, rows to rank the units on, the scope's monthly rows of the year). A leader's
    whole bodies read the summaries — the tree months of their top bodies and the units' yearly rows — anyone
    else's units the monthly roll-up itself."""
    base = DeadlineMonth.objects.filter(scope.rollup_q())
    if rule is not None:
        base = base.filter(workflow=rule[0], kind=rule[1])
    months = base.filter(month__gte=dt.date(year, 1, 1), month__lte=dt.date(year, 12, 1))
    tops = scope.top_body_ids()
    if tops is None:
        return base, months, months
    trees = DeadlineBody.objects.filter(tree=True, body_id__in=tops)
    if rule is not None:
        trees = trees.filter(workflow=rule[0], kind=rule[1])
    workflow, kind = rule or deadline_summaries.ALL
    ranking = DeadlineUnitYear.objects.filter(body_id__in=scope.body_ids(), year=year, workflow=workflow, kind=kind)
    return trees, ranking, months


def dashboard(
    scope: Scope, *, year: int, rule: tuple[str, str] | None = None, page: int = 1, heat: bool = True
) -> dict:
    """`heat=False` (the cockpit, which does not show it): no unit-by-month heat map, one query less."""
    declared_workflows()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    grouped, ranking, months = _tables(scope, year, rule)
    # One GROUP BY (month, rule) over the scope's rows gives the year's totals, months and rules and the overdue now.
    total = dict.fromkeys(COUNTS, 0)
    by_month, rules, overdue_now = {}, {}, 0
    for r in grouped.values("month", "workflow", "kind").annotate(**SUMS).order_by():
        overdue_now += r["overdue"]
        if not first <= r["month"] <= last:
            continue
        for target in (total, by_month.setdefault(r["month"], dict.fromkeys(COUNTS, 0)),
                       rules.setdefault((r["workflow"], r["kind"]), dict.fromkeys(COUNTS, 0))):  # fmt: skip
            for name in COUNTS:
                target[name] += r[name]
    by_rule = [{"workflow": w, "kind": k, **c} for (w, k), c in sorted(rules.items())]
    unit_page = page_of(
        ranking.values("unit_id", "unit__name")
        .annotate(**SUMS)
        .annotate(on_time_rate=_rate_order())
        .order_by(F("on_time_rate").asc(nulls_last=True), "-overdue", "unit__name", "unit_id"),
        page,
        PAGE,
    )
    units = unit_page.items
    rates = defaultdict(dict)
    page_units = [u["unit_id"] for u in units] if heat else []
    for r in months.filter(unit_id__in=page_units).values("unit_id", "month").annotate(**SUMS):
        rates[r["unit_id"]][r["month"]] = rate(r["on_time"], _ended(r))
    month_list = [dt.date(year, m, 1) for m in range(1, 13)]
    rule_param = f"{rule[0]}:{rule[1]}" if rule else ""
    charts = [
        _month_chart(month_list, by_month),
        _rule_chart(by_rule, year),
        _slowest_chart(units, year, rule_param),
        _heat_chart(units, rates, month_list),
    ]
    return {
        "year": year,
        "total": total,
        "rate": rate(total["on_time"], _ended(total)),
        "overdue_now": overdue_now,
        "charts": charts,
        "rules": [
            {"value": f"{r['workflow']}:{r['kind']}", "label": rule_label(r["workflow"], r["kind"])} for r in by_rule
        ],
        "rule": rule_param,
        "page": unit_page,
    }


def _month_chart(month_list, by_month) -> Chart:
    values, due = [], []
    for m in month_list:
        row = by_month.get(m)
        values.append(rate(row["on_time"], _ended(row)) if row else None)
        due.append(row["due"] if row else 0)
    known = [(m, v) for m, v in zip(month_list, values, strict=True) if v is not None]
    if known:
        low = min(known, key=lambda x: x[1])
        summary = _("On-time rate by month; lowest %(rate)s in %(month)s.") % {
            "rate": pct_text(low[1]),
            "month": _("month %(m)s") % {"m": low[0].month},
        }
    else:
        summary = _("No deadline fell due in this year.")
    return Chart(
        "by-month",
        _("On-time rate by month"),
        "line",
        [_("month %(m)s") % {"m": m.month} for m in month_list],
        [(_("On-time rate (%)"), values), (_("Deadlines due"), due)],
        summary=summary,
        category_label=_("Month"),
        percent=True,
    )


def _rule_chart(by_rule, year) -> Chart:
    cats = [rule_label(r["workflow"], r["kind"]) for r in by_rule]
    summary = _("%(n)s deadline rules had deadlines in %(year)s.") % {"n": len(by_rule), "year": year}
    return Chart(
        "by-rule",
        _("Deadlines by rule"),
        "stack",
        cats,
        [
            (_("On time"), [r["on_time"] for r in by_rule]),
            (_("Late"), [r["late"] for r in by_rule]),
            (_("Overdue, still open"), [r["overdue"] for r in by_rule]),
            (_("On-time rate (%)"), [rate(r["on_time"], _ended(r)) for r in by_rule]),
        ],
        summary=summary,
        category_label=_("Deadline rule"),
    )


def _slowest_chart(units, year, rule_param) -> Chart:
    cats = [u["unit__name"] for u in units]
    rates = [rate(u["on_time"], _ended(u)) for u in units]
    if units:
        summary = _("Lowest on-time rate: %(unit)s, %(rate)s, %(overdue)s overdue now.") % {
            "unit": cats[0],
            "rate": pct_text(rates[0]),
            "overdue": units[0]["overdue"],
        }
    else:
        summary = _("No unit had deadlines in this year.")
    links = [f"/dashboards/deadlines/cases/?unit={u['unit_id']}&year={year}&rule={rule_param}" for u in units]
    return Chart(
        "slowest-units",
        _("Units by on-time rate, lowest first"),
        "hbar",
        cats,
        [
            (_("On-time rate (%)"), rates),
            (_("Due"), [u["due"] for u in units]),
            (_("Late"), [u["late"] for u in units]),
            (_("Overdue, still open"), [u["overdue"] for u in units]),
        ],
        summary=summary,
        category_label=_("Unit"),
        percent=True,
        links=links,
    )


def _heat_chart(units, rates, month_list) -> Chart:
    return Chart(
        "unit-month",
        _("On-time rate by unit and month"),
        "heatmap",
        [u["unit__name"] for u in units],
        [(u["unit__name"], [rates[u["unit_id"]].get(m) for m in month_list]) for u in units],
        summary=_("On-time rate of the units above in each month of the year; empty where nothing fell due."),
        category_label=_("Unit"),
        percent=True,
        columns=[_("month %(m)s") % {"m": m.month} for m in month_list],
    )


# ---- drill-down: the cases ----------------------------------------------------------------------------------------

STATES = ("overdue", "late", "on_time", "open")


def cases(unit, *, year: int | None, rule=None, state: str = "", page: int = 1, now=None) -> dict:
    """One page of the deadlines of `unit` (scope-checked by the caller), with a link to each case's page."""
    declared_workflows()
    now = now or timezone.now()
    qs = Deadline.objects.filter(responsible_unit=unit)
    if rule is not None:
        qs = qs.filter(workflow=rule[0], kind=rule[1])
    if year:
        qs = qs.filter(
            due_at__gt=start_of_day(dt.date(year, 1, 1)), due_at__lte=start_of_day(next_month(dt.date(year, 12, 1)))
        )
    if state not in STATES:
        state = "overdue"
    qs = qs.filter(
        {
            "overdue": Q(met_at__isnull=True, paused_at__isnull=True, due_at__lte=now),
            "late": Q(met_at__isnull=False, met_at__gte=F("due_at")),
            "on_time": Q(met_at__isnull=False, met_at__lt=F("due_at")),
            "open": Q(met_at__isnull=True),
        }[state]
    )
    rows = page_of(qs.order_by("due_at", "id"), page, PAGE)
    return {"rows": _with_links(rows.items), "state": state, "page": rows}


def _with_links(rows: list[Deadline]) -> list[dict]:
    """Each deadline with its case's title and link (one query per case kind on the page)."""
    by_flow = defaultdict(set)
    for d in rows:
        by_flow[d.workflow].add(d.object_id)
    objects = {}
    for name, ids in by_flow.items():
        wf = get_workflow(name)
        if wf is not None and wf.model is not None:
            for pk, obj in wf.model._default_manager.in_bulk(list(ids)).items():
                objects[(name, pk)] = (wf, obj)
    result = []
    for d in rows:
        wf, obj = objects.get((d.workflow, d.object_id), (None, None))
        result.append(
            {
                "deadline": d,
                "rule": rule_label(d.workflow, d.kind),
                "last_day": due_date(d.due_at),
                "title": str(wf.title(obj)) if obj is not None else f"#{d.object_id}",
                "link": wf.link(obj) if obj is not None else "",
            }
        )
    return result


def year_param(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    if not 2000 <= year <= 2100:
        raise NotFound()
    return year
