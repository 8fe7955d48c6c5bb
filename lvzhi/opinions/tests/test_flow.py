"""A report from the member's phone to a closed case, through the web pages: every step a declared transition with
history, deadlines, audit and the messages to those concerned."""

import pytest
from django.urls import reverse

from lvzhi.audit.models import AuditEvent
from lvzhi.notify.models import Message
from lvzhi.opinions import services
from lvzhi.opinions.models import Rating, Report, ThreadMessage
from lvzhi.testing import login
from lvzhi.workflow.models import Deadline, WorkflowEvent

from .conftest import HOTLINE_TEXT, submit

S = Report.Status


def step(client, report, name, **data):
    return client.post(reverse("opinions:step", args=[report.pk, name]), data)


def inbox(user, event=None):
    qs = Message.objects.filter(recipient=user)
    return qs.filter(event=event) if event else qs


@pytest.mark.req("S0-5.4", "S0-16", "S0-16.1", "S0-16.2", "S0-16.3")
def test_hotline_case_from_submission_to_rating_through_the_pages(client, w):
    report = _submitted_from_the_phone(client, w)
    _accepted_and_forwarded_to_the_hotline(client, w, report)
    _verified_with_the_member(client, w, report)
    _answered_and_rated(client, w, report)
    _history_is_recorded_and_audited_without_the_text(client, w, report)


def _submitted_from_the_phone(client, w):
    """The member submits with a co-reporter: the committee office and the co-reporter are told, routing is due."""
    login(client, w.member)
    page = client.get(reverse("opinions:new"))
    assert page.status_code == 200 and 'data-testid="guidance"' in page.content.decode()
    response = client.post(
        reverse("opinions:new"),
        {
            "title": "东湖路红绿灯损坏",
            "category": "sudden_problem",
            "content": HOTLINE_TEXT,
            "location": "东湖区",
            "co_reporters": "魏静怡",
            "do": "submit",
        },
    )
    report = Report.objects.get(author=w.member)
    assert response.status_code == 302 and response["Location"] == f"/opinions/{report.pk}/"
    assert report.status == S.SUBMITTED and report.committee == w.econ
    assert list(report.co_reporters.all()) == [w.co]
    # S0-16: the committee office is told at once; the co-reporter too.
    assert {m.recipient for m in Message.objects.filter(event="opinions.report.submit")} == {w.staff, w.staff2}
    assert inbox(w.co, "opinions.report.co_reporter").count() == 1
    assert Deadline.objects.filter(object_id=report.pk, kind="route", met_at__isnull=True).count() == 1
    return report


def _accepted_and_forwarded_to_the_hotline(client, w, report):
    """The office accepts it and forwards it to the hotline in time."""
    client.logout()
    login(client, w.staff)
    detail = client.get(f"/opinions/{report.pk}/").content.decode()
    assert 'data-action="forward"' in detail and 'data-action="accept"' in detail
    assert step(client, report, "accept", category="sudden_problem", text="").status_code == 302
    assert step(client, report, "forward", category="sudden_problem", text="请热线办理").status_code == 302
    report.refresh_from_db()
    assert report.status == S.AT_HOTLINE and report.hotline == w.hotline_unit and report.forwarded_on_time is True
    assert inbox(w.hotline, "opinions.report.forward").count() == 1
    assert Deadline.objects.get(object_id=report.pk, kind="route").met_at is not None


