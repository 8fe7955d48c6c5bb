"""S2-21: commercial adverts, gambling spam and links to commercial sites block submission and publication as
secrecy terms do; personal data blocks publication until it is masked."""

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.content import services
from lvzhi.content.models import Article, Revision
from lvzhi.core.errors import ValidationFailed
from lvzhi.screening import services as screening
from lvzhi.screening.models import ListKind
from lvzhi.testing import make_user

from .conftest import VALID_ID, approve, draft

pytestmark = pytest.mark.django_db


@pytest.mark.req("S2-21")
@pytest.mark.parametrize(
    "body",
    [
        "<p>注册送38元彩金，真人荷官在线。</p>",
        "<p>时 时 彩开奖直播。</p>",  # interleaved
        '<p>详见<a href="https://www.shop-example.com/buy">商城</a>。</p>',  # a commercial site
        "<p>更多优惠请访问 www.spam-site.com 。</p>",
    ],
)
def test_adverts_gambling_and_commercial_links_block_submission(world, body):
    article = draft(world, body=body, title="例行通知")
    assert article.findings_blocking
    with pytest.raises(ValidationFailed) as refused:
        services.submit(actor=world.author, article=article)
    assert refused.value.code == "blocked_by_screening"
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not Revision.objects.filter(article=article).exists()


@pytest.mark.req("S2-21")
def test_an_advert_term_added_after_submission_blocks_publication(world):
    article = services.submit(actor=world.author, article=draft(world, body="<p>欢迎参加江海杯活动。</p>"))
    article = approve(world, article, world.reviewer)
    article = approve(world, article, world.head)
    keeper = make_user(world.info, roles=[(Role.INFO_OFFICE, world.body)], real_name="信息化办负责人")
    advert = screening.create_list(actor=keeper, name="本会广告词", kind=ListKind.ADVERT, body=world.body)
    screening.add_term(actor=keeper, word_list=advert, term="江海杯")
    with pytest.raises(ValidationFailed) as refused:
        services.publish(actor=world.publisher, article=article)
    assert refused.value.code == "blocked_by_screening"
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED and not article.is_live


@pytest.mark.req("S2-21")
def test_personal_data_blocks_publication_until_masked(world):
    body = f"<p>联系人身份证号{VALID_ID}，电话13912345678，家住人民路12号3栋2单元501室。</p>"
    article = services.submit(actor=world.author, article=draft(world, body=body))  # the reviewer sees it
    article = approve(world, article, world.reviewer)
    article = approve(world, article, world.head)
    with pytest.raises(ValidationFailed) as refused:
        services.publish(actor=world.publisher, article=article)
    assert refused.value.code == "personal_data_unmasked"
    assert not Article.objects.get(pk=article.pk).is_live
    # Returned, masked by the author, through the chain again: now it may go out.
    article = services.decide(actor=world.publisher, article=article, approve=False, comment="请脱敏")
    article = services.mask_personal_data(actor=world.author, article=Article.objects.get(pk=article.pk))
    article = services.submit(actor=world.author, article=article)
    article = approve(world, article, world.reviewer)
    article = approve(world, article, world.head)
    article = services.publish(actor=world.publisher, article=article)
    assert article.is_live and VALID_ID not in article.body_html and "13912345678" not in article.body_html


@pytest.mark.req("S2-34", "S2-21")
def test_a_blocked_submission_and_a_blocked_publication_each_raise_a_security_incident(world):
    from lvzhi.security.models import Incident
    from lvzhi.security.services import flush_pending

    flush_pending()
    article = draft(world, body="<p>注册送38元彩金，真人荷官在线。</p>", title="例行通知")
    with pytest.raises(ValidationFailed):
        services.submit(actor=world.author, article=article)
    [incident] = flush_pending()  # written after the refusal's rollback (the middleware does this per request)
    assert (incident.kind, incident.severity) == (Incident.Kind.SCREENING_BLOCK, Incident.Severity.HIGH)
    assert incident.detail["actor"] == world.author.pk and incident.detail["blocking_findings"] >= 1
    assert incident.org_unit_id == world.body.pk and "彩金" not in str(incident.detail)

    clean = services.submit(actor=world.author, article=draft(world, body="<p>欢迎参加江海杯活动。</p>"))
    assert flush_pending() == []  # nothing blocked, no incident
    clean = approve(world, approve(world, clean, world.reviewer), world.head)
    keeper = make_user(world.info, roles=[(Role.INFO_OFFICE, world.body)], real_name="信息化办负责人")
    advert = screening.create_list(actor=keeper, name="本会广告词", kind=ListKind.ADVERT, body=world.body)
    screening.add_term(actor=keeper, word_list=advert, term="江海杯")
    with pytest.raises(ValidationFailed):
        services.publish(actor=world.publisher, article=clean)
    [incident] = flush_pending()
    assert incident.kind == Incident.Kind.SCREENING_BLOCK and incident.detail["actor"] == world.publisher.pk
    assert Incident.objects.filter(kind=Incident.Kind.SCREENING_BLOCK).count() == 2
