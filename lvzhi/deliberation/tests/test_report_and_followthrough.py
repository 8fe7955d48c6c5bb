import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.deliberation import services
from lvzhi.deliberation.models import FollowUp, Speaker, SpecialReport, TopicLink
from lvzhi.duty.models import Record
from lvzhi.notify.models import Message
from lvzhi.workdays import calendar
from lvzhi.workflow import jobs
from lvzhi.workflow.models import Deadline

from .conftest import published

pytestmark = pytest.mark.django_db
S = SpecialReport.Status


def discussed(w):
    topic = published(w)
    p1 = services.create_post(actor=w.m1, topic=topic, text_value="建议设立企业服务专员。")
    p2 = services.create_post(actor=w.m2, topic=topic, text_value="建议公开涉企收费清单。")
    services.create_post(actor=w.m3, topic=topic, text_value="同意以上意见。", parent=p1)
    services.mark_viewpoint(actor=w.staff, post=p1)
    services.mark_viewpoint(actor=w.staff, post=p2)
    return topic, p1, p2


@pytest.mark.req("S0-12.2")
def test_a_special_report_is_drafted_from_the_marked_posts_with_their_authors(world):
    topic, p1, p2 = discussed(world)
    report = services.draft_report(actor=world.staff, topic=topic)
    assert report.status == S.DRAFT
    assert "金文博：建议设立企业服务专员。" in report.text and "魏静怡：建议公开涉企收费清单。" in report.text
    assert "同意以上意见" not in report.text  # not marked
    assert set(report.viewpoints.all()) == {p1, p2}
    assert report.figures == {"invited": 3, "participants": 3, "posts": 3, "viewpoints": 2}
    with pytest.raises(Conflict) as twice:
        services.draft_report(actor=world.staff, topic=topic)
    assert twice.value.code == "report_exists"


@pytest.mark.req("S0-12.2")
def test_the_report_is_edited_approved_by_the_head_and_sent_to_the_leaders(world):
    topic, _p1, _p2 = discussed(world)
    report = services.draft_report(actor=world.staff, topic=topic)
    report = services.edit_report(
        actor=world.staff, report=report, title="关于优化营商环境的专报", text_value="整理后的正文"
    )
    report = services.submit_report(actor=world.staff, report=report)
    assert Message.objects.filter(recipient=world.head, event="deliberation.report.submit").exists()
    with pytest.raises(Conflict):
        services.edit_report(actor=world.staff, report=report, title="x", text_value="y")
    with pytest.raises(PermissionDenied):
        services.approve_report(actor=world.staff, report=report)
    report = services.approve_report(actor=world.head, report=report)
    assert report.status == S.APPROVED and report.approved_by == world.head
    report = services.send_report(actor=world.staff, report=report)
    assert report.status == S.SENT and report.sent_at
    sent = Message.objects.get(recipient=world.leader, event="deliberation.report.send")
    assert "3" in sent.body and "2" in sent.body
    audit = [e.event for e in AuditEvent.objects.filter(object_type="deliberation.specialreport").order_by("pk")]
    assert audit == [
        "deliberation.report.draft",
        "deliberation.report.edit",
        "deliberation.report.submit",
        "deliberation.report.approve",
        "deliberation.report.send",
    ]


@pytest.mark.req("S0-12.2")
def test_no_report_without_viewpoints_and_a_hidden_post_is_no_viewpoint(world):
    topic = published(world)
    post = services.create_post(actor=world.m1, topic=topic, text_value="建议一。")
    with pytest.raises(Conflict) as none:
        services.draft_report(actor=world.staff, topic=topic)
    assert none.value.code == "no_viewpoints"
    services.mark_viewpoint(actor=world.staff, post=post)
    services.hide_post(actor=world.staff, post=post, reason="重复")
    with pytest.raises(Conflict):
        services.draft_report(actor=world.staff, topic=topic)
    with pytest.raises(Conflict):
        services.mark_viewpoint(actor=world.staff, post=post)
    assert not SpecialReport.objects.exists()


