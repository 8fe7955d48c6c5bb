"""S0-11: a takedown for secrecy is reported at once, with the item's record, to the leaders in charge (分管领导)
and the secrecy committee (保密委, through the secrecy office) — not only to the author and the approvers."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.content.models import Article, RegisterEntry
from lvzhi.notify.models import Delivery, Message
from lvzhi.testing import login

from .conftest import publish_article

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-11")
def test_takedown_for_secrecy_reaches_the_leader_in_charge_and_the_secrecy_office_with_the_record(client, world):
    article = publish_article(world, title="关于某基地建设情况的通报")
    login(client, world.secrecy_officer)
    response = client.post(f"/content/a/{article.pk}/withdraw/", {"reason": "疑似涉密", "secrecy": "1"})
    assert response.status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert not article.is_live and article.status == Article.Status.WITHDRAWN
    reports = Message.objects.filter(event="content.article.secrecy_report")
    assert {m.recipient for m in reports} == {world.leader}  # the taking-down secrecy officer is not told himself
    text = reports.get().body
    entry = RegisterEntry.objects.get(article=article)
    for part in (str(entry.pk), world.author.real_name, world.reviewer.real_name, world.head.real_name):
        assert part in text
    assert world.publisher.real_name in text and "疑似涉密" in text
    assert Delivery.objects.filter(channel="sms", to=world.leader.phone).exists()  # at once, by SMS too
    audit = AuditEvent.objects.get(event="content.article.secrecy_report")
    assert audit.after["register_entries"] == [entry.pk] and audit.after["leaders"] == [world.leader.pk]
    assert "关于某基地" not in str(audit.after)  # no business text in the audit log


@pytest.mark.req("S0-11")
def test_the_secrecy_office_hears_of_a_takedown_for_secrecy_by_the_information_office(world):
    from lvzhi.content import services

    article = publish_article(world)
    services.withdraw(actor=world.info_officer, article=article, reason="疑似涉密", secrecy=True)
    recipients = {m.recipient for m in Message.objects.filter(event="content.article.secrecy_report")}
    assert recipients == {world.leader, world.secrecy_officer}


@pytest.mark.req("S0-11")
def test_an_ordinary_takedown_is_not_reported_to_the_secrecy_committee(world):
    from lvzhi.content import services

    article = publish_article(world)
    services.withdraw(actor=world.info_officer, article=article, reason="内容有误")
    assert not Message.objects.filter(event="content.article.secrecy_report").exists()
    assert {m.recipient for m in Message.objects.filter(event="content.article.withdraw")} >= {world.author}
