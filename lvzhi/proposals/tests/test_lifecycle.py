"""The whole lifecycle through the API, with frozen time: submission → acceptance → assignment → handling → reply
→ evaluation → re-handling → closed (S4-2.2.4), with the deadlines of the Deputies Law across holidays."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.tick import run_tick
from lvzhi.notify.models import Message
from lvzhi.proposals.models import Assignment, CoSigner, Evaluation, Proposal, Reply
from lvzhi.proposals.workflows import LEAD_FLOW
from lvzhi.workflow.models import Deadline, WorkflowEvent
from lvzhi.workflow.selectors import deadline_of

from .conftest import aware
from .helpers import Api

pytestmark = pytest.mark.django_db


def last_day(obj, kind):
    return deadline_of(obj, kind).last_day


@pytest.mark.req("S4-2.2.4", "S4-2.2")
def test_suggestion_from_draft_to_satisfied_after_rehandling(w):
    deputy, cos1, cos2 = Api(w.deputy), Api(w.deputies[0]), Api(w.deputies[1])
    clerk, lead, head, co = Api(w.clerk), Api(w.lead_staff), Api(w.lead_head), Api(w.co_staff)

    proposal = _drafted_cosigned_and_submitted(w, deputy, cos1, cos2)
    lead_a, co_a = _accepted_and_assigned(w, clerk, proposal)
    _contacted_and_the_co_unit_s_opinion_sent(lead, co, lead_a, co_a)
    _replied_with_the_head_s_sign_off(w, lead, head, proposal, lead_a)
    _rehandled_after_an_unsatisfied_evaluation_then_closed(deputy, lead, head, proposal, lead_a)
    _recorded_in_full(deputy, proposal, lead_a, co_a)


def _drafted_cosigned_and_submitted(w, deputy, cos1, cos2):
    """The deputy drafts a suggestion, two deputies co-sign it, it is submitted: review due in 10 working days."""
    with freeze_time(aware(2025, 6, 10)):
        status, data = deputy.post(
            "",
            {
                "body_id": w.congress.pk,
                "kind": "suggestion",
                "title": "关于加快老旧小区改造的建议",
                "content": "老旧小区设施陈旧，建议加快改造。",
                "category": "社会建设",
                "keywords": ["老旧小区", "城市更新"],
                "disclosure_consent": True,
            },
        )
        assert status == 201, data
        pk = data["id"]
        for who in (w.deputies[0], w.deputies[1]):
            status, data = deputy.post(f"/{pk}/cosigners", {"who": who.phone})
            assert status == 201, data
        assert cos1.post(f"/{pk}/cosign", {"confirm": True})[0] == 200
        assert cos2.post(f"/{pk}/cosign", {"confirm": True})[0] == 200
        status, data = deputy.post(f"/{pk}/submit")
        assert (status, data["status"]) == (200, "submitted")

    proposal = Proposal.objects.get(pk=pk)
    assert proposal.cosigners.filter(status=CoSigner.Status.CONFIRMED).count() == 2
    assert proposal.office == w.office and proposal.year == 2025
    assert last_day(proposal, "review") == dt.date(2025, 6, 24)  # 10 working days
    return proposal


def _accepted_and_assigned(w, clerk, proposal):
    """The office accepts it (numbered) and assigns a lead and a co unit: reply, contact and opinion deadlines."""
    with freeze_time(aware(2025, 6, 12)):
        status, data = clerk.post(f"/{proposal.pk}/accept", {"note": "符合立案条件"})
        assert (status, data["status"]) == (200, "accepted")
    proposal.refresh_from_db()
    assert proposal.number == 1 and proposal.reference == "2025-建议-0001"
    assert deadline_of(proposal, "review").met_at is not None

    with freeze_time(aware(2025, 7, 1, 10)):
        status, data = clerk.post(f"/{proposal.pk}/assign", {"lead_unit_id": w.unit_a.pk, "co_unit_ids": [w.unit_b.pk]})
        assert (status, data["status"]) == (200, "handling"), data
    lead_a = Assignment.objects.get(proposal_id=proposal.pk, role="lead")
    co_a = Assignment.objects.get(proposal_id=proposal.pk, role="co")
    # Three months from 1 July end on 1 October, National Day: the time limit runs to the next working day.
    assert last_day(lead_a, "reply") == dt.date(2025, 10, 9)
    assert last_day(lead_a, "contact") == dt.date(2025, 7, 22)  # 15 working days
    assert last_day(co_a, "opinion") == dt.date(2025, 8, 1)  # one month
    assert Message.objects.filter(recipient=w.lead_staff, event="proposals.assignment.new").exists()
    return lead_a, co_a


def _contacted_and_the_co_unit_s_opinion_sent(lead, co, lead_a, co_a):
    """The lead unit contacts the deputy and the co unit sends its opinion, each meeting its deadline."""
    with freeze_time(aware(2025, 7, 8)):
        status, data = lead.post(
            f"/assignments/{lead_a.pk}/contact", {"method": "visit", "date": "2025-07-08", "note": "登门听取意见"}
        )
        assert status == 201, data
        status, data = co.post(f"/assignments/{co_a.pk}/opinion", {"opinion": "同意主办单位意见，配合推进。"})
        assert (status, data["status"]) == (200, "opinion_sent")
    assert deadline_of(lead_a, "contact").met_at is not None
    assert deadline_of(co_a, "opinion").met_at is not None


def _replied_with_the_head_s_sign_off(w, lead, head, proposal, lead_a):
    """The lead unit replies; it goes out only once its head signed it off: on time, evaluation due."""
    with freeze_time(aware(2025, 9, 26, 15)):
        status, data = lead.post(f"/assignments/{lead_a.pk}/reply", {"content": "答复如下……", "classification": "B"})
        assert status == 200, data
        reply_id = data["id"]
        status, data = lead.post(f"/replies/{reply_id}/send")  # not signed off yet
        assert (status, data["code"]) == (400, "reply_not_signed")
        status, data = lead.post(f"/replies/{reply_id}/sign-off")  # staff cannot sign off
        assert (status, data["code"]) == (403, "head_sign_off_required")
        assert head.post(f"/replies/{reply_id}/sign-off")[0] == 200
        status, data = lead.post(f"/replies/{reply_id}/send")
        assert (status, data["status"]) == (200, "sent"), data

    proposal.refresh_from_db()
    lead_a.refresh_from_db()
    assert proposal.status == Proposal.Status.REPLIED
    assert lead_a.status == Assignment.Status.REPLIED and lead_a.replied_on_time is True
    assert lead_a.classification == "B"
    # 20 working days, across the National Day holidays (and the adjusted working day 11 October).
    assert last_day(proposal, "evaluate") == dt.date(2025, 10, 30)
    assert Message.objects.filter(recipient=w.deputy, event="proposals.reply.sent").exists()


def _rehandled_after_an_unsatisfied_evaluation_then_closed(deputy, lead, head, proposal, lead_a):
    """Unsatisfied: re-handled within a month; the second reply satisfies the deputy and the proposal closes."""
    with freeze_time(aware(2025, 10, 20)):
        status, data = deputy.post(
            f"/{proposal.pk}/evaluate", {"rating": "unsatisfied", "comment": "改造进度没有明确时间表"}
        )
        assert (status, data["status"]) == (200, "rehandling"), data
    lead_a.refresh_from_db()
    assert lead_a.status == Assignment.Status.HANDLING
    assert last_day(lead_a, "reply") == dt.date(2025, 11, 20)  # re-handling: one month

    with freeze_time(aware(2025, 11, 10)):
        status, data = lead.post(
            f"/assignments/{lead_a.pk}/reply", {"content": "补充答复：明年一季度开工。", "classification": "A"}
        )
        reply2 = data["id"]
        assert head.post(f"/replies/{reply2}/sign-off")[0] == 200
        assert head.post(f"/replies/{reply2}/send")[0] == 200
        status, data = deputy.post(f"/{proposal.pk}/evaluate", {"rating": "satisfied"})
        assert (status, data["status"]) == (200, "closed")


def _recorded_in_full(deputy, proposal, lead_a, co_a):
    """Both evaluations and replies kept, every deadline met, every step in the history and the audit log."""
    proposal.refresh_from_db()
    lead_a.refresh_from_db()
    assert proposal.rating == "satisfied" and proposal.rehandle_count == 1
    assert lead_a.classification == "A" and lead_a.rating == "satisfied"
    assert list(Evaluation.objects.filter(proposal=proposal).order_by("round").values_list("rating", flat=True)) == [
        "unsatisfied",
        "satisfied",
    ]
    assert Reply.objects.filter(proposal=proposal, status="sent").count() == 2
    own = Q(content_type=ContentType.objects.get_for_model(Proposal), object_id=proposal.pk) | Q(
        content_type=ContentType.objects.get_for_model(Assignment), object_id__in=[lead_a.pk, co_a.pk]
    )
    assert Deadline.objects.filter(own).exists()  # the check below looks at the item's own deadlines
    assert not Deadline.objects.filter(own, met_at__isnull=True).exists()
    steps = list(
        WorkflowEvent.objects.filter(workflow="proposals.proposal", object_id=proposal.pk).values_list(
            "transition", flat=True
        )
    )
    assert steps == ["draft", "submit", "accept", "assign", "reply", "rehandle", "reply", "close"]
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"proposals.proposal.accept", "proposals.lead.reply", "proposals.reply.sign_off"} <= events

    status, data = deputy.get(f"/{proposal.pk}")
    assert status == 200
    assert [r["classification"] for r in data["replies"]] == ["B", "A"]
    assert data["replies"][0]["evaluation"]["rating"] == "unsatisfied"


@pytest.mark.req("S4-2.2.4")
def test_extension_moves_the_due_date_at_most_six_months_from_assignment(w):
    from .conftest import assigned

    with freeze_time(aware(2025, 7, 1, 10)):
        p = assigned(w, co=False)
    lead_a = p.assignments.get(role="lead")
    lead, clerk = Api(w.lead_staff), Api(w.clerk)
    with freeze_time(aware(2025, 9, 1)):
        status, data = lead.post(f"/assignments/{lead_a.pk}/extension", {"until": "2026-01-05", "reason": "涉及多部门"})
        # Six months from 1 July end on 1 January, a holiday: 4 January 2026 (an adjusted working day) at the latest.
        assert (status, data["code"]) == (400, "extension_too_long")
        status, data = lead.post(f"/assignments/{lead_a.pk}/extension", {"until": "2025-10-01", "reason": "x"})
        assert (status, data["code"]) == (400, "extension_not_later")
        status, data = lead.post(f"/assignments/{lead_a.pk}/extension", {"until": "2026-01-04", "reason": ""})
        assert (status, data["code"]) == (400, "reason_required")
        status, data = lead.post(
            f"/assignments/{lead_a.pk}/extension", {"until": "2026-01-04", "reason": "涉及规划调整，需多部门会商"}
        )
        assert status == 201, data
        request_id = data["id"]
        status, data = lead.post(f"/assignments/{lead_a.pk}/extension", {"until": "2025-12-01", "reason": "再次"})
        assert (status, data["code"]) == (409, "request_pending")
        assert last_day(lead_a, "reply") == dt.date(2025, 10, 9)  # unchanged until the office decides
        status, data = lead.post(f"/requests/{request_id}/decide", {"approve": True})
        assert status == 404  # the unit cannot approve its own request
        status, data = clerk.post(f"/requests/{request_id}/decide", {"approve": True, "note": "同意延期"})
        assert (status, data["status"]) == (200, "approved")
    lead_a.refresh_from_db()
    assert lead_a.extended is True
    deadline = deadline_of(lead_a, "reply")
    assert deadline.last_day == dt.date(2026, 1, 4) and deadline.met_at is None
    assert deadline.started_at == aware(2025, 7, 1, 10)  # the same time limit, moved: not a new one
    event = WorkflowEvent.objects.get(workflow="proposals.lead", transition="extend", object_id=lead_a.pk)
    assert event.data["rescheduled"]["reply"][1].startswith("2026-01-05T00:00")
    with freeze_time(aware(2025, 10, 10)):
        assert run_tick(only=["proposals.escalate_to_office"])["proposals.escalate_to_office"] == 0


@pytest.mark.req("S4-2.2.4")
def test_transfer_restarts_the_clock_and_the_history_keeps_both_units(w):
    from .conftest import assigned

    with freeze_time(aware(2025, 7, 1, 10)):
        p = assigned(w)
    old = p.assignments.get(role="lead")
    lead, clerk = Api(w.lead_staff), Api(w.clerk)
    with freeze_time(aware(2025, 8, 4, 9)):
        status, data = lead.post(
            f"/assignments/{old.pk}/transfer", {"reason": "不属于本单位职责", "suggested_unit_id": w.unit_a.pk}
        )
        assert (status, data["code"]) == (400, "transfer_same_unit")
        status, data = lead.post(
            f"/assignments/{old.pk}/transfer", {"reason": "属于卫健委职责", "suggested_unit_id": w.unit_c.pk}
        )
        assert status == 201, data
        request_id = data["id"]
        status, data = clerk.post(f"/requests/{request_id}/decide", {"approve": True, "new_unit_id": w.unit_a.pk})
        assert (status, data["code"]) == (400, "transfer_same_unit")
        status, data = clerk.post(f"/requests/{request_id}/decide", {"approve": True, "new_unit_id": w.unit_b.pk})
        assert (status, data["code"]) == (400, "unit_already_assigned")  # the co-handling unit
        old.refresh_from_db()
        assert old.status == Assignment.Status.HANDLING  # nothing half-written
        status, data = clerk.post(f"/requests/{request_id}/decide", {"approve": True})
        assert (status, data["status"]) == (200, "approved"), data
    old.refresh_from_db()
    new = p.assignments.get(role="lead", status="handling")
    assert old.status == Assignment.Status.TRANSFERRED and new.unit == w.unit_c
    assert new.transferred_from == old
    assert deadline_of(old, "reply").met_at is not None
    assert last_day(new, "reply") == dt.date(2025, 11, 4)  # three months from the transfer
    assert last_day(new, "contact") == dt.date(2025, 8, 25)
    # The old unit no longer sees the item; the new one does; the history shows both.
    assert Api(w.lead_staff).get(f"/{p.pk}")[0] == 404
    status, data = Api(w.other_unit).get(f"/{p.pk}")
    assert status == 200
    units = [(a["unit"]["name"], a["status"]) for a in data["assignments"]]
    assert ("市住建局", "transferred") in units and ("市卫健委", "handling") in units
    assert [e["step"] for e in data["history"] if e["unit"] == "市住建局"] == ["assign", "transfer"]


@pytest.mark.req("S4-2.2.4")
def test_no_evaluation_in_time_is_recorded_as_none_not_satisfied(w):
    from .conftest import replied

    with freeze_time(aware(2026, 1, 20, 10)):
        p = replied(w)
    assert last_day(p, "evaluate") == dt.date(2026, 2, 24)  # 20 working days across the Spring Festival
    with freeze_time(aware(2026, 2, 24, 23, 59)):
        assert run_tick(only=["proposals.missing_evaluations"])["proposals.missing_evaluations"] == 0
    with freeze_time(aware(2026, 2, 25, 0, 1)):
        assert run_tick(only=["proposals.missing_evaluations"])["proposals.missing_evaluations"] == 1
        assert run_tick(only=["proposals.missing_evaluations"])["proposals.missing_evaluations"] == 0
    p.refresh_from_db()
    assert p.status == Proposal.Status.CLOSED and p.rating == "none"
    evaluation = Evaluation.objects.get(proposal=p)
    assert evaluation.rating == "none" and evaluation.by is None
    assert p.assignments.get(role="lead").rating == "none"
    status, data = Api(w.deputy).post(f"/{p.pk}/evaluate", {"rating": "satisfied"})
    assert (status, data["code"]) == (409, "transition_not_allowed")


@pytest.mark.req("S4-2.2.4")
def test_rehandling_at_most_once_unless_the_office_decides(w):
    from .conftest import lead_of, replied

    p = replied(w)
    deputy, clerk = Api(w.deputy), Api(w.clerk)
    assert deputy.post(f"/{p.pk}/evaluate", {"rating": "unsatisfied"})[1]["code"] == "comment_required"
    assert deputy.post(f"/{p.pk}/evaluate", {"rating": "great"})[1]["code"] == "rating"
    assert deputy.post(f"/{p.pk}/evaluate", {"rating": "unsatisfied", "comment": "不满意"})[1]["status"] == "rehandling"
    lead = lead_of(p)
    reply = Reply.objects.create(
        proposal=p, assignment=lead, round=2, content="再答复", classification="C", drafted_by=w.lead_staff
    )
    Api(w.lead_head).post(f"/replies/{reply.pk}/sign-off")
    assert Api(w.lead_head).post(f"/replies/{reply.pk}/send")[0] == 200
    status, data = deputy.post(f"/{p.pk}/evaluate", {"rating": "unsatisfied", "comment": "仍不满意"})
    assert (status, data["status"]) == (200, "closed")  # no second re-handling by itself
    p.refresh_from_db()
    assert p.rating == "unsatisfied" and p.rehandle_count == 1
    assert Api(w.deputy).post(f"/{p.pk}/rehandle", {"reason": "x"})[0] == 403
    assert clerk.post(f"/{p.pk}/rehandle", {"reason": ""})[1]["code"] == "reason_required"
    status, data = clerk.post(f"/{p.pk}/rehandle", {"reason": "主任会议决定再次办理"})
    assert (status, data["status"]) == (200, "rehandling")
    p.refresh_from_db()
    assert p.rehandle_count == 2 and p.rehandle_allowance == 1
    assert lead_of(p).status == Assignment.Status.HANDLING


@pytest.mark.req("S4-2.2.4")
def test_overdue_unit_is_escalated_once_to_its_head_and_the_office(w):
    from .conftest import assigned

    with freeze_time(aware(2025, 7, 1, 10)):
        p = assigned(w, co=False)
    with freeze_time(aware(2025, 10, 10, 8)):
        results = run_tick()
        assert results["proposals.escalate_to_office"] == 1
        assert run_tick(only=["proposals.escalate_to_office"])["proposals.escalate_to_office"] == 0
    assert Message.objects.filter(recipient=w.clerk, event="proposals.assignment.overdue").count() == 1
    assert Message.objects.filter(recipient=w.lead_head, event="workflow.deadline.escalate").exists()
    status, data = Api(w.clerk).get("/office/flow", {"state": "handling"})
    assert data["items"][0]["id"] == p.pk


@pytest.mark.req("S4-2.2.4")
def test_an_extension_after_the_reminder_reminds_and_escalates_afresh(w):
    """The workflow's `reschedule`: a moved deadline is reminded and escalated again; a closed one cannot move."""
    from lvzhi.core.errors import Conflict
    from lvzhi.proposals import services
    from lvzhi.workflow.services import transition

    from .conftest import assigned

    with freeze_time(aware(2025, 7, 1, 10)):
        p = assigned(w, co=False)
    lead_a = p.assignments.get()
    with freeze_time(aware(2025, 10, 10, 9)):
        run_tick(only=["workflow.reminders", "workflow.escalations"])
        deadline = deadline_of(lead_a, "reply")
        assert deadline.escalated_at is not None
        request = services.request_extension(
            actor=w.lead_staff, assignment=lead_a, until=dt.date(2025, 12, 31), reason="需要协调资金"
        )
        services.decide_request(actor=w.clerk, request=request, approve=True)
    deadline.refresh_from_db()
    assert deadline.last_day == dt.date(2025, 12, 31) and deadline.met_at is None
    assert deadline.escalated_at is None and deadline.reminded_at is None and deadline.remind_at is not None
    events_before = WorkflowEvent.objects.count()
    with pytest.raises(Conflict):
        transition(lead_a, "extend", actor=w.clerk, workflow=LEAD_FLOW, reschedule={"opinion": aware(2026, 1, 1)})
    assert WorkflowEvent.objects.count() == events_before
