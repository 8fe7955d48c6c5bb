"""Objections (S3-11): to the organiser or the members' work committee, answered within 5 working days (workflow
deadline with reminder and escalation); an upheld objection corrects the record and the total, history kept."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.tick import run_tick
from lvzhi.duty import services
from lvzhi.duty.models import Objection, Record
from lvzhi.notify.models import Message
from lvzhi.workdays import calendar
from lvzhi.workflow.models import Deadline, WorkflowEvent

from .helpers import counted, total


@pytest.mark.req("S3-11")
def test_objection_answered_on_the_fifth_working_day_around_national_day(w):
    with freeze_time("2026-09-28 10:00:00+08:00"):
        rec = counted(w, kind="meeting", outcome="absent", title="9月28日常委会", day=dt.date(2026, 9, 28))
    assert total(w, w.m1) == -2
    with freeze_time("2026-09-30 15:00:00+08:00"):  # Wednesday before the National Day holidays
        obj = services.raise_objection(
            actor=w.m1, body=w.body, year=2026, target="record", record=rec, text_value="我当天请过假，有请假条。"
        )
        assert obj.unit == w.econ  # the organiser
        deadline = Deadline.objects.get(workflow="duty.objection", object_id=obj.pk)
        # Working days after 30 Sep: 8 Oct (1), 9 Oct (2), Saturday 10 Oct (调休, 3), 12 Oct (4), 13 Oct (5).
        assert calendar.due_date(deadline.due_at) == dt.date(2026, 10, 13)
    with freeze_time("2026-10-13 08:00:00+08:00"):
        run_tick(only=["workflow.reminders"])  # reminded on the morning of the last day
    assert Message.objects.filter(recipient=w.econ_staff, event="workflow.deadline.remind").exists()
    with freeze_time("2026-10-13 17:30:00+08:00"):  # the 5th working day
        with pytest.raises(NotFound):  # another committee does not see it
            services.answer_objection(actor=w.social_staff, objection=obj, uphold=True, answer="x")
        with pytest.raises(PermissionDenied):  # the members' work committee sees it; the organiser answers
            services.answer_objection(actor=w.liaison_staff, objection=obj, uphold=True, answer="x")
        obj = services.answer_objection(
            actor=w.econ_staff, objection=obj, uphold=True, outcome="excused", answer="经核实，您已请假，已更正为请假。"
        )
    obj = Objection.objects.get(pk=obj.pk)
    assert (obj.status, obj.on_time) == ("upheld", True)
    assert total(w, w.m1) == 0  # excused: 0 points instead of the -2 deduction
    correction = obj.correction
    assert (correction.status, correction.corrects_id, correction.outcome) == ("counted", rec.pk, "excused")
    assert Record.objects.get(pk=rec.pk).status == "superseded"  # the history stays
    assert Record.objects.get(pk=rec.pk).outcome == "absent"
    assert WorkflowEvent.objects.filter(workflow="duty.objection", object_id=obj.pk, transition="uphold").exists()
    assert Message.objects.filter(recipient=w.m1, event="duty.objection.answer").exists()


@pytest.mark.req("S3-11")
def test_an_unanswered_objection_is_escalated_after_five_working_days(w):
    with freeze_time("2026-09-30 15:00:00+08:00"):
        obj = services.raise_objection(
            actor=w.m1, body=w.body, year=2026, target="rank", to="liaison", text_value="我的排名似乎不对。"
        )
        assert obj.unit == w.liaison
    with freeze_time("2026-10-14 00:30:00+08:00"):  # the 6th working day
        run_tick(only=["workflow.escalations"])
        assert Message.objects.filter(recipient=w.liaison_head, event="workflow.deadline.escalate").exists()
        obj = services.answer_objection(actor=w.liaison_staff, objection=obj, uphold=False, answer="经复核，排名无误。")
    assert (obj.status, obj.on_time) == ("rejected", False)


@pytest.mark.req("S3-11")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_bad_objections_write_nothing(w):
    rec = counted(w, kind="meeting", outcome="attended")
    cases = [
        ({"actor": w.m2, "target": "record", "record": rec, "text_value": "x"}, NotFound),  # not their record
        ({"actor": w.m1, "target": "record", "record": None, "text_value": "x"}, NotFound),
        ({"actor": w.m1, "target": "nonsense", "text_value": "x"}, ValidationFailed),
        ({"actor": w.m1, "target": "total", "text_value": ""}, ValidationFailed),
        ({"actor": w.m1, "target": "total", "text_value": "x" * 1001}, ValidationFailed),
        ({"actor": w.m1, "target": "total", "text_value": "x", "to": "nobody"}, ValidationFailed),
        ({"actor": w.econ_staff, "target": "total", "text_value": "x"}, NotFound),  # not a member
        ({"actor": w.member_b2, "target": "total", "text_value": "x"}, NotFound),  # another body
    ]
    for kwargs, error in cases:
        with pytest.raises(error):
            services.raise_objection(body=w.body, year=2026, **kwargs)
    assert Objection.objects.count() == 0
