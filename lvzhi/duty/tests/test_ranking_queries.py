"""The ranking (S3-9, S3-10): its page costs the same number of queries whatever the number of members, and on
PostgreSQL its query reads an index in the page's order (no sort of the whole body)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lvzhi.accounts.models import User
from lvzhi.duty import selectors
from lvzhi.duty.models import MemberYear
from lvzhi.duty.services import scoring
from lvzhi.testing import login


def _members(w, n, start=0):
    users = User.objects.bulk_create(
        User(phone=f"1390000{i:04d}", real_name=f"委员{i}", unit=w.body, password="!") for i in range(start, start + n)
    )
    MemberYear.objects.bulk_create(
        MemberYear(
            body=w.body,
            member=u,
            year=2026,
            total=(i * 7) % 40,
            committee=(w.econ, w.social)[i % 2],
            sector=(w.sector, w.sector2)[i % 2],
        )
        for i, u in enumerate(users, start=start)
    )
    scoring.recount(body=w.body, year=2026)  # rows written in bulk: the counters behind the ranks rebuilt


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url)
    assert page.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.req("S3-9", "S3-10")
def test_the_ranking_page_costs_the_same_queries_for_5_or_120_members(w, client, django_assert_max_num_queries):
    _members(w, 5)
    login(client, w.liaison_head)
    small = _count(client, "/duty/ranking/?year=2026")
    committee_small = _count(client, f"/duty/ranking/?year=2026&committee={w.econ.pk}")
    _members(w, 115, start=5)
    # The same queries (one more at most: the session's last-seen time is written once a minute).
    assert _count(client, "/duty/ranking/?year=2026") <= small + 1
    assert _count(client, f"/duty/ranking/?year=2026&committee={w.econ.pk}") <= committee_small + 1
    with django_assert_max_num_queries(small + 1):
        page = client.get("/duty/ranking/?year=2026&page=3").content.decode()
    everyone = MemberYear.objects.filter(body=w.body, year=2026).count()  # the world's members and the 120
    assert everyone >= 120 and page.count("/duty/members/") == everyone - 100  # the last page: the rest
    login(client, w.econ_staff)  # a committee sees its own members only, with the same bound
    with django_assert_max_num_queries(small + 3):
        body = client.get("/duty/ranking/?year=2026").content.decode()
    names = {line.split(">")[-1] for line in body.split("</a>") if "/duty/members/" in line}
    assert names and all(int(name.removeprefix("委员")) % 2 == 0 for name in names)  # econ: the even ones


@pytest.mark.req("S3-9")
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_ranking_query_reads_an_index_in_page_order(w):
    _members(w, 40)
    plans = []
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        for kwargs in ({}, {"committee_id": w.econ.pk}, {"sector_id": w.sector.pk}):
            qs = selectors.ranking(w.liaison_head, w.body, 2026, **kwargs)[:50]
            plans.append(qs.explain())
    assert "duty_my_body_rank" in plans[0]
    assert "duty_my_committee_rank2" in plans[1]
    assert "duty_my_sector_rank2" in plans[2]
    assert all("Sort" not in plan for plan in plans), plans


def _expected(rows):
    """Competition ranks computed the plain way: 1 + the members of the list with a higher total."""
    totals = [r.total for r in rows]
    return [(r.member_id, r.total, 1 + sum(t > r.total for t in totals)) for r in rows]


@pytest.mark.req("S3-9", "S3-10")
def test_every_page_of_every_ranking_starts_in_the_right_band_with_the_right_ranks(w):
    _members(w, 67)
    for kwargs in ({}, {"committee_id": w.econ.pk}, {"sector_id": w.sector2.pk}):
        everyone = list(selectors.ranking(w.liaison_head, w.body, 2026, **kwargs))
        expected = _expected(everyone)
        seen = []
        for number in range(1, 9):
            page, rows = selectors.ranking_page(w.liaison_head, w.body, 2026, number, size=10, **kwargs)
            assert page.paginator.count == len(everyone)
            if number <= page.paginator.num_pages:
                seen += [(r.member_id, r.total, r.rank) for r in rows]
        assert seen == expected, kwargs
    # A list the counters do not describe (a committee's office: its members and itself) is counted the plain way.
    page, rows = selectors.ranking_page(w.econ_staff, w.body, 2026, 1, size=10)
    plain = _expected(list(selectors.ranking(w.econ_staff, w.body, 2026)))
    assert [(r.member_id, r.total, r.rank) for r in rows] == plain[:10]


@pytest.mark.req("S3-1", "S3-9")
def test_my_duty_shows_a_page_of_records_at_a_time_and_the_whole_year_in_its_total(w, client):
    import datetime as dt
    import re

    from freezegun import freeze_time

    from lvzhi.duty.models import Record

    from .helpers import counted

    with freeze_time("2026-06-11 10:00:00+08:00"):
        for i in range(3):
            counted(w, title=f"专题协商会{i}", day=dt.date(2026, 6, 10))
        login(client, w.m1)
        few = _count(client, "/duty/?year=2026")
        for i in range(3, 25):
            counted(w, title=f"专题协商会{i}", day=dt.date(2026, 6, 10))
        many = _count(client, "/duty/?year=2026")
        first = client.get("/duty/?year=2026").content.decode()
        second = client.get("/duty/?year=2026&page=2").content.decode()
    # one page of the records is read; past one page the month-by-month trend is one aggregate query
    assert many == few + 1
    assert first.count("<tr data-record=") == 20 and second.count("<tr data-record=") == 5
    assert "page=2" in first
    year_points = sum(Record.objects.filter(member=w.m1, year=2026, status="counted").values_list("points", flat=True))
    assert year_points > 0
    shown = re.search(r'data-testid="total">(\d+)<', first).group(1)
    assert int(shown) == year_points  # the total is the whole year's, not the page's
