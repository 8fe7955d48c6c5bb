"""Benchmark of bills, suggestions and proposals on PostgreSQL: 300,000 items with 900,000 unit assignments.

    .venv/bin/python bench/proposals.py            (uses its own database lvzhi_bench_proposals; rebuilds the data)

20 bodies (10 congresses, 10 CPPCC committees) × 15 years × 1,000 items, each assigned to one lead and two
co-handling units out of 200 handling units; the current year is in every stage (open deadlines, some overdue).
Measures p50/p95 of the pages and API calls a unit and the office use most: the unit queue and the office
statistics must stay under 150 ms at p95.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Server, bench_database_url, report, setup_django  # noqa: E402

PASSWORD = "Bench@2026pass"
BODIES = 20
YEARS = 15
PER_BODY_YEAR = 1000
UNITS = 200
TARGET_MS = 150
PROPOSER_PHONE_PREFIX = "1370000"  # the proposers' numbers (bench/province.py uses another)


def build():
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from lvzhi.accounts import services as accounts
    from lvzhi.accounts.models import User
    from lvzhi.orgs import services as orgs
    from lvzhi.orgs.models import BodyType, Level, OrgUnit, UnitKind
    from lvzhi.proposals.models import Assignment, Proposal

    def user(unit, phone, name, role):
        found = User.objects.filter(phone=phone).first()
        if found is None:
            found = accounts.create_user(actor=None, phone=phone, real_name=name, unit=unit, initial_password=PASSWORD)
            User.objects.filter(pk=found.pk).update(must_change_password=False)
            accounts.grant_role(actor=None, user=found, role=role, unit=unit)
        return found

    if Proposal.objects.count() >= BODIES * YEARS * PER_BODY_YEAR:
        print("data already built")
        return
    t0 = time.time()
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE proposals_evaluation, proposals_reply, proposals_unitrequest, proposals_contact, "
            "proposals_assignment, proposals_cosigner, proposals_proposal, proposals_counter, workflow_deadline, "
            "workflow_workflowevent CASCADE"
        )
    bodies, offices, proposers = [], [], []
    for i in range(BODIES):
        congress = i % 2 == 0
        name = f"基准{'人大' if congress else '政协'}{i:02d}"
        body = OrgUnit.objects.filter(name=name, kind=UnitKind.BODY).first() or orgs.create_unit(
            actor=None,
            name=name,
            kind=UnitKind.BODY,
            level=Level.CITY,
            body_type=BodyType.CONGRESS if congress else BodyType.CPPCC,
        )
        office = OrgUnit.objects.filter(parent=body, function="proposals_office").first() or orgs.create_unit(
            actor=None, name="议案提案办", kind=UnitKind.OFFICE, parent=body, function="proposals_office"
        )
        bodies.append(body)
        offices.append(office)
        proposers.append(user(body, f"{PROPOSER_PHONE_PREFIX}{i:04d}", f"代表{i}", "deputy" if congress else "member"))
    gov = OrgUnit.objects.filter(name="基准市政府").first() or orgs.create_unit(
        actor=None, name="基准市政府", kind=UnitKind.BODY, level=Level.CITY, body_type=BodyType.GOVERNMENT
    )
    units = list(OrgUnit.objects.filter(parent=gov, kind=UnitKind.HANDLING_UNIT).order_by("pk"))
    for i in range(len(units), UNITS):
        units.append(orgs.create_unit(actor=None, name=f"承办单位{i:03d}", kind=UnitKind.HANDLING_UNIT, parent=gov))
    clerk = user(offices[0], "13600000001", "基准办事员", "staff")
    unit_staff = user(units[0], "13600000002", "基准承办员", "handling")
    user(bodies[0], "13600000003", "基准领导", "leader")
    print(f"org and users: {time.time() - t0:.1f}s")

    this_year = timezone.localdate().year
    first_year = this_year - YEARS + 1
    total = BODIES * YEARS * PER_BODY_YEAR
    body_ids = "(ARRAY[" + ",".join(str(b.pk) for b in bodies) + "])"
    office_ids = "(ARRAY[" + ",".join(str(o.pk) for o in offices) + "])"
    proposer_ids = "(ARRAY[" + ",".join(str(p.pk) for p in proposers) + "])"
    unit_ids = "(ARRAY[" + ",".join(str(u.pk) for u in units) + "])"
    ct_assignment = ContentType.objects.get_for_model(Assignment).pk
    ct_proposal = ContentType.objects.get_for_model(Proposal).pk
    t0 = time.time()
    with connection.cursor() as cur:
        # Items: g → body g % 20, year (g / 20) % 15, number g / 300 + 1 (unique per body, year and kind).
        cur.execute(
            f"""
            INSERT INTO proposals_proposal (
                body_id, office_id, kind, status, proposer_id, title, content, category, keywords, during_session,
                session_name, disclosure_consent, source_note, year, number, converted_from, decision_note,
                key_supervision, supervision_note, is_public, published_at, rehandle_count, rehandle_allowance, rating,
                submitted_at, accepted_at, assigned_at, replied_at, closed_at, created_at, updated_at)
            SELECT {body_ids}[1 + g % {BODIES}], {office_ids}[1 + g % {BODIES}],
                   CASE WHEN g % 2 = 0 THEN 'suggestion' ELSE 'proposal' END,
                   CASE WHEN y < {this_year} THEN 'closed'
                        WHEN k % 10 < 6 THEN 'handling' WHEN k % 10 = 6 THEN 'replied' ELSE 'closed' END,
                   {proposer_ids}[1 + g % {BODIES}],
                   '关于第' || g || '号事项的建议', '基准数据正文', '社会建设', '|基准|' || (g % 50) || '|',
                   g % 3 = 0, '', true, '', y, k + 1, '', '',
                   g % 97 = 0, '', g % 7 = 0, CASE WHEN g % 7 = 0 THEN ts + interval '200 days' END, 0, 0,
                   CASE WHEN y < {this_year} OR k % 10 > 6
                        THEN (ARRAY['satisfied','satisfied','basic','unsatisfied','none'])[1 + g % 5] ELSE '' END,
                   ts, ts + interval '5 days', ts + interval '10 days',
                   CASE WHEN y < {this_year} OR k % 10 > 5 THEN ts + interval '80 days' END,
                   CASE WHEN y < {this_year} OR k % 10 > 6 THEN ts + interval '100 days' END,
                   ts, ts
            FROM (SELECT g, {first_year} + (g / {BODIES}) % {YEARS} AS y, g / ({BODIES} * {YEARS}) AS k,
                         make_timestamptz({first_year} + (g / {BODIES}) % {YEARS}, 1, 10, 9, 0, 0) AS ts
                  FROM generate_series(0, {total - 1}) AS g) AS s
            """
        )
        print(f"{total} items: {time.time() - t0:.1f}s")
        t0 = time.time()
        # Three assignments per item: a lead and two co-handling units, all different.
        cur.execute(
            f"""
            INSERT INTO proposals_assignment (
                proposal_id, unit_id, role, status, body_id, year, assigned_at, extended, opinion,
                replied_at, replied_on_time, classification, rating)
            SELECT p.id, {unit_ids}[1 + (p.id * 37 + r * 67) % {UNITS}],
                   CASE WHEN r = 0 THEN 'lead' ELSE 'co' END,
                   CASE WHEN p.status = 'handling' THEN
                            CASE WHEN r = 0 OR p.id % 2 = 0 THEN 'handling' ELSE 'opinion_sent' END
                        WHEN r = 0 THEN 'replied' ELSE 'opinion_sent' END,
                   p.body_id, p.year, p.assigned_at, p.id % 13 = 0,
                   CASE WHEN r > 0 THEN '协办意见' ELSE '' END,
                   CASE WHEN r = 0 THEN p.replied_at END,
                   CASE WHEN r = 0 AND p.replied_at IS NOT NULL THEN p.id % 5 <> 0 END,
                   CASE WHEN r = 0 AND p.replied_at IS NOT NULL THEN (ARRAY['A','B','C','D'])[1 + p.id % 4] ELSE '' END,
                   CASE WHEN r = 0 THEN p.rating ELSE '' END
            FROM proposals_proposal p CROSS JOIN generate_series(0, 2) AS r
            """
        )
        print(f"{3 * total} assignments: {time.time() - t0:.1f}s")
        t0 = time.time()
        # Open deadlines of the units still handling: due between 20 days ago and 100 days on.
        cur.execute(
            f"""
            INSERT INTO workflow_deadline (content_type_id, object_id, workflow, kind, responsible_unit_id,
                started_at, due_at, remind_at, notify_roles, escalate_roles)
            SELECT {ct_assignment}, a.id,
                   CASE WHEN a.role = 'lead' THEN 'proposals.lead' ELSE 'proposals.cohandling' END,
                   CASE WHEN a.role = 'lead' THEN 'reply' ELSE 'opinion' END,
                   a.unit_id, a.assigned_at, now() + ((a.id % 120) - 20) * interval '1 day',
                   now() + ((a.id % 120) - 21) * interval '1 day', '["handling"]', '["head"]'
            FROM proposals_assignment a WHERE a.status = 'handling'
            """
        )
        # Items waiting for evaluation, and a review queue of newly submitted items.
        cur.execute(
            f"""
            INSERT INTO workflow_deadline (content_type_id, object_id, workflow, kind, responsible_unit_id,
                started_at, due_at, notify_roles, escalate_roles)
            SELECT {ct_proposal}, p.id, 'proposals.proposal', 'evaluate', p.office_id, p.replied_at,
                   now() + (p.id % 28) * interval '1 day', '[]', '[]'
            FROM proposals_proposal p WHERE p.status = 'replied'
            """
        )
        cur.execute(
            f"""
            INSERT INTO proposals_proposal (
                body_id, office_id, kind, status, proposer_id, title, content, category, keywords, during_session,
                session_name, disclosure_consent, source_note, year, converted_from, decision_note,
                key_supervision, supervision_note, is_public, rehandle_count, rehandle_allowance, rating,
                submitted_at, created_at, updated_at)
            SELECT {body_ids}[1 + g % {BODIES}], {office_ids}[1 + g % {BODIES}], 'suggestion', 'submitted',
                   {proposer_ids}[1 + g % {BODIES}], '待审查建议' || g, '正文', '社会建设', '', false, '', true, '',
                   {this_year}, '', '', false, '', false, 0, 0, '', now() - g * interval '1 hour', now(), now()
            FROM generate_series(1, 2000) AS g
            """
        )
        cur.execute(
            f"""
            INSERT INTO workflow_deadline (content_type_id, object_id, workflow, kind, responsible_unit_id,
                started_at, due_at, notify_roles, escalate_roles)
            SELECT {ct_proposal}, p.id, 'proposals.proposal', 'review', p.office_id, p.submitted_at,
                   p.submitted_at + interval '14 days', '["staff"]', '["head"]'
            FROM proposals_proposal p WHERE p.status = 'submitted'
            """
        )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # what autovacuum does in production: index-only scans need it
    print(f"deadlines, review queue, analyse: {time.time() - t0:.1f}s")
    print(
        f"items={Proposal.objects.count()} assignments={Assignment.objects.count()} "
        f"open unit-0 assignments={Assignment.objects.filter(unit=units[0], status='handling').count()}"
    )
    return clerk, unit_staff


def main():
    url = bench_database_url("lvzhi_bench_proposals")
    setup_django(url)
    build()
    from django.utils import timezone

    from lvzhi.accounts.models import User
    from lvzhi.orgs.models import OrgUnit

    year = timezone.localdate().year
    body = OrgUnit.objects.get(name="基准人大00")
    assert User.objects.filter(phone="13600000001").exists()
    with Server(url, port=8047) as server:
        unit = server.login("13600000002", PASSWORD)
        office = server.login("13600000001", PASSWORD)
        leader = server.login("13600000003", PASSWORD)
        public = server.login("13600000002", PASSWORD)
        rows = [
            ("baseline: health check (no login)", unit, "/healthz", None),
            ("baseline: inbox page", unit, "/inbox/", None),
            ("unit queue page", unit, "/proposals/units/", TARGET_MS),
            ("unit queue API", unit, "/api/v1/proposals/units/queue", TARGET_MS),
            ("unit queue page 5", unit, "/proposals/units/?page=5", TARGET_MS),
            ("office statistics page", office, f"/proposals/office/stats/?year={year}", TARGET_MS),
            ("office statistics API", office, f"/api/v1/proposals/office/stats?year={year}", TARGET_MS),
            ("office statistics, a past year", office, f"/proposals/office/stats/?year={year - 3}", TARGET_MS),
            ("office review queue", office, "/proposals/office/?state=review", None),
            ("office whole flow", office, "/proposals/office/?state=all", None),
            ("office overdue", office, "/proposals/office/?state=overdue", None),
            ("supervision queue", leader, "/proposals/supervision/", None),
            ("public feed API", public, "/api/v1/proposals/public", None),
        ]
        for label, session, path, target in rows:
            print(report(label, server.time_get(session, path, n=200), target))
    print(f"(body {body.name}, year {year})")


if __name__ == "__main__":
    main()
