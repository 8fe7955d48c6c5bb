"""The daily statistics roll-up: kept exact by every service in its transaction, equal to a full recount of the
reports for any period, rebuildable by a command, read in a constant number of queries."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from freezegun import freeze_time

from lvzhi.opinions import rollup, selectors, services
from lvzhi.opinions.models import DailyStat, Report
from lvzhi.orgs.models import OrgUnit

from .conftest import submit


def _table():
    fields = [f.name for f in DailyStat._meta.fields if f.name != "id"]
    return sorted(tuple(row[f] for f in fields) for row in DailyStat.objects.values(*fields))


def _periods():
    day = dt.date(2026, 3, 1)
    return [
        selectors.Period(day, dt.date(2026, 3, 31)),
        selectors.Period(dt.date(2026, 3, 2), dt.date(2026, 3, 2)),
        selectors.Period(dt.date(2026, 3, 3), dt.date(2026, 3, 9)),
        selectors.Period(dt.date(2026, 3, 10), dt.date(2026, 3, 31)),
        selectors.Period(dt.date(2024, 1, 1), dt.date(2026, 12, 31)),
    ]


def _assert_equal_to_recount(units, now):
    for period in _periods():
        assert selectors.statistics(units, period, now=now) == selectors.statistics_recount(units, period, now=now)


@pytest.mark.req("S0-16", "S0-16.1", "S0-16.3")
def test_rollup_equals_a_full_recount_after_every_kind_of_change(w):
    units = list(OrgUnit.objects.filter(pk__in=[w.econ.pk, w.social.pk, w.liaison.pk]).order_by("path"))
    with freeze_time("2026-03-02T23:30:00+08:00"):  # late evening: the local day, not the UTC one, counts
        a, b, c, d = (submit(w, title=f"第{i}件") for i in range(4))
        e = submit(w, w.loner)
        withdrawn = submit(w, title="撤回件")
    with freeze_time("2026-03-03T10:00:00+08:00"):
        a = services.forward_to_hotline(actor=w.staff, report=a)
        b = services.handle_in_committee(actor=w.staff, report=b)
        c = services.transfer_report(actor=w.staff, report=c, to_committee=w.social, reason="属社会和法制委员会")
        services.withdraw_report(actor=w.member, report=withdrawn, reason="已解决")
    with freeze_time("2026-03-06T10:00:00+08:00"):
        d = services.forward_to_hotline(actor=w.staff, report=d)  # late
        a = services.report_hotline_result(actor=w.hotline, report=a, result="已办")
    with freeze_time("2026-03-09T10:00:00+08:00"):
        a = services.answer_member(actor=w.staff, report=a, answer="已办")
        b = services.answer_member(actor=w.staff, report=b, answer="已办")
    with freeze_time("2026-03-10T10:00:00+08:00"):
        services.rate_report(actor=w.member, report=a, level="satisfied")  # changes the 9 March bucket
        services.rate_report(actor=w.member, report=b, level="unsatisfied", comment="没解决")
    with freeze_time("2026-03-31T10:00:00+08:00"):
        now = dt.datetime(2026, 3, 31, 2, tzinfo=dt.UTC)
        _assert_equal_to_recount(units, now)
        econ = next(r for r in selectors.statistics(units, _periods()[0], now=now) if r["unit"] == w.econ)
        assert (econ["received"], econ["forwarded"], econ["forwarded_on_time"], econ["handled"]) == (4, 2, 1, 2)
        assert (econ["rated"], econ["satisfied"], econ["unsatisfied"], econ["closed"]) == (2, 1, 1, 1)
        # a, b, d and the withdrawn one (c went to social), submitted late on 2 March (Shanghai): kept under 2 March
        assert DailyStat.objects.get(committee=w.econ, day=dt.date(2026, 3, 2)).received == 4
        assert not DailyStat.objects.filter(day=dt.date(2026, 3, 1)).exists()
        # the transferred report left econ's 2 March bucket for social's: received where it is handled now
        assert DailyStat.objects.get(committee=w.social, day=dt.date(2026, 3, 2)).received == 1
        assert e.committee == w.liaison
        # the rebuild recounts the very same table
        maintained = _table()
        out = io.StringIO()
        call_command("rebuild_opinion_stats", stdout=out)
        assert _table() == maintained and "office-days recounted" in out.getvalue()
        assert len(maintained) == DailyStat.objects.count() > 0


@pytest.mark.req("S0-16")
def test_a_rolled_back_change_leaves_the_rollup_as_it_was(w):
    with freeze_time("2026-03-02T10:00:00+08:00"):
        report = submit(w)
    before = _table()
    with freeze_time("2026-03-03T10:00:00+08:00"), pytest.raises(RuntimeError), transaction.atomic():
        services.forward_to_hotline(actor=w.staff, report=report)
        assert _table() != before  # recounted inside the service's transaction
        raise RuntimeError("rolled back")
    assert _table() == before
    assert Report.objects.get(pk=report.pk).forwarded_at is None


@pytest.mark.req("S0-16")
def test_statistics_over_two_years_read_the_rollup_in_two_queries(w, django_assert_num_queries):
    with freeze_time("2025-01-06T10:00:00+08:00"):
        submit(w)
    with freeze_time("2026-03-02T10:00:00+08:00"):
        submit(w)
    units = list(OrgUnit.objects.filter(pk__in=[w.econ.pk, w.social.pk]).order_by("path"))
    period = selectors.Period(dt.date(2024, 3, 1), dt.date(2026, 2, 28))
    with django_assert_num_queries(2):
        rows = selectors.statistics(units, period)
    assert [r["received"] for r in rows] == [1, 0]
    assert rows == selectors.statistics_recount(units, period)
    assert rollup.rebuild() == DailyStat.objects.count() == 2
