"""The case-flow dashboard: public-opinion reports and proposals by stage (a funnel over the year's cohort and the
state each case is in now), by category, by committee and handling unit, adoption and instruction (批示) rates,
satisfaction of members per handling unit, and the year against the year before. Read from the summaries of the
general daily roll-up (sources `opinions.report`, `proposals.proposal`, `proposals.assignment`): a leader's months
from the body trees' totals (`summaries.BodyMonth`), a unit head's from the monthly sums of the units, the rankings
from the units' yearly sums (`summaries.UnitYear`, top units ordered in the database): eight queries whatever the
number of cases."""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from lvzhi.opinions.models import Category, Satisfaction
from lvzhi.orgs.models import OrgUnit
from lvzhi.proposals.models import Rating

from . import monthly, summaries
from .charts import Chart, pct_text, rate
from .scope import Scope

TOP = 15
# A report of the year's cohort now in one of these states has not been taken on (yet, or at all).
_NOT_TAKEN = {"draft", "submitted", "returned", "withdrawn", "transferred", "return_pending"}
_ANSWERED = {"answered", "closed"}
_P_NOT_ACCEPTED = {"draft", "submitted", "not_accepted", "merged", "converted", "withdrawn"}
_P_REPLIED = {"replied", "rehandling", "closed"}


def _filter(scope: Scope) -> dict:
    """Leaders' scopes (whole bodies) filter by body, a head's by unit."""
    if scope.exact or any(not r.is_body for r in scope.roots):
        return {"unit_ids": scope.unit_ids()}
    return {"body_ids": scope.body_ids()}


def _by_year(rows, years) -> dict:
    out = {y: defaultdict(int) for y in years}
    for r in rows:
        if r["period"].year in out:
            out[r["period"].year][r["metric"]] += r["n"]
    return out


def _status_sum(t, prefix, statuses) -> int:
    return sum(n for metric, n in t.items() if metric.startswith(prefix) and metric.split(":", 1)[1] in statuses)


def _months(source: str, scope: Scope, where: dict, since: dt.date, until: dt.date) -> list[dict]:
    """A leader's whole bodies from the tree totals of their top bodies (a few hundred rows), anyone else's units
    from the monthly sums of those units."""
    tops = scope.top_body_ids() if "body_ids" in where else None
    if tops is not None:
        return summaries.body_totals(source, body_ids=tops, since=since, until=until)
    return monthly.totals(source, **where, since=since, until=until, by_month=True)


_RATINGS = [f"replied.rating:{v}" for v in (Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED)]
_SATISFACTION = [f"answered.satisfaction:{v}" for v in Satisfaction.values]


def dashboard(scope: Scope, *, year: int, committees: bool = True) -> dict:
    """`committees=False` (the cockpit, which does not show it): no ranking of committees by reports."""
    where = _filter(scope)
    since, until = dt.date(year - 1, 1, 1), dt.date(year, 12, 31)
    years = (year - 1, year)
    ops = _by_year(_months("opinions.report", scope, where, since, until), years)
    props = _by_year(_months("proposals.proposal", scope, where, since, until), years)
    # The rankings: the top units of the year from the yearly sums, ordered in the database.
    committees = (
        summaries.ranked("opinions.report", year=year, metrics=["submitted"], top=TOP, **where) if committees else {}
    )
    handling = summaries.ranked("proposals.assignment", year=year, metrics=["rated"], top=TOP, **where)
    rated = summaries.ranked("opinions.report", year=year, metrics=["rated"], top=TOP, **where)
    names = dict(OrgUnit.objects.filter(pk__in=[*committees, *handling, *rated]).values_list("pk", "name"))
    charts = [
        _funnel_opinions(ops[year]),
        _funnel_proposals(props[year]),
        _categories(ops[year]),
        _per_committee(committees, names),
        _satisfaction(handling, rated, names),
        _year_on_year(ops, props, year),
    ]
    o, p = ops[year], props[year]
    o_taken = o["submitted"] - _status_sum(o, "submitted.status:", _NOT_TAKEN)
    p_accepted = p["submitted"] - _status_sum(p, "submitted.status:", _P_NOT_ACCEPTED)
    return {
        "year": year,
        "charts": charts,
        "opinions": o["submitted"],
        "opinion_adoption": rate(o_taken, o["submitted"]),
        # 批示率: reports given a leader's instruction in the year (by the month of the first one) per report received.
        "instructed": o["instructed"],
        "opinion_instruction": rate(o["instructed"], o["submitted"]),
        "instruction_text": pct_text(rate(o["instructed"], o["submitted"])),
        "proposals": p["submitted"],
        "proposal_adoption": rate(p_accepted, p["submitted"]),
    }


