import datetime as dt

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.deliberation import services
from lvzhi.deliberation.models import Invitation, Topic
from lvzhi.notify.models import Delivery, Message
from lvzhi.orgs.services import set_body_setting

from .conftest import TODAY, approved, draft, published, topic_data

pytestmark = pytest.mark.django_db
T = Topic.Status


@pytest.mark.req("S0-12")
def test_a_topic_is_drafted_approved_by_the_committee_head_and_published(world):
    topic = draft(world)
    assert topic.status == T.DRAFT and topic.committee == world.econ and topic.year == TODAY.year
    topic = services.submit_topic(actor=world.staff, topic=topic)
    assert topic.status == T.PENDING
    assert Message.objects.filter(recipient=world.head, event="deliberation.topic.submit").exists()
    with pytest.raises(PermissionDenied):  # the staff cannot approve their own topic: the head's role (S0-7.1)
        services.approve_topic(actor=world.staff, topic=topic)
    with pytest.raises(PermissionDenied):  # another committee's head neither
        services.approve_topic(actor=world.social_head, topic=topic)
    topic = services.approve_topic(actor=world.head, topic=topic)
    assert topic.status == T.APPROVED and topic.approved_by == world.head
    topic = services.publish_topic(actor=world.staff, topic=topic, today=TODAY)
    assert topic.status == T.OPEN and topic.published_at
    events = list(
        AuditEvent.objects.filter(object_type="deliberation.topic").order_by("pk").values_list("event", flat=True)
    )
    assert events == [
        "deliberation.topic.create",
        "deliberation.topic.submit",
        "deliberation.topic.approve",
        "deliberation.topic.publish",
        "deliberation.topic.invite",
    ]


@pytest.mark.req("S0-12")
def test_a_draft_cannot_be_published_without_the_heads_approval(world):
    topic = draft(world)
    with pytest.raises(Conflict):
        services.publish_topic(actor=world.staff, topic=topic, today=TODAY)
    assert Topic.objects.get(pk=topic.pk).status == T.DRAFT


@pytest.mark.req("S0-12.1")
def test_published_14_days_before_the_meeting_is_refused_with_the_day_it_needed(world):
    meeting = dt.date(2026, 12, 1)
    topic = approved(
        world, discuss_from=dt.date(2026, 11, 10), discuss_until=dt.date(2026, 11, 30), meeting_date=meeting
    )
    with pytest.raises(Conflict) as refused:
        services.publish_topic(actor=world.staff, topic=topic, today=dt.date(2026, 11, 17))  # 14 days before
    assert refused.value.code == "too_late_to_publish"
    assert "2026-11-16" in str(refused.value.message)
    assert refused.value.extra == {"needed_by": "2026-11-16"}
    assert Topic.objects.get(pk=topic.pk).status == T.APPROVED
    assert not Invitation.objects.filter(topic=topic).exists()


@pytest.mark.req("S0-12.1")
def test_published_15_days_before_the_meeting_is_accepted(world):
    meeting = dt.date(2026, 12, 1)
    topic = approved(
        world, discuss_from=dt.date(2026, 11, 10), discuss_until=dt.date(2026, 11, 30), meeting_date=meeting
    )
    topic = services.publish_topic(actor=world.staff, topic=topic, today=dt.date(2026, 11, 16))  # 15 days before
    assert topic.status == T.OPEN


@pytest.mark.req("S0-12.1")
def test_a_body_may_ask_for_more_notice_never_less(world):
    set_body_setting(actor=None, body=world.body, key="deliberation.topic_notice_days", value=20)
    topic = approved(
        world,
        discuss_from=dt.date(2026, 11, 10),
        discuss_until=dt.date(2026, 11, 30),
        meeting_date=dt.date(2026, 12, 1),
    )
    with pytest.raises(Conflict) as refused:
        services.publish_topic(actor=world.staff, topic=topic, today=dt.date(2026, 11, 12))
    assert refused.value.extra == {"needed_by": "2026-11-11"}
    with pytest.raises(ValidationFailed):
        set_body_setting(actor=None, body=world.body, key="deliberation.topic_notice_days", value=14)


@pytest.mark.req("S0-12.1")
def test_the_notice_invites_every_member_of_the_body_in_the_inbox_and_by_sms_when_asked(world):
    topic = published(world, sms=True, live_url="https://live.example.gov.cn/room/1")
    invited = set(Invitation.objects.filter(topic=topic).values_list("member_id", flat=True))
    assert invited == {world.m1.pk, world.m2.pk, world.m3.pk}  # not the other body's member
    msg = Message.objects.get(recipient=world.m1, event="deliberation.topic.invite")
    assert "优化营商环境" in msg.title and "https://live.example.gov.cn/room/1" in msg.body
    assert msg.link == f"/deliberation/topics/{topic.pk}/"
    assert Delivery.objects.filter(channel="sms").count() == 3
    assert not Message.objects.filter(recipient=world.member_b2).exists()


@pytest.mark.req("S0-12")
def test_only_a_draft_is_edited_and_the_head_can_return_it(world):
    topic = approved(world)
    with pytest.raises(Conflict):
        services.update_topic(actor=world.staff, topic=topic, data=topic_data(title="新标题"))
    topic = services.return_topic(actor=world.head, topic=topic, note="请补充背景材料")
    assert topic.status == T.DRAFT
    topic = services.update_topic(actor=world.staff, topic=topic, data=topic_data(title="新标题"))
    assert Topic.objects.get(pk=topic.pk).title == "新标题"
    audit = AuditEvent.objects.filter(event="deliberation.topic.update").last()
    assert audit.after == {"fields": ["title"]} and "新标题" not in str(audit.after)


@pytest.mark.req("S0-12")
@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"title": ""}, "title_required"),
        ({"title": "题" * 101}, "title_too_long"),
        ({"background": "a\x00b"}, "background_invalid"),
        ({"discuss_from": "2026-13-01"}, "discuss_from_invalid"),
        ({"discuss_until": TODAY - dt.timedelta(days=1)}, "discuss_until_invalid"),
        ({"meeting_form": "party"}, "meeting_form_invalid"),
        ({"meeting_form": ""}, "meeting_form_required"),
        ({"meeting_date": TODAY + dt.timedelta(days=5)}, "discuss_after_meeting"),
        ({"live_url": "javascript:alert(1)"}, "live_url_invalid"),
        ({"discuss_until": TODAY + dt.timedelta(days=200), "meeting_date": None}, "discuss_too_long"),
    ],
)
def test_bad_topic_input_is_refused_and_nothing_is_written(world, over, code):
    with pytest.raises(ValidationFailed) as refused:
        draft(world, **over)
    assert refused.value.code == code
    assert not Topic.objects.exists()


@pytest.mark.req("S0-12")
def test_the_discussion_closes_and_the_meeting_is_recorded(world):
    topic = published(world)
    topic = services.close_topic(actor=world.staff, topic=topic)
    topic = services.meeting_held(actor=world.staff, topic=topic)
    assert topic.status == T.HELD and topic.held_at
