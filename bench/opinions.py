"""Benchmark of public-opinion reports: 200,000 reports with full histories on PostgreSQL.

Usage:  .venv/bin/python bench/opinions.py [--reports 200000] [--rebuild]
Targets: a committee office's work queue and the leader's statistics p95 < 150 ms; a member's "my reports"
p95 < 100 ms. The data are built with INSERT … SELECT FROM generate_series (seconds, not minutes) in the
benchmark's own database (`lvzhi_bench_opinions`); a second run reuses them unless --rebuild.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Server, bench_database_url, report, setup_django  # noqa: E402

PASSWORD = "Lvzhi@2026bench"
COMMITTEES = 20
MEMBERS = 2000
MEMBER_PHONE_PREFIX = "136"  # the generated members' numbers (bench/province.py uses another)


def build(n_reports: int):
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from lvzhi.accounts import services as accounts
    from lvzhi.accounts.models import User
    from lvzhi.opinions.models import Report
    from lvzhi.orgs import services as orgs
    from lvzhi.orgs.models import BodyType, Level, UnitKind

    t0 = time.perf_counter()
    with transaction.atomic():
        body = orgs.create_unit(
            actor=None, name="基准市政协", kind=UnitKind.BODY, level=Level.CITY, body_type=BodyType.CPPCC
        )
        committees = [
            orgs.create_unit(actor=None, name=f"第{i + 1}专门委员会", kind=UnitKind.COMMITTEE, parent=body)
            for i in range(COMMITTEES)
        ]
        hotline = orgs.create_unit(actor=None, name="委员热线", kind=UnitKind.HOTLINE, parent=body)

        def person(phone, name, unit, role, at):
            user = accounts.create_user(actor=None, phone=phone, real_name=name, unit=unit, initial_password=PASSWORD)
            User.objects.filter(pk=user.pk).update(must_change_password=False)
            accounts.grant_role(actor=None, user=user, role=role, unit=at)
            return user

        person("13700000001", "基准干事", committees[0], "staff", committees[0])
        person("13700000002", "基准热线", hotline, "hotline", hotline)
        person("13700000003", "基准领导", body, "leader", body)
        member = person("13700000004", "基准委员", body, "member", body)
        accounts.set_member_profile(actor=None, user=member, body=body, committee=committees[0])
        hashed = make_password(PASSWORD)
        User.objects.bulk_create(
            [
                User(
                    phone=f"{MEMBER_PHONE_PREFIX}{i:08d}",
                    real_name=f"委员{i}",
                    unit=body,
                    password=hashed,
                    must_change_password=False,
                )
                for i in range(MEMBERS)
            ],
            batch_size=1000,
        )
    author_ids = list(
        User.objects.filter(phone__startswith=MEMBER_PHONE_PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    a0, a1 = author_ids[0], author_ids[-1]
    c0 = committees[0].pk
    ct = ContentType.objects.get_for_model(Report).pk
    print(f"org and {MEMBERS + 4} users: {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        # Reports over the last two years; 90 % closed, the rest spread over the open states. The benchmark member
        # writes one report in 1,000 (200 of 200,000); the others come from 2,000 members.
        cur.execute(
            """
            INSERT INTO opinions_report (author_id, body_id, committee_id, hotline_id, title, content, category,
                location, status, round, is_notable, created_at, updated_at, submitted_at, last_submitted_at,
                routed_at, forwarded_at, forwarded_on_time, handling_started_at, result_at, answered_at, closed_at,
                result, answer, satisfaction, wd_route, wd_handle, wd_feedback, wd_total)
            SELECT CASE WHEN g %% 1000 = 0 THEN %(member)s ELSE %(a0)s + (g %% (%(a1)s - %(a0)s + 1)) END,
                %(body)s, %(c0)s + (g %% %(nc)s), CASE WHEN g %% 3 = 0 THEN %(hotline)s END,
                '关于第' || g || '号问题的社情民意', repeat('社情民意内容。', 40),
                (ARRAY['policy_enquiry','sudden_problem','hot_issue','official_conduct','development','economy',
                       'culture','society','ecology','other'])[1 + (g / %(nc)s) %% 10],
                '江海市', s.status, 1, g %% 97 = 0,
                t.at, t.at, t.at, t.at,
                CASE WHEN s.status NOT IN ('submitted') THEN t.at + interval '1 day' END,
                CASE WHEN g %% 3 = 0 AND s.status NOT IN ('submitted') THEN t.at + interval '1 day' END,
                CASE WHEN g %% 3 = 0 AND s.status NOT IN ('submitted') THEN g %% 10 <> 0 END,
                CASE WHEN s.status NOT IN ('submitted') THEN t.at + interval '1 day' END,
                CASE WHEN s.status IN ('closed','answered') THEN t.at + interval '8 days' END,
                CASE WHEN s.status IN ('closed','answered') THEN t.at + interval '9 days' END,
                CASE WHEN s.status = 'closed' THEN t.at + interval '12 days' END,
                CASE WHEN s.status IN ('closed','answered') THEN '已办结。' ELSE '' END,
                CASE WHEN s.status IN ('closed','answered') THEN '已办结。' ELSE '' END,
                CASE WHEN s.status = 'closed'
                     THEN (ARRAY['satisfied','satisfied','basically','unsatisfied'])[1 + g %% 4] ELSE '' END,
                CASE WHEN s.status NOT IN ('submitted') THEN 1 + g %% 2 END,
                CASE WHEN s.status IN ('closed','answered') THEN 5 + g %% 5 END,
                CASE WHEN s.status IN ('closed','answered') THEN g %% 2 END,
                CASE WHEN s.status IN ('closed','answered') THEN 7 + g %% 6 END
            FROM generate_series(1, %(n)s) AS g
            CROSS JOIN LATERAL (SELECT now() - ((g::float / %(n)s) * interval '730 days') AS at) AS t
            CROSS JOIN LATERAL (SELECT CASE
                WHEN g %% 100 < 90 THEN 'closed' WHEN g %% 100 < 93 THEN 'at_hotline'
                WHEN g %% 100 < 95 THEN 'submitted' WHEN g %% 100 < 97 THEN 'handling'
                WHEN g %% 100 < 98 THEN 'answered' ELSE 'accepted' END AS status) AS s
            """,
            {
                "member": member.pk,
                "a0": a0,
                "a1": a1,
                "body": body.pk,
                "c0": c0,
                "nc": COMMITTEES,
                "hotline": hotline.pk,
                "n": n_reports,
            },
        )
        # Recent open reports, so that the queue has due-soon and overdue work.
        cur.execute(
            """UPDATE opinions_report SET created_at = now() - (id % 20) * interval '1 day',
                   submitted_at = now() - (id % 20) * interval '1 day',
                   last_submitted_at = now() - (id % 20) * interval '1 day'
               WHERE status <> 'closed'"""
        )
        print(f"{n_reports} reports: {time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        # Full histories: submit, then the steps each state implies.
        steps = [
            ("submit", "", "submitted", "TRUE", "submitted_at"),
            ("accept", "submitted", "accepted", "status <> 'submitted'", "submitted_at + interval '2 hours'"),
            ("forward", "accepted", "at_hotline", "forwarded_at IS NOT NULL", "forwarded_at"),
            ("handle", "accepted", "handling", "forwarded_at IS NULL AND routed_at IS NOT NULL", "routed_at"),
            (
                "hotline_result",
                "at_hotline",
                "hotline_done",
                "result_at IS NOT NULL AND hotline_id IS NOT NULL",
                "result_at",
            ),
            ("answer", "hotline_done", "answered", "answered_at IS NOT NULL", "answered_at"),
            ("rate", "answered", "closed", "closed_at IS NOT NULL", "closed_at"),
        ]
        for name, src, dst, cond, at in steps:
            cur.execute(
                f"""INSERT INTO workflow_workflowevent (content_type_id, object_id, workflow, transition, from_state,
                        to_state, actor_id, at, comment, data)
                    SELECT %s, id, 'opinions.report', %s, %s, %s, NULL, {at}, '', '{{}}'::jsonb
                    FROM opinions_report WHERE {cond}""",  # noqa: S608  (fixed SQL fragments of this file)
                [ct, name, src, dst],
            )
        # Deadlines: the route step of every report (met unless still submitted), the hotline's and the handling.
        cur.execute(
            """INSERT INTO workflow_deadline (content_type_id, object_id, workflow, kind, responsible_unit_id,
                   started_at, due_at, remind_at, met_at, notify_roles, escalate_roles)
               SELECT %s, id, 'opinions.report', 'route', committee_id, submitted_at,
                   date_trunc('day', submitted_at) + interval '3 days',
                   date_trunc('day', submitted_at) + interval '2 days',
                   routed_at, '["staff"]'::jsonb, '["head"]'::jsonb
               FROM opinions_report""",
            [ct],
        )
        cur.execute(
            """INSERT INTO workflow_deadline (content_type_id, object_id, workflow, kind, responsible_unit_id,
                   started_at, due_at, remind_at, met_at, notify_roles, escalate_roles)
               SELECT %s, id, 'opinions.report', CASE WHEN hotline_id IS NOT NULL THEN 'hotline' ELSE 'handle' END,
                   COALESCE(hotline_id, committee_id), handling_started_at,
                   date_trunc('day', handling_started_at) + interval '21 days',
                   date_trunc('day', handling_started_at) + interval '20 days',
                   result_at, '["staff"]'::jsonb, '["head"]'::jsonb
               FROM opinions_report WHERE handling_started_at IS NOT NULL""",
            [ct],
        )
        cur.execute(
            """INSERT INTO opinions_rating (report_id, round, level, comment, committee_id, author_id, created_at)
               SELECT id, 1, satisfaction, '', committee_id, author_id, closed_at FROM opinions_report
               WHERE status = 'closed'"""
        )
        # REPORT_FLOW.due_field: the earliest running time limit, as lvzhi.workflow keeps it.
        cur.execute(
            """UPDATE opinions_report r SET next_due_at = d.due
               FROM (SELECT object_id, min(due_at) AS due FROM workflow_deadline
                     WHERE content_type_id = %s AND met_at IS NULL AND paused_at IS NULL GROUP BY object_id) d
               WHERE d.object_id = r.id""",
            [ct],
        )
        cur.execute("VACUUM ANALYZE")  # as autovacuum would have: visibility map and statistics
        cur.execute("SELECT count(*) FROM workflow_workflowevent")
        events = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM workflow_deadline")
        deadlines = cur.fetchone()[0]
    print(f"{events} history events, {deadlines} deadlines: {time.perf_counter() - t0:.1f}s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("-n", type=int, default=200)
    args = parser.parse_args()
    url = bench_database_url("lvzhi_bench_opinions")
    if args.rebuild:
        import subprocess

        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", "DROP DATABASE IF EXISTS lvzhi_bench_opinions"],
            check=True,
        )
        url = bench_database_url("lvzhi_bench_opinions")
    setup_django(url)
    from lvzhi.opinions.models import Report

    if Report.objects.count() < args.reports:
        build(args.reports)
    total = Report.objects.count()
    mine = Report.objects.filter(author__phone="13700000004").count()
    print(f"reports: {total}; the benchmark member's own: {mine}")
    with Server(url) as server:
        staff = server.login("13700000001", PASSWORD)
        leader = server.login("13700000003", PASSWORD)
        member = server.login("13700000004", PASSWORD)
        hotline = server.login("13700000002", PASSWORD)
        some = Report.objects.filter(committee__name="第1专门委员会").order_by("-pk").values_list("pk", flat=True)[0]
        rows = [
            ("staff queue (to do)", staff, "/opinions/queue/", 150),
            ("staff queue (all, page 50)", staff, "/opinions/queue/?state=all&page=50", 150),
            (
                "staff queue (category + title)",
                staff,
                "/opinions/queue/?state=all&category=economy&q=%E9%97%AE%E9%A2%98",
                150,
            ),
            ("hotline queue (to do)", hotline, "/opinions/queue/", 150),
            ("leader queue (whole body, to do)", leader, "/opinions/queue/", 150),
            ("statistics (this year)", leader, "/opinions/statistics/", 150),
            ("statistics (two years)", leader, "/opinions/statistics/?date_from=2024-11-01&date_to=2026-12-31", 150),
            ("my reports", member, "/opinions/", 100),
            ("a report (staff)", staff, f"/opinions/{some}/", None),
            ("API my reports", member, "/api/v1/opinions/mine", 100),
        ]
        for label, session, path, target in rows:
            print(report(label, Server.time_get(session, path, n=args.n), target), flush=True)


if __name__ == "__main__":
    main()
