"""After approval: scheduled publication and expiry by `lvzhi tick`, the register and its export (S0-10), takedown
(S0-11), corrections as revisions (S0-28/29)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import Article, RegisterEntry
from lvzhi.content.workflows import ARTICLE_FLOW
from lvzhi.core.errors import PermissionDenied, ValidationFailed
from lvzhi.core.tick import run_tick
from lvzhi.notify.models import Message
from lvzhi.testing import login
from lvzhi.workflow.models import WorkflowEvent

from .conftest import approve, draft, msg, publish_article

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def approved(world, **kw):
    article = services.submit(actor=world.author, article=draft(world, **kw))
    return approve(world, approve(world, article, world.reviewer), world.head)


@pytest.mark.req("S0-7", "S2-20")
def test_a_scheduled_article_goes_live_at_its_time_and_leaves_at_its_expiry(client, world):
    with freeze_time("2026-03-02 09:00:00+08:00"):
        article = approved(world, expires_at=dt.datetime(2026, 3, 10, 18, 0, tzinfo=TZ))
        article = services.publish(
            actor=world.publisher, article=article, publish_at=dt.datetime(2026, 3, 3, 8, 0, tzinfo=TZ)
        )
        assert article.status == Article.Status.SCHEDULED and not article.is_live
        assert run_tick(only=["content.publish_due"])["content.publish_due"] == 0
        assert not RegisterEntry.objects.filter(article=article).exists()
    with freeze_time("2026-03-03 08:00:30+08:00"):
        assert run_tick(only=["content.publish_due"])["content.publish_due"] == 1
        assert run_tick(only=["content.publish_due"])["content.publish_due"] == 0  # exactly once
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED and article.is_live
        entry = RegisterEntry.objects.get(article=article)
        assert entry.published_by == "周发布" and entry.published_at == timezone.now()
        assert entry.published_by_user == world.publisher
        login(client, world.member)
        assert article.published_title in client.get("/content/").content.decode()
    with freeze_time("2026-03-10 18:01:00+08:00"):
        assert run_tick(only=["content.expire_due"])["content.expire_due"] == 1
        article.refresh_from_db()
        assert article.status == Article.Status.ARCHIVED and not article.is_live
        assert RegisterEntry.objects.get(article=article).status == "expired"
        login(client, world.member)
        assert client.get(f"/content/a/{article.pk}/").status_code == 404
    assert AuditEvent.objects.filter(event="content.article.go_live", object_id=str(article.pk)).exists()
    assert AuditEvent.objects.filter(event="content.article.expire", object_id=str(article.pk)).exists()


@pytest.mark.req("S0-10")
def test_the_register_names_who_drafted_reviewed_approved_and_published_and_exports_to_excel(client, world, other):
    first = publish_article(world, title="第一篇")
    publish_article(world, title="第二篇")
    publish_article(other, title="西山县的稿件")
    services.withdraw(actor=world.secrecy_officer, article=first, reason="含有不宜公开的内容")
    login(client, world.head)
    page = client.get("/content/register/").content.decode()
    assert "第一篇" in page and "第二篇" in page and "西山县的稿件" not in page
    assert msg("Withdrawn") in page and "含有不宜公开的内容" in page
    today = timezone.localdate().isoformat()
    response = client.get(f"/content/register/export/?unit={world.general.pk}&from={today}&to={today}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    titles = {row[1]: row for row in rows[1:]}
    assert set(titles) == {"第一篇", "第二篇"}
    assert titles["第二篇"][5:10] == ("赵撰稿", titles["第二篇"][6], "钱审核", "孙主任", "周发布")
    assert titles["第一篇"][12] == "陈保密" and titles["第一篇"][13] == "含有不宜公开的内容"
    assert AuditEvent.objects.filter(event="content.register.export", actor=world.head).exists()
    # another period: nothing
    empty = client.get("/content/register/export/?from=2001-01-01&to=2001-01-31")
    assert len(list(load_workbook(io.BytesIO(empty.content)).active.iter_rows())) == 1
    # members have no register
    login(client, world.member)
    assert client.get("/content/register/").status_code == 404
    assert client.get("/content/register/export/").status_code == 404


@pytest.mark.req("S0-11")
def test_the_secrecy_office_takes_an_item_down_at_once_and_author_and_approvers_are_told(client, world):
    article = publish_article(world)
    login(client, world.secrecy_officer)
    page = client.get(f"/content/a/{article.pk}/").content.decode()
    assert f'action="/content/a/{article.pk}/withdraw/"' in page  # the takedown form on the article itself
    response = client.post(f"/content/a/{article.pk}/withdraw/", {"reason": "发现涉密内容"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN and not article.is_live
    assert article.withdrawn_by == world.secrecy_officer and article.withdraw_reason == "发现涉密内容"
    for user in (world.author, world.reviewer, world.head, world.publisher):
        assert Message.objects.filter(recipient=user, event="content.article.withdraw").exists()
    assert RegisterEntry.objects.get(article=article).status == "withdrawn"
    login(client, world.member)
    assert client.get(f"/content/a/{article.pk}/").status_code == 404
    assert article.published_title not in client.get("/content/").content.decode()
    # a second takedown finds nothing to take down: the information office (which works on it) is told so
    login(client, world.info_officer)
    again = client.post(f"/content/a/{article.pk}/withdraw/", {"reason": "重复"})
    assert again.status_code == 400
    assert msg("This article is not published (any more).") in again.content.decode()
    assert (
        WorkflowEvent.objects.filter(workflow=ARTICLE_FLOW.name, object_id=article.pk, transition="withdraw").count()
        == 1
    )


@pytest.mark.req("S0-11")
def test_only_the_secrecy_office_the_information_office_and_the_host_head_may_take_down(world, other):
    article = publish_article(world)
    for user in (world.member, world.author, world.reviewer, world.monitor, world.leader, other.secrecy_officer):
        with pytest.raises(PermissionDenied):
            services.withdraw(actor=user, article=article, reason="试图撤稿")
        assert Article.objects.get(pk=article.pk).is_live
    with pytest.raises(ValidationFailed) as no_reason:
        services.withdraw(actor=world.secrecy_officer, article=article, reason="")
    assert no_reason.value.code == "reason_required"
    assert Article.objects.get(pk=article.pk).is_live
    services.withdraw(actor=world.info_officer, article=article, reason="信息化办撤稿")
    assert not Article.objects.get(pk=article.pk).is_live


@pytest.mark.req("S0-28", "S0-29", "S0-7")
def test_a_correction_goes_through_review_while_readers_keep_the_published_revision(client, world):
    article = publish_article(world, title="原标题", body="<p>原正文</p>")
    article = services.revise(actor=world.author, article=article)
    assert article.status == Article.Status.DRAFT and article.is_live
    article = services.update_draft(
        actor=world.author, article=article, title="更正后的标题", body_html="<p>更正后的正文</p>"
    )
    login(client, world.member)
    page = client.get(f"/content/a/{article.pk}/").content.decode()
    assert "原标题" in page and "原正文" in page and "更正后" not in page
    article = services.submit(actor=world.author, article=article)
    article = approve(world, approve(world, article, world.reviewer), world.head)
    article = services.publish(actor=world.publisher, article=article)
    assert article.revision_no == 2 and article.published_title == "更正后的标题"
    page = client.get(f"/content/a/{article.pk}/").content.decode()
    assert "更正后的正文" in page and "原正文" not in page
    entries = list(RegisterEntry.objects.filter(article=article).order_by("id").values_list("title", "status"))
    assert entries == [("原标题", "replaced"), ("更正后的标题", "live")]
    login(client, world.author)
    work = client.get(f"/content/w/{article.pk}/").content.decode()
    assert f"/content/w/{article.pk}/r/1/" in work and f"/content/w/{article.pk}/r/2/" in work
    assert "原正文" in client.get(f"/content/w/{article.pk}/r/1/").content.decode()