def _funnel_opinions(t) -> Chart:
    received = t["submitted"]
    taken = received - _status_sum(t, "submitted.status:", _NOT_TAKEN)
    answered = _status_sum(t, "submitted.status:", _ANSWERED)
    closed = t["submitted.status:closed"]
    stages = [_("Received"), _("Taken up"), _("Answered"), _("Closed")]
    values = [received, taken, answered, closed]
    return Chart(
        "opinion-funnel",
        _("Public-opinion reports by stage"),
        "funnel",
        stages,
        [(_("Number of reports"), values)],
        summary=_("%(received)s reports received this year, %(taken)s taken on (%(rate)s), %(closed)s closed.")
        % {"received": received, "taken": taken, "rate": pct_text(rate(taken, received)), "closed": closed},
        category_label=_("Stage"),
    )


def _funnel_proposals(t) -> Chart:
    submitted = t["submitted"]
    accepted = submitted - _status_sum(t, "submitted.status:", _P_NOT_ACCEPTED)
    replied = _status_sum(t, "submitted.status:", _P_REPLIED)
    closed = t["submitted.status:closed"]
    return Chart(
        "proposal-funnel",
        _("Proposals and suggestions by stage"),
        "funnel",
        [_("Submitted"), _("Accepted"), _("Replied"), _("Closed")],
        [(_("Number of items"), [submitted, accepted, replied, closed])],
        summary=_("%(submitted)s items submitted this year, %(accepted)s accepted (%(rate)s), %(replied)s replied.")
        % {
            "submitted": submitted,
            "accepted": accepted,
            "rate": pct_text(rate(accepted, submitted)),
            "replied": replied,
        },
        category_label=_("Stage"),
    )


def _categories(t) -> Chart:
    pairs = [(str(label), t[f"submitted.category:{value}"]) for value, label in Category.choices]
    pairs = sorted([p for p in pairs if p[1]], key=lambda p: -p[1])
    top = pairs[0] if pairs else None
    return Chart(
        "categories",
        _("Reports by category"),
        "pie",
        [p[0] for p in pairs],
        [(_("Number of reports"), [p[1] for p in pairs])],
        summary=(_("Most reports: %(cat)s (%(n)s).") % {"cat": top[0], "n": top[1]}) if top else _("No reports."),
        category_label=_("Category"),
    )


def _per_committee(committees, names) -> Chart:
    rows = sorted(
        ((names.get(uid, "—"), t.get("submitted", 0), t.get("answered", 0)) for uid, t in committees.items() if uid),
        key=lambda r: -r[1],
    )[:TOP]
    return Chart(
        "by-committee",
        _("Reports by committee or office"),
        "bar",
        [r[0] for r in rows],
        [(_("Received"), [r[1] for r in rows]), (_("Answered"), [r[2] for r in rows])],
        summary=(_("Most reports: %(unit)s (%(n)s).") % {"unit": rows[0][0], "n": rows[0][1]})
        if rows
        else _("No reports."),
        category_label=_("Committee or office"),
    )


def _satisfaction(handling, committees, names) -> Chart:
    rows = []
    for uid, t in handling.items():
        counts = [t.get(m, 0) for m in _RATINGS]
        if any(counts):
            rows.append((names.get(uid, "—"), *counts))
    for uid, t in committees.items():
        counts = [t.get(m, 0) for m in _SATISFACTION]
        if uid and any(counts):
            rows.append((names.get(uid, "—"), *counts))
    rows = sorted(rows, key=lambda r: -(r[1] + r[2] + r[3]))[:TOP]
    worst = max(rows, key=lambda r: r[3] / (r[1] + r[2] + r[3])) if rows else None
    return Chart(
        "satisfaction",
        _("Members' satisfaction with the replies, per handling unit"),
        "stack",
        [r[0] for r in rows],
        [
            (str(Satisfaction.SATISFIED.label), [r[1] for r in rows]),
            (str(Satisfaction.BASICALLY.label), [r[2] for r in rows]),
            (str(Satisfaction.UNSATISFIED.label), [r[3] for r in rows]),
        ],
        summary=(_("Most unsatisfied answers, as a share: %(unit)s.") % {"unit": worst[0]})
        if worst
        else _("No replies rated yet."),
        category_label=_("Handling unit"),
    )


def _year_on_year(ops, props, year) -> Chart:
    last, this = ops[year - 1], ops[year]
    plast, pthis = props[year - 1], props[year]
    items = [
        (_("Reports received"), last["submitted"], this["submitted"]),
        (_("Reports answered"), last["answered"], this["answered"]),
        (_("Reports with a leader's instruction"), last["instructed"], this["instructed"]),
        (_("Proposals submitted"), plast["submitted"], pthis["submitted"]),
        (_("Proposals accepted"), plast["accepted"], pthis["accepted"]),
        (_("Proposals replied"), plast["replied"], pthis["replied"]),
    ]
    change = rate(this["submitted"] - last["submitted"], last["submitted"])
    return Chart(
        "year-on-year",
        _("This year against last year"),
        "bar",
        [i[0] for i in items],
        [(str(year - 1), [i[1] for i in items]), (str(year), [i[2] for i in items])],
        summary=_("Reports received: %(last)s last year, %(this)s this year (%(change)s).")
        % {"last": last["submitted"], "this": this["submitted"], "change": pct_text(change)},
        category_label=_("Figure"),
    )