@pytest.mark.req("S0-12.3")
def test_links_and_speakers_chosen_from_the_viewpoints_authors_are_told(world):
    topic, p1, _p2 = discussed(world)
    link = services.add_link(
        actor=world.staff, topic=topic, kind="inspection", title="开发区营商环境视察", day="2026-11-20"
    )
    assert link.kind == TopicLink.Kind.INSPECTION and link.day == dt.date(2026, 11, 20)
    with pytest.raises(ValidationFailed):
        services.add_link(actor=world.staff, topic=topic, kind="party", title="x")
    with pytest.raises(NotFound):
        services.add_link(actor=world.social_staff, topic=topic, kind="research", title="x")
    speaker = services.choose_speaker(actor=world.staff, post=p1)
    assert speaker.member == world.m1
    msg = Message.objects.get(recipient=world.m1, event="deliberation.topic.speaker")
    assert "优化营商环境" in msg.title
    with pytest.raises(Conflict):
        services.choose_speaker(actor=world.staff, post=p1)
    reply = topic.posts.get(author=world.m3)
    with pytest.raises(Conflict) as not_vp:
        services.choose_speaker(actor=world.staff, post=reply)
    assert not_vp.value.code == "not_a_viewpoint"
    assert Speaker.objects.count() == 1


def held(w):
    topic, p1, p2 = discussed(w)
    services.close_topic(actor=w.staff, topic=topic)
    topic = services.meeting_held(actor=w.staff, topic=topic)
    return topic, p1, p2


@pytest.mark.req("S0-12.4", "S3-6")
def test_a_follow_up_has_a_working_day_deadline_and_the_members_are_told_the_outcome(world):
    topic, p1, p2 = held(world)
    with freeze_time("2026-09-29 10:00:00+08:00"):  # before National Day: the deadline skips the holiday
        followup = services.add_followup(
            actor=world.staff,
            topic=topic,
            kind="instruction",
            source="市长",
            content="请市发改委研究落实企业服务专员制度。",
            viewpoint_ids=[p1.pk],
        )
    deadline = Deadline.objects.get(object_id=followup.pk, workflow="deliberation.followup")
    expected = calendar.add_working_days(timezone.make_aware(dt.datetime(2026, 9, 29, 10, 0)), 20)
    assert deadline.due_at == expected and followup.next_due_at == expected
    assert deadline.due_at.date() > dt.date(2026, 10, 27)  # 20 working days skip the eight-day holiday
    # Seed 003: the leader's instruction is a duty record of the member whose viewpoint it took up (not of m2).
    instructed = Record.objects.filter(
        outcome="instructed", source_ref=f"deliberation.followup:{followup.pk}#instruction"
    )
    assert list(instructed.values_list("member_id", "kind", "status")) == [(world.m1.pk, "opinion", "pending")]
    followup = services.complete_followup(actor=world.staff, followup=followup, outcome="已出台实施办法。")
    assert followup.status == FollowUp.Status.DONE
    told = Message.objects.get(recipient=world.m1, event="deliberation.followup.done")
    assert "已出台实施办法" in told.body
    assert not Message.objects.filter(recipient=world.m2, event="deliberation.followup.done").exists()
    assert Deadline.objects.get(pk=deadline.pk).met_at is not None


@pytest.mark.req("S0-12.4")
def test_an_overdue_follow_up_is_reminded_then_escalated_to_the_committee_head(world):
    topic, p1, _p2 = held(world)
    with freeze_time("2026-11-02 10:00:00+08:00"):
        followup = services.add_followup(
            actor=world.staff,
            topic=topic,
            kind="handling",
            source="市发改委",
            content="办理委员建议",
            viewpoint_ids=[p1.pk],
        )
    deadline = Deadline.objects.get(object_id=followup.pk, workflow="deliberation.followup")
    jobs.send_reminders(now=deadline.due_at - dt.timedelta(hours=2))
    assert Message.objects.filter(recipient=world.staff, event="workflow.deadline.remind").exists()
    assert jobs.escalate_overdue(now=deadline.due_at + dt.timedelta(minutes=1)) == 1
    escalated = Message.objects.get(recipient=world.head, event="workflow.deadline.escalate")
    assert escalated.link == f"/deliberation/topics/{topic.pk}/work/"
    assert jobs.escalate_overdue(now=deadline.due_at + dt.timedelta(days=1)) == 0  # once


@pytest.mark.req("S0-12.4")
def test_follow_ups_only_after_the_meeting_and_with_this_topics_viewpoints(world):
    topic, p1, _p2 = discussed(world)
    with pytest.raises(Conflict):
        services.add_followup(actor=world.staff, topic=topic, kind="instruction", source="市长", content="x")
    services.close_topic(actor=world.staff, topic=topic)
    topic = services.meeting_held(actor=world.staff, topic=topic)
    with pytest.raises(ValidationFailed):
        services.add_followup(
            actor=world.staff, topic=topic, kind="instruction", source="市长", content="x", viewpoint_ids=[999999]
        )
    with pytest.raises(ValidationFailed):
        services.add_followup(actor=world.staff, topic=topic, kind="wish", source="市长", content="x")
    assert not FollowUp.objects.exists()
