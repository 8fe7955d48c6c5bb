"""Benchmark of the leaders' dashboards on PostgreSQL at province scale (issue 21).

Usage:  .venv/bin/python bench/dashboards.py [--scale 1] [--rebuild] [-n 100] [--port 8031]

Data at --scale 1: a province CPPCC with 15 city bodies, each with 10 county bodies; every body has 6 committees and
offices and 12 handling units (≈3,000 units), 1,000,000 deadlines of 8 rules over two years (a third of them met late
or still open), and the general daily roll-up (`core.DailyCount`) of 500,000 reports and 500,000 proposals spread
over the same units and days. Built with INSERT … SELECT FROM generate_series in the benchmark's own database
(`lvzhi_dash_bench`; BENCH_DATABASE_URL overrides), reused by a second run unless --rebuild. The on-time roll-up
is then rebuilt in full (`lvzhi.dashboards.rollup.rebuild`, what `lvzhi rebuild_deadline_stats` runs) and timed.

Measured: the four dashboards as the province's leader (the whole province), a city's leader and a committee's
head, p50/p95 against the bare Django page of the same server (the machine's load). Target p95 < 150 ms.

Session 5 (29 Nov 2026, --scale 1, quiet moment, load 0.5, bare page p50 3.6–4.4 ms, -n 30): the province's case
flows 453 ms and cockpit 571 ms p95 MISSED (four sums over 120,000–230,000 monthly rows); everything else MET
(province deadlines 102 ms, duty 32 ms; city ≤ 80 ms; committee head 17–26 ms).

Session 6 (29 Nov 2026, same data): a leader's views read the summaries — body-tree months (`BodyMonth`,
`DeadlineBody`: the top body's rows only) and unit years (`UnitYear`, `DeadlineUnitYear`: the rankings ordered in
the database). Filled once from the existing roll-ups in 287 s (monthly sums and their summaries; 66 s for the
summaries alone) and 27 s (on-time summaries): 239,040 BodyMonth, ~128,000 UnitYear, 66,016 DeadlineBody, 24,367
DeadlineUnitYear rows. EXPLAIN ANALYZE as the province's leader (166 bodies, load average 6–8): two years of reports
by month 156 ms → 0.4 ms (230 rows), reports per committee 169 ms → 3.3 ms (top 15), handling units by ratings
13–31 ms → 2.5 ms (the stored `rated` sum), deadlines by month and rule 103 ms → 0.2 ms, slowest units 106–119 ms
→ 10–18 ms. Django CPU per page in process (median of 10, little affected by load; queries): province deadlines
29 ms (8), flows 32 ms (14), duty 28 ms (12), cockpit 37 ms (14); city 25, 27, 24, 32 ms; committee head 17, 20,
17, 22 ms — the province now costs about what a city does (the cockpit was the deadlines page plus the flows page).
p95 over HTTP, -n 30, on a machine shared by 5 sessions (2 cores), from loaded (A, B) to nearly quiet (D):
  role / bare p50     deadlines  page 5  flows  duty  cockpit
  run A, load 4.6, bare p50 12.4–19.9 ms (before the `rated` sum and the trimmed cockpit):
  province               100       94     166    127    206
  city                   112      184     122     87    172
  committee head          81       75      85    100    179
  run B, load 5.0, bare p50 23.9–28.3 ms (final code):
  province               155      152     164    138    228
  city                   129      175     158    121    184
  committee head          96      108     127    100    164
  run C, load 4.1 → 2.0, bare p50 6.2–14.9 ms (final code, the quietest moment of the session):
  province                77      111     104     84    152
  city                    85       84      98     83    103
  committee head          47       67      64     47     73
  run D, load 2.0 → 1.8, bare p50 4.8–7.9 ms (final code; close to session 5's quiet 3.6–4.4 ms): every page MET
  province                41      102     101     61    113
  city                    24       26      24     24     38
  committee head          17       37      60     52     69
Under load even the committee head's pages (17–26 ms at a quiet moment last session) take 55–110 ms p50 (run B), so
the misses are mostly the machine's: the province's pages now take 1.0–2.4× the committee head's p50 (the flows 20×
in session 5). In run C only the province's cockpit missed, by 2 ms (bare page p50 6.2 ms); in run D, the nearest
to session 5's quiet moment, every dashboard of every role met p95 < 150 ms (the province's at most 113 ms).
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Server, bench_database_url, report, setup_django  # noqa: E402

DATABASE = "lvzhi_dash_bench"
PASSWORD = "Lvzhi@2026bench"
RULES = [
    ("opinions.report", "route"),
    ("opinions.report", "handle"),
    ("opinions.report", "hotline"),
    ("proposals.lead", "reply"),
    ("proposals.cohandling", "opinion"),
    ("datachange.request", "carry_out"),
    ("newmedia.filing", "file"),
    ("duty.objection", "answer"),
]
PROVINCE_LEADER, CITY_LEADER, HEAD = "13600000001", "13600000002", "13600000003"


def log(*args):
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def build_units(cities: int, counties: int):
    from lvzhi.accounts.roles import Role
    from lvzhi.orgs.models import Level, OrgUnit, UnitKind
    from lvzhi.testing import make_body, make_unit, make_user

    province = OrgUnit.objects.filter(name="基准省政协").first()
    if province is not None:
        return province
    log("org units")
    province = make_body("基准省政协", level=Level.PROVINCE)
    bodies = [province]
    for c in range(cities):
        city = make_body(f"基准{c}市政协", parent=province)
        bodies.append(city)
        for k in range(counties):
            bodies.append(make_body(f"基准{c}市{k}县政协", level=Level.COUNTY, parent=city))
    for body in bodies:
        for i in range(6):
            make_unit(body, f"委员会{i}", kind=UnitKind.COMMITTEE)
        for i in range(12):
            make_unit(body, f"承办单位{i}", kind=UnitKind.HANDLING_UNIT)
    city = bodies[1]
    make_user(province, roles=[Role.LEADER], phone=PROVINCE_LEADER, password=PASSWORD, real_name="省领导")
    make_user(city, roles=[Role.LEADER], phone=CITY_LEADER, password=PASSWORD, real_name="市领导")
    committee = OrgUnit.objects.filter(body=city, kind=UnitKind.COMMITTEE).order_by("pk").first()
    make_user(committee, roles=[Role.HEAD], phone=HEAD, password=PASSWORD, real_name="主任")
    return province


DEADLINES_SQL = """
    INSERT INTO workflow_deadline (content_type_id, object_id, workflow, kind, responsible_unit_id, started_at,
        due_at, met_at, notify_roles, escalate_roles)
    SELECT {ct}, g, r.w, r.k, u.id, d.due - interval '10 days', d.due,
        CASE WHEN g % 10 < 7 THEN d.due - interval '2 days'
             WHEN g % 10 < 9 AND d.due < now() THEN d.due + interval '3 days' END,
        '[]', '[]'
    FROM generate_series(1, {n}) g
    JOIN bench_units u ON u.i = 1 + (g::bigint * 7919) % {units}
    JOIN bench_rules r ON r.i = 1 + g % {rules}
    CROSS JOIN LATERAL (SELECT date_trunc('day', now() - interval '700 days' + (g % 730) * interval '1 day')
        + interval '16 hours' AS due) d
