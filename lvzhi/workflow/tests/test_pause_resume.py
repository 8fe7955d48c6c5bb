"""Stopping a deadline's clock while a case waits on someone else, and restarting it (Transition.pauses/resumes)."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.datachange.models import DataChangeRequest
from lvzhi.testing import make_body, make_unit, make_user
from lvzhi.workflow import selectors
from lvzhi.workflow.declaration import DeadlineRule, Transition, Workflow
from lvzhi.workflow.jobs import escalate_overdue, send_reminders
from lvzhi.workflow.models import Deadline, WorkflowEvent
from lvzhi.workflow.services import start, transition

S = DataChangeRequest.Status

PAUSE_FLOW = Workflow(
    "test.pause",
    model=None,
    states=S,
    initial=S.SUBMITTED,
    starts=[DeadlineRule("work", working_days=2, responsible=lambda o: o.unit)],
    transitions=[
        Transition("wait", sources=[S.SUBMITTED], target=S.REJECTED, pauses=["work"]),
        Transition("go_on", sources=[S.REJECTED], target=S.SUBMITTED, resumes=["work"]),
        Transition("finish", sources=[S.SUBMITTED], target=S.DONE, ends=["work"]),
    ],
)


def aware(y, m, d, hh=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh))


@pytest.mark.req("S0-16.2")
def test_a_paused_clock_is_not_overdue_and_resumes_later_by_the_days_waited(db):
    body = make_body()
    office = make_unit(body, "办公室")
    staff = make_user(office, roles=["staff"])
    head = make_user(office, roles=["head"])
    member = make_user(body, roles=["member"])
    with freeze_time("2026-06-01T09:00:00+08:00"):  # Monday: 2 working days -> end of Wed 3 June
        obj = DataChangeRequest.objects.create(user=member, unit=office, changes={}, reason="r")
        start(obj, actor=member, workflow=PAUSE_FLOW)
    deadline = Deadline.objects.get(object_id=obj.pk, kind="work")
    assert deadline.last_day == dt.date(2026, 6, 3)
    with freeze_time("2026-06-02T10:00:00+08:00"):
        transition(obj, "wait", actor=staff, workflow=PAUSE_FLOW)
    deadline.refresh_from_db()
    assert deadline.is_paused and deadline.paused_at == aware(2026, 6, 2, 10)
    assert send_reminders(aware(2026, 6, 3, 9)) == 0
    assert escalate_overdue(aware(2026, 6, 5, 9)) == 0
    assert not selectors.overdue(aware(2026, 6, 5, 9), obj=obj).exists()
    with freeze_time("2026-06-05T15:00:00+08:00"):  # Friday: Wed, Thu, Fri waited -> 3 working days later
        transition(obj, "go_on", actor=staff, workflow=PAUSE_FLOW)
    deadline.refresh_from_db()
    assert not deadline.is_paused and deadline.last_day == dt.date(2026, 6, 8)
    assert WorkflowEvent.objects.get(object_id=obj.pk, transition="go_on").data == {"resumed": {"work": 3}}
    assert escalate_overdue(aware(2026, 6, 9, 0)) == 1
    assert head.messages.filter(event="workflow.deadline.escalate").count() == 1