def _verified_with_the_member(client, w, report):
    """The hotline asks; the office asks the member, who answers, and answers the hotline (its clock paused)."""
    client.logout()
    login(client, w.hotline)
    assert step(client, report, "update", text="已转交市交警支队核查。").status_code == 302
    assert step(client, report, "ask_verification", text="请核实具体是哪个路口方向的信号灯。").status_code == 302
    report.refresh_from_db()
    assert report.status == S.VERIFYING
    assert Deadline.objects.get(object_id=report.pk, kind="hotline").paused_at is not None
    assert inbox(w.staff, "opinions.report.ask_verification").exists()

    client.logout()
    login(client, w.staff)
    assert step(client, report, "ask_member", text="热线想确认是哪个方向的信号灯？").status_code == 302
    assert inbox(w.member, "opinions.thread.ask_member").exists()

    client.logout()
    login(client, w.member)
    page = client.get(f"/opinions/{report.pk}/").content.decode()
    assert 'data-action="answer_question"' in page and "已转交市交警支队核查" in page  # the status bar
    assert step(client, report, "answer_question", text="由北向南方向。").status_code == 302

    client.logout()
    login(client, w.staff)
    page = client.get(f"/opinions/{report.pk}/").content.decode()
    assert "由北向南方向。" in page  # prefilled for the office's answer to the hotline
    assert step(client, report, "verified", text="经与委员核实：由北向南方向。").status_code == 302
    report.refresh_from_db()
    assert report.status == S.AT_HOTLINE
    assert Deadline.objects.get(object_id=report.pk, kind="hotline").paused_at is None
    kinds = list(ThreadMessage.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == ["hotline_question", "office_question", "member_answer", "office_answer"]


def _answered_and_rated(client, w, report):
    """The hotline reports its result, the office answers the member (and the co-reporter), the member rates it."""
    client.logout()
    login(client, w.hotline)
    assert step(client, report, "hotline_result", text="信号灯已于今日修复，交警已加强高峰疏导。").status_code == 302
    client.logout()
    login(client, w.staff)
    assert step(client, report, "answer", text="信号灯已修复，交警已加强高峰疏导。").status_code == 302
    report.refresh_from_db()
    assert report.status == S.ANSWERED and report.answered_at and report.wd_total is not None
    assert inbox(w.member, "opinions.report.answer").exists() and inbox(w.co, "opinions.report.answer").exists()

    client.logout()
    login(client, w.member)
    page = client.get(f"/opinions/{report.pk}/").content.decode()
    assert 'data-action="rate"' in page and "信号灯已修复" in page
    assert step(client, report, "rate", level="satisfied", text="").status_code == 302
    report.refresh_from_db()
    assert report.status == S.CLOSED and report.satisfaction == "satisfied" and report.closed_at
    assert Rating.objects.get(report=report).level == "satisfied"
    assert inbox(w.staff, "opinions.report.satisfied").exists()
    assert inbox(w.hotline, "opinions.report.satisfied").exists()


def _history_is_recorded_and_audited_without_the_text(client, w, report):
    """Every step is a workflow event and audited (never with the report's text); the member sees the history."""
    steps = list(
        WorkflowEvent.objects.filter(object_id=report.pk, workflow="opinions.report").values_list(
            "transition", flat=True
        )
    )
    assert steps == ["submit", "accept", "forward", "ask_verification", "verified", "hotline_result", "answer", "rate"]
    audited = set(
        AuditEvent.objects.filter(object_id=str(report.pk), object_type="opinions.report").values_list(
            "event", flat=True
        )
    )
    assert {f"opinions.report.{s}" for s in steps} <= audited
    assert {"opinions.update.post", "opinions.thread.ask_member", "opinions.thread.member_answer"} <= audited
    # The audit log names the report but never carries its text (the administrators read the log).
    for event in AuditEvent.objects.filter(object_type="opinions.report"):
        assert "红绿灯" not in event.object_repr and "红绿灯" not in str(event.after) + str(event.before)
    # The member sees the full history on the page.
    page = client.get(f"/opinions/{report.pk}/").content.decode()
    assert page.count("data-step=") == len(steps)


@pytest.mark.req("S0-15", "S0-16")
def test_a_member_in_no_committee_goes_to_the_liaison_office(w):
    report = submit(w, w.loner)
    assert report.committee == w.liaison
    assert {m.recipient for m in Message.objects.filter(event="opinions.report.submit")} == {w.liaison_staff}
    services.accept_report(actor=w.liaison_staff, report=report, category="sudden_problem")
    report = services.forward_to_hotline(actor=w.liaison_staff, report=report)
    assert report.status == S.AT_HOTLINE


@pytest.mark.req("S0-16")
def test_transfer_to_the_competent_committee_and_no_bounce_without_the_head(w):
    report = submit(w, category="politics_law", title="社区矫正工作建议")
    report = services.transfer_report(actor=w.staff, report=report, to_committee=w.social, reason="属社法委业务范围")
    assert report.status == S.TRANSFERRED and report.committee == w.social and report.origin_committee == w.econ
    assert inbox(w.social_staff, "opinions.report.transfer").exists()
    assert inbox(w.member, "opinions.report.transfer").exists()
    # The receiving staff cannot send it back by themselves: the step belongs to the head.
    with pytest.raises(services.PermissionDenied):
        services.return_transfer(actor=w.social_staff, report=report, reason="不属于我委")
    report = services.request_transfer_return(actor=w.social_staff, report=report, reason="不属于我委")
    assert report.status == S.RETURN_PENDING and inbox(w.social_head, "opinions.report.request_return").exists()
    report = services.keep_transfer(actor=w.social_head, report=report, reason="请我委办理")
    assert report.status == S.ACCEPTED and report.committee == w.social
    report = services.handle_in_committee(actor=w.social_staff, report=report)
    services.post_update(actor=w.social_staff, report=report, text="已召开座谈会听取意见。")
    report = services.answer_member(actor=w.social_staff, report=report, answer="建议已转市司法局研究采纳。")
    assert report.status == S.ANSWERED and report.result == report.answer and report.wd_feedback == 0

    # Another transfer, this time sent back with the head's approval.
    second = submit(w, category="culture", title="图书馆延长开放时间")
    second = services.transfer_report(actor=w.staff, report=second, to_committee=w.social, reason="文化类")
    second = services.return_transfer(actor=w.social_head, report=second, reason="应由文史委办理，请重新转办")
    assert second.status == S.ACCEPTED and second.committee == w.econ and second.origin_committee == w.social
    assert inbox(w.staff, "opinions.report.return_transfer").exists()
    assert (
        Deadline.objects.filter(object_id=second.pk, kind="route", met_at__isnull=True).get().responsible_unit == w.econ
    )


@pytest.mark.req("S0-16.3")
def test_unsatisfied_reopens_for_another_round_recorded_as_such(w):
    report = submit(w)
    report = services.forward_to_hotline(actor=w.staff, report=report)
    report = services.report_hotline_result(actor=w.hotline, report=report, result="已答复。")
    report = services.answer_member(actor=w.staff, report=report, answer="已答复。")
    services.rate_report(actor=w.member, report=report, level="unsatisfied", comment="问题没有解决，红绿灯还是坏的")
    report.refresh_from_db()
    assert report.status == S.ACCEPTED and report.round == 2 and report.satisfaction == "unsatisfied"
    assert report.answer == "" and report.result == ""
    assert WorkflowEvent.objects.filter(object_id=report.pk, transition="reopen").count() == 1
    assert Deadline.objects.filter(object_id=report.pk, kind="route", met_at__isnull=True).exists()
    assert inbox(w.staff, "opinions.report.unsatisfied").exists()
    # second round
    report = services.forward_to_hotline(actor=w.staff, report=report)
    report = services.report_hotline_result(actor=w.hotline, report=report, result="已彻底修复。")
    report = services.answer_member(actor=w.staff, report=report, answer="已彻底修复。")
    services.rate_report(actor=w.member, report=report, level="basically", comment="")
    assert list(Rating.objects.filter(report=report).order_by("round").values_list("round", "level")) == [
        (1, "unsatisfied"),
        (2, "basically"),
    ]
    report.refresh_from_db()
    assert report.status == S.CLOSED


@pytest.mark.req("S0-16")
def test_return_revise_resubmit_and_withdraw(w):
    report = submit(w)
    report = services.return_report(actor=w.staff, report=report, reason="请补充具体地点和时间")
    assert report.status == S.RETURNED and inbox(w.member, "opinions.report.return").exists()
    assert not Deadline.objects.filter(object_id=report.pk, met_at__isnull=True).exists()
    report = services.save_report(
        actor=w.member,
        report=report,
        title="东湖路与长江路交叉口红绿灯损坏",
        content=HOTLINE_TEXT + "（2026年6月1日起）",
        category="sudden_problem",
    )
    report = services.submit_report(actor=w.member, report=report)
    assert report.status == S.SUBMITTED and inbox(w.staff, "opinions.report.resubmit").exists()
    assert Deadline.objects.filter(object_id=report.pk, kind="route", met_at__isnull=True).count() == 1
    report = services.withdraw_report(actor=w.member, report=report, reason="问题已自行解决")
    assert report.status == S.WITHDRAWN
    assert not Deadline.objects.filter(object_id=report.pk, met_at__isnull=True).exists()


@pytest.mark.req("S0-17")
def test_deliberation_topic_needs_the_heads_approval_and_is_handed_off(w):
    from lvzhi.opinions import selectors
    from lvzhi.opinions.models import TopicRequest

    report = submit(w, category="economy", title="关于优化营商环境的建议")
    report = services.accept_report(actor=w.staff, report=report, category="economy")
    topic = services.request_topic(
        actor=w.staff, report=report, title="优化营商环境", summary="多名委员反映，具有普遍性。"
    )
    assert topic.status == TopicRequest.Status.PENDING and inbox(w.head, "opinions.topic.request").exists()
    with pytest.raises(services.Conflict):
        services.request_topic(actor=w.staff, report=report, title="再次", summary="重复")
    with pytest.raises(services.PermissionDenied):
        services.decide_topic(actor=w.staff, topic=topic, approve=True)
    topic = services.decide_topic(actor=w.head, topic=topic, approve=True, note="同意")
    assert topic.status == TopicRequest.Status.APPROVED and topic.approved_by == w.head
    assert inbox(w.member, "opinions.topic.approve").exists()
    assert list(selectors.approved_topic_requests(body=w.body)) == [topic]
    topic = services.take_topic_request(actor=w.staff, topic=topic, topic_ref="deliberation.topic:17")
    assert topic.status == TopicRequest.Status.TAKEN and topic.topic_ref == "deliberation.topic:17"
    assert not selectors.approved_topic_requests(body=w.body).exists()
    assert (
        AuditEvent.objects.filter(
            event__in=["opinions.topic.request", "opinions.topic.approve", "opinions.topic.take"]
        ).count()
        == 3
    )


@pytest.mark.req("S0-17")
def test_mark_for_a_formal_proposal_hands_off_to_the_proposals_module(w):
    proposals = pytest.importorskip("lvzhi.proposals.services")
    if not hasattr(proposals, "draft_from_report"):
        pytest.skip("lvzhi.proposals.services.draft_from_report is not there yet")
    report = submit(w, category="economy", title="关于发展数字经济的建议")
    report = services.handle_in_committee(actor=w.staff, report=report)
    report = services.mark_for_proposal(actor=w.staff, report=report, note="代表性强")
    assert report.proposal_id is not None
    assert inbox(w.member, "opinions.report.mark_proposal").exists()
    with pytest.raises(services.Conflict):
        services.mark_for_proposal(actor=w.staff, report=report)
