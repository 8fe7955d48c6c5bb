"""The general daily roll-up (lvzhi.core.rollup) over proposals and assignments: exact after every service call
(equal to a full recount of the case tables), per body, unit, month and day, kind, state and on-time counts;
rebuildable by command and by the tick job; read in one query."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from lvzhi.core import rollup
from lvzhi.core.models import DailyCount
from lvzhi.core.tick import run_tick
from lvzhi.proposals import services
from lvzhi.proposals.models import Assignment, Classification, Proposal

from .conftest import accepted, assigned, aware, lead_of, replied, submitted

SOURCES = ("proposals.proposal", "proposals.assignment")


def _assert_exact():
    for name in SOURCES:
        source = rollup.sources()[name]
        assert rollup.stored(source) == rollup.full_recount(source), name


@pytest.mark.req("S4-2.2.4")
def test_rollup_equals_a_full_recount_after_every_step_and_sums_by_month_unit_kind_state(w):
    with freeze_time(aware(2025, 5, 30, 23, 30)):  # 23:30 in Shanghai: the local day, not UTC's
        submitted(w)
        early = submitted(w, title="关于制定物业管理条例的建议")
    _assert_exact()
    with freeze_time(aware(2025, 6, 10)):
        accepted(w, title="关于增设公交线路的建议")
        done = replied(w, title="关于改善校园周边交通的建议", classification=Classification.A)
        services.withdraw(actor=early.proposer, proposal=early, reason="另行提出")
    _assert_exact()
    with freeze_time(aware(2025, 7, 2)):
        open_item = assigned(w, title="关于加强社区养老服务的建议")
    _assert_exact()

    # per month: submissions by kind and by state, as a dashboard reads them (one query)
    months = rollup.totals("proposals.proposal", body_ids=[w.congress.pk], period="month")
    table = {(r["period"], r["metric"]): r["n"] for r in months}
    may, june, july = dt.date(2025, 5, 1), dt.date(2025, 6, 1), dt.date(2025, 7, 1)
    assert table[(may, "submitted")] == 2
    assert table[(may, "submitted.kind:suggestion")] == 2 and (may, "submitted.kind:bill") not in table
    assert table[(may, "submitted.status:withdrawn")] == 1  # counted on its submission day, in its state now
    assert table[(june, "submitted")] == 2 and table[(july, "submitted")] == 1
    assert table[(june, "replied")] == 1 and (july, "replied") not in table
    # per handling unit: assignments, replies on time, classification
    units = rollup.pivot(rollup.totals("proposals.assignment", body_ids=[w.congress.pk], per_unit=True))
    assert units[w.unit_a.pk]["assigned.role:lead"] == 2
    assert units[w.unit_b.pk]["assigned.role:co"] == 2
    assert units[w.unit_a.pk]["replied.classification:A"] == 1
    assert units[w.unit_a.pk]["replied_on_time"] == Assignment.objects.filter(replied_on_time=True).count() == 1
    days = rollup.totals("proposals.assignment", unit_ids=[w.unit_a.pk], since=dt.date(2025, 7, 1), period="day")
    assert [(r["period"], r["metric"], r["n"]) for r in days if r["metric"] == "assigned"] == [
        (dt.date(2025, 7, 2), "assigned", 1)
    ]
    assert lead_of(open_item).status == "handling" and done.status != open_item.status


@pytest.mark.req("S4-2.2.4")
def test_a_delete_and_a_bulk_update_are_recounted_by_the_command_and_the_tick_job(w):
    with freeze_time(aware(2025, 6, 10)):
        item = assigned(w)
    Proposal.objects.filter(pk=item.pk).update(status=Proposal.Status.CLOSED)  # no signals: the roll-up is stale
    source = rollup.sources()["proposals.proposal"]
    assert rollup.stored(source) != rollup.full_recount(source)
    out = io.StringIO()
    call_command("rebuild_rollups", "proposals.proposal", stdout=out)
    assert "roll-up rows written" in out.getvalue()
    _assert_exact()

    with freeze_time(aware(2025, 6, 11, 8)):  # yesterday's bulk change is recounted by the tick
        Proposal.objects.filter(pk=item.pk).update(status=Proposal.Status.WITHDRAWN)
        assert rollup.stored(source) != rollup.full_recount(source)
        assert run_tick(only=["core.rollup"])["core.rollup"] > 0
    _assert_exact()

    lead_of(item).delete()  # a delete recounts its buckets at once
    item.assignments.all().delete()
    _assert_exact()
    assert not DailyCount.objects.filter(source="proposals.assignment").exists()


@pytest.mark.req("S4-2.2.4")
def test_totals_read_in_one_query_whatever_the_period(w, django_assert_num_queries):
    with freeze_time(aware(2025, 6, 10)):
        replied(w)
    with django_assert_num_queries(1):
        rows = rollup.totals(
            "proposals.assignment", body_ids=[w.congress.pk], since=dt.date(2024, 1, 1), until=dt.date(2025, 12, 31)
        )
    assert {r["metric"]: r["n"] for r in rows}["replied"] == 1
