import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lvzhi.audit.models import AuditEvent
from lvzhi.content.models import ActivityEvent
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.deliberation import services
from lvzhi.deliberation.models import Invitation, Post, PostAttachment, Support
from lvzhi.notify.models import Message

from .conftest import draft, png_bytes, published

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-12", "S0-19")
def test_members_post_and_reply_and_the_invitation_records_it(world):
    topic = published(world)
    post = services.create_post(actor=world.m1, topic=topic, text_value="建议推行“一网通办”。")
    reply = services.create_post(actor=world.m2, topic=topic, text_value="赞同，并建议压缩审批时限。", parent=post)
    deeper = services.create_post(actor=world.m1, topic=topic, text_value="补充一点。", parent=reply)
    assert reply.parent == post and deeper.parent == post  # one level of replies
    inv = Invitation.objects.get(topic=topic, member=world.m1)
    assert inv.posted_at and inv.read_at
    audit = AuditEvent.objects.filter(event="deliberation.post.create").order_by("pk").first()
    assert audit.after == {"topic": topic.pk, "parent": None, "attachments": 0} and "一网通办" not in str(audit.after)


@pytest.mark.req("S0-20")
def test_a_post_counts_as_activity_once(world):
    topic = published(world)
    post = services.create_post(actor=world.m1, topic=topic, text_value="建议推行一网通办。")
    event = ActivityEvent.objects.get(user=world.m1, kind=ActivityEvent.Kind.POST)
    assert event.ref == f"deliberation.post:{post.pk}" and event.body_id == world.body.pk
    from lvzhi.deliberation.services.posts import count_activity

    count_activity(post)
    assert ActivityEvent.objects.filter(user=world.m1, kind=ActivityEvent.Kind.POST).count() == 1


@pytest.mark.req("S0-12")
def test_a_post_with_blocked_text_is_refused_and_nothing_written(world):
    topic = published(world)
    with pytest.raises(ValidationFailed) as refused:
        services.create_post(actor=world.m1, topic=topic, text_value="注册送38元彩金，真人荷官在线。")
    assert refused.value.code == "blocked_by_screening"
    assert not Post.objects.exists() and not ActivityEvent.objects.filter(kind="post").exists()


@pytest.mark.req("S0-12")
@pytest.mark.parametrize(
    ("value", "code"),
    [("", "text_required"), ("字" * 3001, "text_too_long"), ("a\u202eb", "text_invalid"), ("a\x07", "text_invalid")],
)
def test_bad_post_text_is_refused(world, value, code):
    topic = published(world)
    with pytest.raises(ValidationFailed) as refused:
        services.create_post(actor=world.m1, topic=topic, text_value=value)
    assert refused.value.code == code
    assert not Post.objects.exists()


@pytest.mark.req("S0-12")
def test_photos_go_through_the_upload_checker(world):
    topic = published(world)
    good = SimpleUploadedFile("现场.png", png_bytes(), content_type="image/png")
    post = services.create_post(actor=world.m1, topic=topic, text_value="现场照片。", uploads=[good])
    att = PostAttachment.objects.get(post=post)
    assert att.content_type == "image/png" and att.width == 8
    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationFailed):
        services.create_post(actor=world.m2, topic=topic, text_value="看图。", uploads=[fake])
    assert Post.objects.count() == 1
    four = [SimpleUploadedFile(f"{i}.png", png_bytes(), content_type="image/png") for i in range(4)]
    with pytest.raises(ValidationFailed) as refused:
        services.create_post(actor=world.m2, topic=topic, text_value="四张。", uploads=four)
    assert refused.value.code == "too_many_attachments"


@pytest.mark.req("S0-12")
def test_support_once_and_never_ones_own(world):
    topic = published(world)
    post = services.create_post(actor=world.m1, topic=topic, text_value="建议推行一网通办。")
    post = services.support_post(actor=world.m2, post=post)
    assert post.support_count == 1
    with pytest.raises(Conflict) as again:
        services.support_post(actor=world.m2, post=post)
    assert again.value.code == "already_supported"
    with pytest.raises(Conflict):
        services.support_post(actor=world.m1, post=post)
    assert Support.objects.count() == 1 and Post.objects.get(pk=post.pk).support_count == 1


@pytest.mark.req("S0-12")
def test_staff_hide_a_post_with_a_reason_audited_without_it(world):
    topic = published(world)
    post = services.create_post(actor=world.m1, topic=topic, text_value="与议题无关的内容。")
    with pytest.raises(NotFound):  # another committee's staff
        services.hide_post(actor=world.social_staff, post=post, reason="无关")
    with pytest.raises(NotFound):
        services.hide_post(actor=world.m2, post=post, reason="无关")
    post = services.hide_post(actor=world.staff, post=post, reason="与议题无关")
    assert post.status == Post.Status.HIDDEN and post.hidden_reason == "与议题无关"
    audit = AuditEvent.objects.get(event="deliberation.post.hide")
    assert audit.actor == world.staff and "与议题无关" not in str(audit.after) + str(audit.before)
    msg = Message.objects.get(recipient=world.m1, event="deliberation.post.hide")
    assert msg.body == "与议题无关"
    with pytest.raises(ValidationFailed):
        services.hide_post(actor=world.staff, post=post, reason="")


@pytest.mark.req("S0-12")
def test_no_post_before_publication_outside_the_body_or_by_staff(world):
    topic = draft(world)
    with pytest.raises(NotFound):
        services.create_post(actor=world.m1, topic=topic, text_value="早了。")
    topic = published(world, title="第二个议题")
    with pytest.raises(NotFound):
        services.create_post(actor=world.member_b2, topic=topic, text_value="外地委员。")
    with pytest.raises(Conflict):  # committee staff are not members
        services.create_post(actor=world.staff, topic=topic, text_value="工作人员。")
    services.close_topic(actor=world.staff, topic=topic)
    with pytest.raises(Conflict) as closed:
        services.create_post(actor=world.m1, topic=topic, text_value="晚了。")
    assert closed.value.code == "discussion_closed"
    assert not Post.objects.exists()
