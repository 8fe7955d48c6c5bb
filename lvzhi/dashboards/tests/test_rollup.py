"""The on-time roll-up: known figures around National Day 2026, exact after every transition and after the tick job,
and always equal to a full recount of the deadlines table."""

import datetime as dt

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from lvzhi.core import rollup as core_rollup
from lvzhi.core.tick import run_tick
from lvzhi.dashboards import deadline_summaries, monthly, rollup, summaries
from lvzhi.dashboards.models import BodyMonth, DeadlineBody, DeadlineMonth, MonthCount, UnitYear
from lvzhi.opinions import services as opinions
from lvzhi.workdays import calendar
from lvzhi.workflow.models import Deadline

from .conftest import aware, holiday_cases, submit

SEPTEMBER = dt.date(2026, 9, 1)


def route_row(w):
    return DeadlineMonth.objects.get(unit=w.econ, workflow="opinions.report", kind="route", month=SEPTEMBER)


@pytest.mark.req("S0-16.1", "S2-41")
def test_due_on_the_last_working_day_before_national_day_and_done_on_the_first_after_is_late(w):
    assert calendar.is_workday(dt.date(2026, 9, 30)) and calendar.is_workday(dt.date(2026, 10, 8))
    assert not any(calendar.is_workday(dt.date(2026, 10, d)) for d in range(1, 8))
    reports = holiday_cases(w)
    last_days = {
        calendar.due_date(d.due_at)
        for d in Deadline.objects.filter(kind="route", object_id__in=[r.pk for r in reports])
    }
    assert last_days == {dt.date(2026, 9, 30)}
    row = route_row(w)  # kept by the transitions themselves, no tick needed
    assert (row.due, row.on_time, row.late, row.open, row.overdue) == (3, 1, 1, 1, 1)
    assert row.body_id == w.body.pk
    with freeze_time("2026-10-08T09:00:00+08:00"):
        assert rollup.stored() == rollup.full_recount()


@pytest.mark.req("S0-16.1", "S2-41")
def test_a_deadline_that_runs_out_without_any_step_is_counted_overdue_by_the_tick(w):
    with freeze_time("2026-09-28T10:00:00+08:00"):
        submit(w)
    run_tick(aware(2026, 9, 30, 12), only=["dashboards.overdue"])
    assert route_row(w).overdue == 0 and route_row(w).open == 1
    run_tick(aware(2026, 10, 1, 0, 1), only=["dashboards.overdue"])  # 24:00 of 30 Sep has passed
    assert route_row(w).overdue == 1
    with freeze_time("2026-10-01T00:01:00+08:00"):
        assert rollup.stored() == rollup.full_recount()


@pytest.mark.req("S2-41")
def test_incremental_roll_up_equals_a_full_recount_after_many_steps(w):
    holiday_cases(w)
    with freeze_time("2026-10-09T10:00:00+08:00"):
        extra = submit(w, title="长江路积水")
        opinions.forward_to_hotline(actor=w.staff, report=extra)
        other = submit(w, member=w.co, title="社区养老")  # the social committee
        opinions.return_report(actor=w.social_staff, report=other, reason="请补充具体地点和诉求。")
    run_tick(aware(2026, 10, 20, 9), only=["dashboards.overdue"])
    with freeze_time("2026-10-20T09:00:00+08:00"):
        incremental = rollup.stored()
        assert incremental == rollup.full_recount()
        assert len({(k[2], k[3]) for k in incremental}) >= 3  # several rules (route, hotline, handle…)
        # The rebuild command writes the same rows.
        DeadlineMonth.objects.all().delete()
        call_command("rebuild_deadline_stats")
        assert rollup.stored() == incremental


@pytest.mark.req("S2-41")
def test_a_moved_deadline_leaves_its_old_month(w):
    with freeze_time("2026-09-28T10:00:00+08:00"):
        report = submit(w)
    deadline = Deadline.objects.get(kind="route", object_id=report.pk)
    before = rollup.deadline_keys(deadline.content_type, report.pk)
    Deadline.objects.filter(pk=deadline.pk).update(due_at=aware(2026, 11, 3))
    rollup.deadlines_changed(content_type=deadline.content_type, object_id=report.pk, before=before)
    assert not DeadlineMonth.objects.filter(month=SEPTEMBER, kind="route").exists()
    assert DeadlineMonth.objects.get(month=dt.date(2026, 11, 1), kind="route").due == 1