"""
COUNTS_SQL = """
    INSERT INTO core_dailycount (source, body_id, unit_id, day, metric, n)
    SELECT s.source, u.body_id, u.id, (now() - (d * interval '1 day'))::date, m.metric, 1 + (u.i + d) % 3
    FROM bench_units u
    CROSS JOIN generate_series(0, 729, {step}) d
    JOIN (VALUES ('opinions.report', 'committee'), ('proposals.proposal', 'committee'),
                 ('proposals.assignment', 'handling_unit')) s(source, kind) ON s.kind = u.kind
    CROSS JOIN (VALUES ('submitted'), ('submitted.status:closed'), ('submitted.status:handling'),
        ('submitted.category:economy'), ('answered'), ('answered.satisfaction:satisfied'), ('accepted'),
        ('replied'), ('replied.rating:satisfied'), ('replied.rating:unsatisfied')) m(metric)
"""


def build_rows(n_deadlines: int, n_cases: int):
    """Deadlines, the general daily roll-up and the on-time roll-up, each only if missing (a run may resume)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from lvzhi.core.models import DailyCount
    from lvzhi.dashboards import rollup
    from lvzhi.dashboards.models import DeadlineMonth
    from lvzhi.opinions.models import Report
    from lvzhi.workflow.models import Deadline

    ct = ContentType.objects.get_for_model(Report).pk
    rules = ",".join(f"('{w}','{k}')" for w, k in RULES)
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE bench_units AS SELECT row_number() OVER (ORDER BY id) AS i, id, body_id, kind "
            "FROM orgs_orgunit WHERE kind IN ('committee', 'handling_unit')"
        )
        cur.execute("SELECT count(*) FROM bench_units")
        units = cur.fetchone()[0]
        cur.execute(
            f"CREATE TEMP TABLE bench_rules AS SELECT row_number() OVER () AS i, * FROM (VALUES {rules}) r(w, k)"
        )
        if not Deadline.objects.exists():
            log(f"{n_deadlines} deadlines")
            cur.execute(DEADLINES_SQL.format(ct=ct, n=n_deadlines, units=units, rules=len(RULES)))
        if not DailyCount.objects.exists():
            step = max(1, int(7 / max(n_cases / 500_000, 0.01)))
            log(f"daily roll-up of reports and proposals: every {step}th day of every committee and handling unit")
            cur.execute(COUNTS_SQL.format(step=step))
        cur.execute("ANALYZE")
    from lvzhi.dashboards import monthly, summaries

    t0 = time.perf_counter()
    if monthly.fill_if_empty():  # with the body and unit-year summaries (the `rebuilt` hook)
        log(f"monthly sums of the daily roll-up and their summaries in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    if summaries.fill_if_empty():  # monthly sums built before the summaries existed
        log(f"body months and unit years of the monthly sums in {time.perf_counter() - t0:.1f} s")
    if not DeadlineMonth.objects.exists():
        log("on-time roll-up, full rebuild")
        t0 = time.perf_counter()
        rows = rollup.rebuild()
        log(f"rebuild: {rows} DeadlineMonth rows (and their summaries) in {time.perf_counter() - t0:.1f} s")
    from lvzhi.dashboards import deadline_summaries

    t0 = time.perf_counter()
    if deadline_summaries.fill_if_empty():  # an on-time roll-up built before the summaries existed
        log(f"body months and unit years of the on-time roll-up in {time.perf_counter() - t0:.1f} s")
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("-n", type=int, default=100)
    parser.add_argument("--port", type=int, default=8031)
    args = parser.parse_args()
    url = bench_database_url(DATABASE)
    if args.rebuild:
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DATABASE}"],
                       check=False)  # fmt: skip
        url = bench_database_url(DATABASE)
    setup_django(url)
    cities = max(1, int(15 * args.scale))
    build_units(cities, 10)
    build_rows(int(1_000_000 * args.scale), int(500_000 * args.scale))
    from bench.bare import BARE_PATH
    from lvzhi.core.timeutil import local_date

    year = local_date().year
    pages = [
        ("deadline accountability", f"/dashboards/deadlines/?year={year}"),
        ("deadlines, page 5 of units", f"/dashboards/deadlines/?year={year}&page=5"),
        ("case flows", f"/dashboards/flows/?year={year}"),
        ("duty performance", f"/dashboards/duty/?year={year}"),
        ("leaders' cockpit", f"/dashboards/screen/?year={year}"),
    ]
    with Server(url, port=args.port, app="bench.wsgi") as server:
        for label, phone in (("province", PROVINCE_LEADER), ("city", CITY_LEADER), ("committee head", HEAD)):
            session = server.login(phone, PASSWORD)
            print(report("bare Django page (yardstick)", server.time_get(session, BARE_PATH, n=args.n)))
            for name, path in pages:
                print(report(f"{label}: {name}", server.time_get(session, path, n=args.n), 150))


if __name__ == "__main__":
    main()
