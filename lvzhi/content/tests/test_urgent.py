"""Emergency and rumour items (S2-29): the expedited chain, the responsible office told by SMS, the response time
(event noted → published) recorded and reported on a page and an export."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import Article
from lvzhi.core.errors import ValidationFailed
from lvzhi.notify.models import Delivery
from lvzhi.testing import login

from .conftest import approve, draft

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _urgent(world, *, noted, title="关于网传停水消息的辟谣", urgency="rumour"):
    return draft(world, title=title, urgency=urgency, event_noted_at=noted)


@pytest.mark.req("S2-29")
def test_a_rumour_rebuttal_takes_the_expedited_chain_the_office_is_texted_and_its_response_time_is_recorded(world):
    with freeze_time(dt.datetime(2026, 5, 6, 9, 0, tzinfo=TZ)):
        article = _urgent(world, noted=dt.datetime(2026, 5, 6, 8, 15, tzinfo=TZ))
        article = services.submit(actor=world.author, article=article)
        # the column's review step is left out: the department head approves, the section head publishes
        assert [s.kind for s in article.steps.order_by("position")] == ["approve", "publish"]
        routine = services.submit(actor=world.author, article=draft(world, title="例行通知"))
        assert [s.kind for s in routine.steps.order_by("position")] == ["review", "approve", "publish"]
        # the responsible office (the department's heads, the information office) is texted at submission
        texted = set(Delivery.objects.filter(channel="sms").values_list("to", flat=True))
        assert {world.head.phone, world.publisher.phone, world.info_officer.phone} <= texted
        assert world.author.phone not in texted
    with freeze_time(dt.datetime(2026, 5, 6, 10, 5, tzinfo=TZ)):
        article = approve(world, article, world.head)
        article = services.publish(actor=world.publisher, article=article)
    article = Article.objects.get(pk=article.pk)
    assert article.response_minutes == 110  # 08:15 → 10:05
    assert Delivery.objects.filter(channel="sms", to=world.info_officer.phone).count() == 2  # submitted, published
    # a correction later does not reset the response time
    with freeze_time(dt.datetime(2026, 5, 7, 10, 0, tzinfo=TZ)):
        revised = services.revise(actor=world.author, article=article)
        revised = services.submit(actor=world.author, article=revised)
        revised = approve(world, revised, world.head)
        services.publish(actor=world.publisher, article=revised)
    assert Article.objects.get(pk=article.pk).response_minutes == 110


@pytest.mark.req("S2-29")
def test_urgent_items_head_the_review_queue(client, world):
    routine = services.submit(actor=world.author, article=draft(world, title="例行通知甲"))
    approve(world, routine, world.reviewer)  # now at the head's approval, submitted first
    services.submit(actor=world.author, article=_urgent(world, noted=timezone.now(), title="突发事件通报"))
    login(client, world.head)
    page = client.get("/content/review/").content.decode()
    assert page.index("突发事件通报") < page.index("例行通知甲")


@pytest.mark.req("S2-29")
def test_bad_urgency_input_is_refused(world):
    now = timezone.now()
    for kw, code in (
        ({"urgency": "rumour", "event_noted_at": None}, "event_time_required"),
        ({"urgency": "rumour", "event_noted_at": now + dt.timedelta(hours=1)}, "event_time_future"),
        ({"urgency": "rumour", "event_noted_at": now - dt.timedelta(days=31)}, "event_time_too_old"),
        ({"urgency": "panic", "event_noted_at": now}, "unknown_urgency"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            draft(world, title="错误", **kw)
        assert refused.value.code == code
    assert not Article.objects.exists()
    routine = draft(world, title="例行", event_noted_at=now)
    assert routine.urgency == "" and routine.event_noted_at is None


@pytest.mark.req("S2-29")
def test_response_times_are_reported_on_a_page_and_exported(client, world, other, django_assert_max_num_queries):
    with freeze_time(dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)):
        for i, minutes in enumerate((30, 90)):
            article = _urgent(world, noted=timezone.now() - dt.timedelta(minutes=minutes), title=f"辟谣{i}")
            article = services.submit(actor=world.author, article=article)
            article = approve(world, article, world.head)
            services.publish(actor=world.publisher, article=article)
        services.submit(actor=world.author, article=_urgent(world, noted=timezone.now(), title="待发布的紧急稿",
                                                             urgency="emergency"))  # fmt: skip
        _urgent(other, noted=timezone.now(), title="西山县辟谣")
    login(client, world.info_officer)
    page = client.get("/content/response-times/?year=2026").content.decode()
    assert "辟谣0" in page and "辟谣1" in page and "待发布的紧急稿" in page and "西山县辟谣" not in page
    assert "<td>30</td>" in page and "<td>90</td>" in page
    summary = page[page.index('data-testid="response-summary"') :][:400]
    assert "60" in summary  # the average of 30 and 90
    with django_assert_max_num_queries(14):
        assert client.get("/content/response-times/?year=2026").status_code == 200
    response = client.get("/content/response-times/export/?year=2026")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4
    by_title = {r[1]: r for r in rows[1:]}
    assert by_title["辟谣0"][6] == 30 and by_title["辟谣1"][6] == 90 and by_title["待发布的紧急稿"][6] in ("", None)
    assert AuditEvent.objects.filter(event="content.response_times.export", actor=world.info_officer).exists()
    # not for department staff or members; a silly year falls back to this year
    for user in (world.author, world.member):
        login(client, user)
        assert client.get("/content/response-times/").status_code == 404
        assert client.get("/content/response-times/export/").status_code == 404
    login(client, world.leader)
    assert client.get("/content/response-times/?year=abc").status_code == 200
