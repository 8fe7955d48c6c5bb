"""S0-19: the committee sees who was invited, who read, who posted, and reminds the others once a day."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound
from lvzhi.deliberation import selectors, services
from lvzhi.notify.models import Message
from lvzhi.testing import login

from .conftest import published

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-19")
def test_the_committee_sees_invited_read_and_posted(client, world):
    topic = published(world)
    login(client, world.m1)
    client.get(f"/deliberation/topics/{topic.pk}/")  # m1 reads
    services.create_post(actor=world.m2, topic=topic, text_value="我的意见。")  # m2 posts
    assert selectors.participation_counts(topic) == {"invited": 3, "read": 2, "posted": 1}
    assert [i.member for i in selectors.participation(topic, only="absent")] == sorted(
        [world.m1, world.m3], key=lambda u: u.real_name
    )
    login(client, world.staff)
    page = client.get(f"/deliberation/topics/{topic.pk}/participation/").content.decode()
    assert "邀请 3 人 · 已读 2 人 · 发言 1 人" in page


@pytest.mark.req("S0-19")
def test_remind_those_who_have_not_taken_part_once_a_day_audited(world):
    topic = published(world)
    services.create_post(actor=world.m2, topic=topic, text_value="我的意见。")
    assert services.remind_absent(actor=world.staff, topic=topic) == 2
    reminded = set(Message.objects.filter(event="deliberation.topic.remind").values_list("recipient_id", flat=True))
    assert reminded == {world.m1.pk, world.m3.pk}
    audit = AuditEvent.objects.get(event="deliberation.topic.remind")
    assert audit.actor == world.staff and audit.after == {"reminded": 2}
    with pytest.raises(Conflict) as again:
        services.remind_absent(actor=world.staff, topic=topic)
    assert again.value.code == "reminded_today"
    with pytest.raises(NotFound):
        services.remind_absent(actor=world.social_staff, topic=topic)
    assert Message.objects.filter(event="deliberation.topic.remind").count() == 2
