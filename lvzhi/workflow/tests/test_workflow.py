"""The workflow mechanism: declared transitions, history, deadlines, `lvzhi tick` reminders and escalations."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.permissions import has_role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.tick import register_tick_job, run_tick, tick_jobs
from lvzhi.datachange import services as dc
from lvzhi.datachange.models import DataChangeRequest
from lvzhi.datachange.workflows import DEADLINE_KIND
from lvzhi.notify.models import Message
from lvzhi.testing import make_body, make_unit, make_user
from lvzhi.workflow import selectors
from lvzhi.workflow.declaration import DENY_FORBIDDEN, DeadlineRule, Transition, Workflow
from lvzhi.workflow.models import Deadline, WorkflowEvent
from lvzhi.workflow.services import start, transition

S = DataChangeRequest.Status


def aware(y, m, d, hh=0, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


TEST_FLOW = Workflow(
    "test.flow",
    model=None,
    states=S,
    initial=S.SUBMITTED,
    starts=[DeadlineRule("first", working_days=2, responsible=lambda o: o.unit)],
    transitions=[
        Transition(
            "approve",
            sources=[S.SUBMITTED],
            target=S.DONE,
            allowed=lambda user, obj: has_role(user, "staff", obj.unit),
            ends=["first"],
            starts=[DeadlineRule("second", calendar_days=10, responsible=lambda o: o.unit)],
        ),
        Transition("reopen", sources=[S.DONE], target=S.SUBMITTED, allowed=lambda u, o: False, denied=DENY_FORBIDDEN),
        Transition("close", sources=[S.DONE, S.SUBMITTED], target=S.REJECTED, ends=["first", "second"]),
    ],
)


class World:
    pass


@pytest.fixture
def w(db):
    w = World()
    w.body = make_body()
    w.office = make_unit(w.body, "委员联络室", function="liaison_office")
    w.staff = make_user(w.office, roles=["staff"], real_name="干事甲")
    w.staff2 = make_user(w.office, roles=["staff"], real_name="干事乙")
    w.head = make_user(w.office, roles=["head"], real_name="主任")
    w.member = make_user(w.body, roles=["member"], real_name="委员")
    return w


def new_case(w):
    obj = DataChangeRequest.objects.create(user=w.member, unit=w.office, changes={"title": "x"}, reason="r")
    return start(obj, actor=w.member, workflow=TEST_FLOW)


@pytest.mark.req("S0-16", "S0-16.1")
def test_declaration_is_checked_at_import():
    with pytest.raises(ValueError):
        Workflow("bad", states=S, transitions=[Transition("x", sources=["nope"], target=S.DONE)])
    with pytest.raises(ValueError):
        DeadlineRule("k", responsible=lambda o: None, working_days=1, calendar_days=2)
    with pytest.raises(KeyError):
        DeadlineRule("k", responsible=lambda o: None, setting="no.such.setting")


@pytest.mark.req("S0-16.1")
@freeze_time("2026-09-30T15:00:00+08:00")
def test_start_and_transition_record_history_deadlines_and_audit(w):
    obj = new_case(w)
    first = Deadline.objects.get(kind="first")
    assert first.due_at == aware(2026, 10, 10)  # 2 working days: 8 and 9 Oct
    assert first.remind_at == aware(2026, 10, 9) and first.responsible_unit == w.office
    assert list(selectors.open_deadlines(obj=obj)) == [first]
    assert AuditEvent.objects.filter(event="test.flow.start").count() == 1

    with freeze_time("2026-10-09T11:00:00+08:00"):
        done = transition(obj, "approve", actor=w.staff, comment="同意", data={"x": 1}, workflow=TEST_FLOW)
    assert done.status == S.DONE and DataChangeRequest.objects.get(pk=obj.pk).status == S.DONE
    first.refresh_from_db()
    assert first.met_at == aware(2026, 10, 9, 11)
    second = Deadline.objects.get(kind="second")
    # 10 calendar days from 9 Oct end on 19 Oct (a Monday, a working day).
    assert second.due_at == aware(2026, 10, 20) and second.met_at is None
    history = list(selectors.history_of(obj))
    assert [(e.transition, e.from_state, e.to_state) for e in history] == [
        ("start", "", "submitted"),
        ("approve", "submitted", "done"),
    ]
    assert history[1].actor == w.staff and history[1].comment == "同意" and history[1].data == {"x": 1}
    event = AuditEvent.objects.get(event="test.flow.approve")
    assert event.before == {"status": "submitted"} and event.after == {"status": "done"}
    assert event.org_unit_id == w.office.pk


@pytest.mark.req("S0-16", "S0-16.1")
def test_wrong_state_is_a_conflict_and_nothing_changes(w):
    obj = new_case(w)
    transition(obj, "approve", actor=w.staff, workflow=TEST_FLOW)
    with pytest.raises(Conflict) as exc:
        transition(obj, "approve", actor=w.staff2, workflow=TEST_FLOW)
    assert exc.value.code == "transition_not_allowed"
    assert WorkflowEvent.objects.filter(transition="approve").count() == 1
    assert AuditEvent.objects.filter(event="test.flow.approve").count() == 1
    with pytest.raises(ValidationFailed):
        transition(obj, "no-such-step", actor=w.staff, workflow=TEST_FLOW)


@pytest.mark.req("S0-16", "S0-16.1")
def test_who_may_is_checked_not_found_or_forbidden_as_declared(w):
    obj = new_case(w)
    with pytest.raises(NotFound):
        transition(obj, "approve", actor=w.member, workflow=TEST_FLOW)
    assert DataChangeRequest.objects.get(pk=obj.pk).status == S.SUBMITTED
    transition(obj, "approve", actor=w.staff, workflow=TEST_FLOW)
    with pytest.raises(PermissionDenied):
        transition(obj, "reopen", actor=w.staff, workflow=TEST_FLOW)
    assert [t.name for t in TEST_FLOW.available(w.staff, DataChangeRequest.objects.get(pk=obj.pk))] == ["close"]
    transition(obj, "close", actor=w.staff, workflow=TEST_FLOW)
    assert not selectors.open_deadlines(obj=obj).exists()


@pytest.mark.req("S0-16.1")
def test_overdue_and_due_soon_are_queries(w):
    with freeze_time("2026-06-01T09:00:00+08:00"):
        a = new_case(w)  # due 4 Jun 00:00 (2, 3 Jun)
    with freeze_time("2026-06-03T09:00:00+08:00"):
        b = new_case(w)  # due 6 Jun 00:00 (4, 5 Jun)
    now = aware(2026, 6, 4, 10)
    assert [d.object_id for d in selectors.overdue(now)] == [a.pk]
    assert [d.object_id for d in selectors.due_soon(now, working_days=1)] == [b.pk]
    assert selectors.overdue(now, units=[w.body.pk]).count() == 0
    assert selectors.overdue(now, units=[w.office.pk]).count() == 1
    qs = selectors.with_open_deadline(DataChangeRequest.objects.order_by("pk"), "first")
    assert [row.deadline_due_at for row in qs] == [aware(2026, 6, 4), aware(2026, 6, 6)]


# ---- tick ----------------------------------------------------------------------------------------------------


@pytest.mark.req("S0-27")
def test_tick_reminds_once_a_working_day_before_and_escalates_once_when_overdue(w):
    with freeze_time("2026-06-01T09:00:00+08:00"):  # Monday; 5 working days -> last day Mon 8 Jun
        req = dc.submit_data_change(actor=w.member, changes={"title": "新职务"}, reason="任职")
    deadline = Deadline.objects.get(object_id=req.pk, kind=DEADLINE_KIND)
    assert deadline.due_at == aware(2026, 6, 9) and deadline.remind_at == aware(2026, 6, 8)
    reminders = Message.objects.filter(event="workflow.deadline.remind")
    escalations = Message.objects.filter(event="workflow.deadline.escalate")

    run_tick(aware(2026, 6, 5, 12))
    assert not reminders.exists()
    result = run_tick(aware(2026, 6, 8, 0, 1))
    assert result["workflow.reminders"] == 1
    run_tick(aware(2026, 6, 8, 9))
    assert sorted(m.recipient_id for m in reminders) == sorted([w.staff.pk, w.staff2.pk])
    assert all(m.link == f"/accounts/data-change/{req.pk}/" for m in reminders)
    assert not escalations.exists()

    run_tick(aware(2026, 6, 9, 0, 1))
    run_tick(aware(2026, 6, 9, 0, 2))
    assert [m.recipient_id for m in escalations] == [w.head.pk]
    deadline.refresh_from_db()
    assert deadline.reminded_at == aware(2026, 6, 8, 0, 1) and deadline.escalated_at == aware(2026, 6, 9, 0, 1)
    assert reminders.count() == 2


@pytest.mark.req("S0-16", "S0-16.1")
def test_a_met_deadline_is_neither_reminded_nor_escalated(w):
    with freeze_time("2026-06-01T09:00:00+08:00"):
        req = dc.submit_data_change(actor=w.member, changes={"title": "新职务"}, reason="任职")
        dc.apply_data_change(actor=w.staff, request=req)
    deadline = Deadline.objects.get(object_id=req.pk, kind=DEADLINE_KIND)
    assert deadline.met_at is not None
    run_tick(aware(2026, 6, 8, 9))  # the reminder day of the met deadline
    run_tick(aware(2026, 6, 20))  # long after its last day
    deadline.refresh_from_db()
    assert (deadline.reminded_at, deadline.escalated_at) == (None, None)
    assert not Message.objects.filter(event__startswith="workflow.deadline").exists()


@pytest.mark.req("S0-16", "S0-16.1")
def test_tick_command_and_a_failing_job_does_not_stop_the_others(w):
    calls = []
    register_tick_job("test.broken", lambda now: 1 / 0)
    register_tick_job("test.ok", lambda now: calls.append(now) or 7)
    try:
        out = StringIO()
        with pytest.raises(Exception, match="some tick jobs failed"):
            call_command("tick", "--now", "2026-06-08T09:00:00+08:00", stdout=out)
        assert "test.ok: 7" in out.getvalue() and "test.broken: error" in out.getvalue()
        assert calls == [aware(2026, 6, 8, 9)]
        assert {"notify.retry_deliveries", "workflow.reminders", "workflow.escalations"} <= set(tick_jobs())
        out = StringIO()
        call_command("tick", "--job", "test.ok", "--job", "notify.retry_deliveries", stdout=out)
        assert "notify.retry_deliveries: 0" in out.getvalue()
    finally:
        from lvzhi.core import tick

        tick._JOBS.pop("test.broken", None)
        tick._JOBS.pop("test.ok", None)


# ---- concurrency ---------------------------------------------------------------------------------------------


@pytest.mark.req("S0-16", "S0-16.1")
@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_the_same_moment_exactly_one_succeeds():
    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    body = make_body()
    office = make_unit(body, "委员联络室", function="liaison_office")
    clerks = [make_user(office, roles=["staff"]) for _ in range(2)]
    member = make_user(body, roles=["member"])
    obj = DataChangeRequest.objects.create(user=member, unit=office, changes={"title": "x"}, reason="r")
    start(obj, actor=member, workflow=TEST_FLOW)
    req = dc.submit_data_change(actor=make_user(body, roles=["member"]), changes={"title": "y"}, reason="r")

    def race(action):
        barrier = threading.Barrier(2)
        outcomes = []

        def run(clerk):
            try:
                barrier.wait()
                action(clerk)
                outcomes.append("ok")
            except Conflict as exc:
                outcomes.append(exc.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=run, args=(clerk,)) for clerk in clerks]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return sorted(outcomes)

    fresh = DataChangeRequest.objects.get(pk=obj.pk)
    assert race(lambda clerk: transition(fresh, "approve", actor=clerk, workflow=TEST_FLOW)) == [
        "ok",
        "transition_not_allowed",
    ]
    assert WorkflowEvent.objects.filter(object_id=obj.pk, transition="approve").count() == 1
    assert Deadline.objects.filter(object_id=obj.pk, kind="second").count() == 1

    assert race(lambda clerk: dc.apply_data_change(actor=clerk, request=req)) == ["ok", "transition_not_allowed"]
    assert AuditEvent.objects.filter(event="accounts.datachange.apply").count() == 1
