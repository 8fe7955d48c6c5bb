"""The demo: every role of online deliberation reaches its part, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from lvzhi.accounts.models import User
from lvzhi.deliberation.demo import HEAD_PHONE, STAFF_PHONE, load_deliberation_demo
from lvzhi.deliberation.models import Post, SpecialReport, Topic

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-12", "S0-12.2", "S0-19")
def test_the_demo_lets_every_role_do_its_part_and_is_idempotent(client):
    out = StringIO()
    call_command("demo", stdout=out)
    assert STAFF_PHONE in out.getvalue() and "网络议政" in out.getvalue()
    counts = (Topic.objects.count(), Post.objects.count(), SpecialReport.objects.count())
    assert counts[0] == 3 and counts[2] == 1
    assert load_deliberation_demo() == 0
    assert (Topic.objects.count(), Post.objects.count(), SpecialReport.objects.count()) == counts
    open_topic = Topic.objects.get(title="推进文旅融合高质量发展")
    client.force_login(User.objects.get(phone="13800000003"))
    home = client.get("/").content.decode()
    assert 'href="/deliberation/"' in home  # the 网络议政 column leads to the topics
    page = client.get(f"/deliberation/topics/{open_topic.pk}/").content.decode()
    assert 'data-testid="post-form"' in page and "夜游精品线路" in page
    client.force_login(User.objects.get(phone=HEAD_PHONE))
    report = SpecialReport.objects.get()
    page = client.get(f"/deliberation/topics/{report.topic_id}/report/").content.decode()
    assert 'data-step="approve"' in page
    pending = Topic.objects.get(title="繁荣发展群众文艺")
    assert 'data-step="approve"' in client.get(f"/deliberation/topics/{pending.pk}/").content.decode()
    client.force_login(User.objects.get(phone=STAFF_PHONE))
    assert open_topic.title in client.get("/deliberation/manage/").content.decode()