@pytest.mark.req("S2-41", "S4-2.2.4")
def test_the_monthly_sums_follow_the_daily_roll_up_and_its_rebuild(w):
    holiday_cases(w)
    with freeze_time("2026-10-09T10:00:00+08:00"):
        opinions.handle_in_committee(actor=w.staff, report=submit(w, title="长江路积水"))
    sums = monthly.stored("opinions.report")
    assert sums == monthly.from_daily("opinions.report")
    assert sums[(w.body.pk, w.econ.pk, dt.date(2026, 9, 1), "submitted")] == 3
    assert sums[(w.body.pk, w.econ.pk, dt.date(2026, 10, 1), "submitted")] == 1
    MonthCount.objects.all().delete()
    call_command("rebuild_rollups")
    assert monthly.stored("opinions.report") == sums


def _month_buckets(name: str) -> dict:
    """A full recount of the case table, summed per month: {(body, unit, month, metric): n}."""
    out = {}
    for (body, unit, day, metric), n in core_rollup.full_recount(core_rollup.sources()[name]).items():
        key = (body, unit, day.replace(day=1), metric)
        out[key] = out.get(key, 0) + n
    return out


@pytest.mark.req("S2-41", "S4-2.2.4", "S3-18")
def test_body_trees_and_unit_years_equal_a_full_recount_of_the_cases(w):
    reports = holiday_cases(w)
    with freeze_time("2026-10-09T10:00:00+08:00"):
        submit(w, member=w.co, title="社区养老")  # the social committee
    # One report moves to the city below the province (a save: the roll-ups recount its old and new buckets).
    moved = reports[2]
    moved.body, moved.committee = w.city, w.city_econ
    moved.save()
    for name in ("opinions.report", "proposals.proposal", "proposals.assignment"):
        assert summaries.stored(name) == summaries.derive(_month_buckets(name), source=name), name
    own, tree, years = summaries.stored("opinions.report")
    assert tree[(w.province.pk, SEPTEMBER, "submitted")] == 1 == tree[(w.city.pk, SEPTEMBER, "submitted")]
    assert (w.province.pk, SEPTEMBER, "submitted") not in own  # the province's own units had none
    assert own[(w.body.pk, SEPTEMBER, "submitted")] == 2 == tree[(w.body.pk, SEPTEMBER, "submitted")]
    assert years[(w.body.pk, w.econ.pk, 2026, "submitted")] == 2
    assert years[(w.body.pk, w.social.pk, 2026, "submitted")] == 1
    expected = summaries.stored("opinions.report")
    BodyMonth.objects.all().delete()
    UnitYear.objects.all().delete()
    call_command("rebuild_rollups")  # the rebuild writes the same rows
    assert summaries.stored("opinions.report") == expected
    BodyMonth.objects.all().delete()
    assert summaries.fill_if_empty() > 0 and summaries.stored("opinions.report") == expected


@pytest.mark.req("S2-41", "S0-16.1", "S3-18")
def test_the_deadline_summaries_equal_a_full_recount_across_the_province(w):
    holiday_cases(w)
    with freeze_time("2026-09-28T10:00:00+08:00"):
        moved = submit(w, title="跨市问题")
    d = Deadline.objects.get(kind="route", object_id=moved.pk)
    before = rollup.deadline_keys(d.content_type, d.object_id)
    Deadline.objects.filter(pk=d.pk).update(responsible_unit=w.city_econ)  # onto the city below the province
    rollup.deadlines_changed(content_type=d.content_type, object_id=d.object_id, before=before)
    run_tick(aware(2026, 10, 8, 12), only=["dashboards.overdue"])
    with freeze_time("2026-10-08T12:00:00+08:00"):
        expected = deadline_summaries.derive(rollup.full_recount())
    assert deadline_summaries.stored() == expected
    own, tree, years = expected
    key = ("opinions.report", "route", SEPTEMBER)
    assert tree[(w.province.pk, *key)]["due"] == 1 == tree[(w.city.pk, *key)]["due"]
    assert (w.province.pk, *key) not in own
    assert own[(w.body.pk, *key)]["due"] == 3 and tree[(w.body.pk, *key)]["overdue"] == 1
    assert years[(w.body.pk, w.econ.pk, "", "", 2026)]["on_time"] == 1  # the all-rules row of the unit
    DeadlineBody.objects.all().delete()
    assert deadline_summaries.fill_if_empty() > 0 and deadline_summaries.stored() == expected
