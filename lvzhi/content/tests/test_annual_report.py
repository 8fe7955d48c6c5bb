"""Each unit's annual government-information-disclosure report (S2-6): generated from the year's register and
statistics as a draft, then edited and published through the column's normal chain."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import AnnualReport, Article, MonitorReport, RegisterEntry
from lvzhi.content.selectors_disclosure import disclosure_figures
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.testing import login

from .conftest import approve, publish_article

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _year_of_data(world, other):
    """In 2025: three notices and one work-information item of the general office (one repost, one corrected, one
    taken down, one reported); one item of another body; one item in 2024."""
    with freeze_time(dt.datetime(2024, 12, 31, 23, 0, tzinfo=TZ)):
        publish_article(world, title="去年的通知")
    with freeze_time(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ)):
        first = publish_article(world, title="通知一")
        publish_article(world, title="通知二")
        publish_article(
            world, title="转载稿", is_repost=True, source="新华社", source_other_reason="主管单位确定",
            original_title="转载稿",
        )  # fmt: skip
        from lvzhi.content.models import Column

        work = Column.objects.get(body=world.body, code="work_info")
        publish_article(world, title="工作信息一", column=work)
        publish_article(other, title="西山县的通知")
    with freeze_time(dt.datetime(2025, 6, 1, 9, 0, tzinfo=TZ)):
        # a correction of 通知一 (a second register row, the same item)
        article = services.revise(actor=world.author, article=first)
        article = services.submit(actor=world.author, article=article)
        article = approve(world, article, world.reviewer)
        article = approve(world, article, world.head)
        services.publish(actor=world.publisher, article=article)
        services.report_article(actor=world.member, article=first, kind="wrong", reason="日期有误")
        second = Article.objects.get(title="通知二")
        services.withdraw(actor=world.secrecy_officer, article=second, reason="不宜公开")


@pytest.mark.req("S2-6")
def test_the_generated_figures_match_the_years_register_and_reports(world, other):
    _year_of_data(world, other)
    f = disclosure_figures(world.general, 2025)
    assert f["items"] == 4  # 通知一, 通知二, 转载稿, 工作信息一 (not last year's, not the other body's)
    assert f["publications"] == 5 and f["corrections"] == 1
    assert f["reposts"] == 1
    assert {r["name"]: r["n"] for r in f["by_column"]} == {"通知公告": 3, "工作信息": 1}
    assert {r["name"]: r["n"] for r in f["by_category"]} == {"通知公告": 3, "工作动态": 1}
    assert f["withdrawn"] == 1 and f["expired"] == 0
    assert f["reports"]["received"] == 1
    assert disclosure_figures(world.general, 2024)["items"] == 1
    assert RegisterEntry.objects.filter(unit=world.general).count() == 6  # the data really is there


@pytest.mark.req("S2-6")
def test_a_draft_report_is_generated_once_and_goes_through_the_normal_chain(client, world, other):
    _year_of_data(world, other)
    login(client, world.author)
    page = client.get("/content/annual-reports/").content.decode()
    assert 'data-testid="annual-form"' in page
    response = client.post(
        "/content/annual-reports/", {"unit": world.general.pk, "column": world.notices.pk, "year": 2025}
    )
    assert response.status_code == 302
    report = AnnualReport.objects.get(unit=world.general, year=2025)
    article = report.article
    assert article.status == Article.Status.DRAFT and article.author == world.author and article.unit == world.general
    assert "2025" in article.title and world.general.name in article.title
    assert report.figures["items"] == 4
    html = article.body_html
    assert "<td>通知公告</td><td>3</td>" in html and "<td>工作动态</td><td>1</td>" in html
    assert AuditEvent.objects.filter(event="content.annual_report.generate", actor=world.author).exists()
    # once per unit and year
    with pytest.raises(Conflict) as twice:
        services.generate_annual_report(actor=world.author, unit=world.general, year=2025, column=world.notices)
    assert twice.value.code == "report_exists"
    # edited, then the column's chain: review, approval, publication, the register
    services.update_draft(
        actor=world.author, article=article, title=article.title, body_html=html + "<p>依申请公开：0件。</p>"
    )
    article = services.submit(actor=world.author, article=Article.objects.get(pk=article.pk))
    assert [s.kind for s in article.steps.order_by("position")] == ["review", "approve", "publish"]
    article = approve(world, article, world.reviewer)
    article = approve(world, article, world.head)
    services.publish(actor=world.publisher, article=article)
    assert RegisterEntry.objects.filter(article=article, status="live").exists()
    login(client, world.head)
    assert article.title in client.get("/content/annual-reports/").content.decode()


@pytest.mark.req("S2-6")
def test_bad_or_foreign_annual_report_requests_are_refused(client, world, other):
    gen = services.generate_annual_report
    this_year = timezone.localdate().year
    for year in (this_year + 1, 1999, "abc", None):
        with pytest.raises(ValidationFailed):
            gen(actor=world.author, unit=world.general, year=year, column=world.notices)
    with pytest.raises(NotFound):  # another body's unit
        gen(actor=world.author, unit=other.general, year=2025, column=world.notices)
    with pytest.raises(NotFound):  # a unit the author does not draft for
        gen(actor=world.author, unit=world.research, year=2025, column=world.notices)
    with pytest.raises(NotFound):  # a member
        gen(actor=world.member, unit=world.general, year=2025, column=world.notices)
    assert not AnnualReport.objects.exists() and not Article.objects.exists()
    login(client, world.author)
    assert client.post("/content/annual-reports/", {"unit": other.general.pk, "column": world.notices.pk,
                                                     "year": 2025}).status_code == 400  # fmt: skip
    assert client.post("/content/annual-reports/", {"unit": world.general.pk, "column": world.notices.pk,
                                                     "year": "x"}).status_code == 400  # fmt: skip
    login(client, world.member)
    assert client.get("/content/annual-reports/").status_code == 404
    assert not AnnualReport.objects.exists()
    _ = MonitorReport  # (reports are counted in the figures test)
