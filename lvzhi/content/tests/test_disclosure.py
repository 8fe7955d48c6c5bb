"""Columns carry their proactive-disclosure category and a named maintainer (S2-18, S2-19); reposts name a
designated source (or another with the reason) and keep the original title (S2-27)."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import Article, Column, DisclosureCategory, RegisterEntry, RepostSource
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.testing import login

from .conftest import approve, draft, msg

pytestmark = pytest.mark.django_db


@pytest.mark.req("S2-18", "S2-19")
def test_default_columns_have_a_disclosure_category_and_a_maintainer_shown_on_the_column_and_the_register(
    client, world
):
    columns = list(Column.objects.filter(body=world.body))
    assert columns and all(c.disclosure_category_id and c.maintainer_id for c in columns)
    names = set(DisclosureCategory.objects.filter(body=world.body).values_list("name", flat=True))
    assert {"机构职能", "政策文件", "规划计划", "人事信息", "财政资金", "公共服务"} <= names
    notices = Column.objects.get(pk=world.notices.pk)
    assert notices.disclosure_category.name == "通知公告"
    assert notices.maintainer == world.head  # the first head of its first owning department
    login(client, world.member)
    page = client.get("/content/c/notices/").content.decode()
    assert "通知公告" in page and world.head.real_name in page and 'data-testid="column-facts"' in page
    login(client, world.info_officer)
    page = client.get("/content/columns/").content.decode()
    assert world.head.real_name in page and "工作动态" in page
    # the register keeps the category the column had at publication
    article = services.submit(actor=world.author, article=draft(world, title="登记类别"))
    article = approve(world, article, world.reviewer)
    article = approve(world, article, world.head)
    services.publish(actor=world.publisher, article=article)
    assert RegisterEntry.objects.get(article=article).category_name == "通知公告"
    login(client, world.head)
    assert "通知公告" in client.get("/content/register/").content.decode()


@pytest.mark.req("S2-19")
def test_no_column_is_created_or_left_without_a_maintainer(world, other):
    propose = services.propose_column_change
    base = {"actor": world.info_officer, "body": world.body, "reason": "调整"}
    category = DisclosureCategory.objects.get(body=world.body, code="services")
    with pytest.raises(ValidationFailed) as missing:
        propose(**base, action="create", payload={"code": "hotline", "name": "热线", "category": category.pk})
    assert missing.value.code == "maintainer_required"
    with pytest.raises(ValidationFailed) as cleared:
        propose(**base, action="maintainer", column=world.notices, payload={"maintainer": None})
    assert cleared.value.code == "maintainer_required"
    with pytest.raises(ValidationFailed) as foreign:
        propose(**base, action="maintainer", column=world.notices, payload={"maintainer": other.head.pk})
    assert foreign.value.code == "bad_maintainer"
    with pytest.raises(ValidationFailed) as no_category:
        propose(**base, action="create", payload={"code": "hotline", "name": "热线", "maintainer": world.head.pk})
    assert no_category.value.code == "category_required"
    other_category = DisclosureCategory.objects.get(body=other.body, code="services")
    with pytest.raises(ValidationFailed) as bad_category:
        propose(**base, action="category", column=world.notices, payload={"category": other_category.pk})
    assert bad_category.value.code == "bad_category"
    assert not Column.objects.filter(code="hotline").exists()


@pytest.mark.req("S2-18")
def test_a_columns_category_changes_by_an_approved_change_and_is_audited(world):
    policy = DisclosureCategory.objects.get(body=world.body, code="policy")
    change = services.propose_column_change(
        actor=world.info_officer, body=world.body, action="category", column=world.notices,
        payload={"category": policy.pk}, reason="归入政策文件",
    )  # fmt: skip
    assert Column.objects.get(pk=world.notices.pk).disclosure_category.code == "notices"
    services.decide_column_change(actor=world.leader, change=change, approve=True)
    assert Column.objects.get(pk=world.notices.pk).disclosure_category == policy
    event = AuditEvent.objects.get(event="content.column.category")
    assert event.after["category"] == policy.pk and event.before["category"] != policy.pk


@pytest.mark.req("S2-19")
def test_columns_installed_before_any_staff_get_their_maintainer_later(world):
    from lvzhi.orgs.models import Level
    from lvzhi.testing import make_body

    empty = make_body("空县政协", level=Level.COUNTY)
    services.ensure_default_columns(body=empty)
    assert Column.objects.filter(body=empty, maintainer__isnull=True).exists()
    assert not Column.objects.filter(body=empty, disclosure_category__isnull=True).exists()
    from lvzhi.accounts.roles import Role
    from lvzhi.testing import make_unit, make_user

    office = make_unit(empty, "信息化办")
    officer = make_user(office, roles=[Role.INFO_OFFICE], real_name="空县信息")  # its grant fills them (the hook)
    assert not Column.objects.filter(body=empty, maintainer__isnull=True).exists()
    assert set(Column.objects.filter(body=empty).values_list("maintainer", flat=True)) == {officer.pk}
    changed = Column.objects.filter(body=empty).count()
    assert AuditEvent.objects.filter(event="content.column.defaults").count() == changed
    assert services.assign_default_maintainers(body=empty) == []  # idempotent


def _source(world, name="新华社"):
    return services.add_repost_source(actor=world.info_officer, body=world.body, name=name, site="www.news.cn")


def _repost(world, **kw):
    params = {"is_repost": True, "title": "国务院常务会议部署稳就业工作", "column": world.notices}
    params.update(kw)
    return draft(world, **params)


@pytest.mark.req("S2-27")
def test_a_repost_names_a_designated_source_and_keeps_its_original_title(world):
    xinhua = _source(world)
    article = _repost(world, repost_source=xinhua.pk, original_title="国务院常务会议部署稳就业工作")
    assert article.repost_source == xinhua and article.source == "新华社" and article.source_other_reason == ""
    # no source at all
    with pytest.raises(ValidationFailed) as no_source:
        _repost(world, original_title="国务院常务会议部署稳就业工作")
    assert no_source.value.code == "repost_source_required"
    # a changed title
    with pytest.raises(ValidationFailed) as changed:
        _repost(world, repost_source=xinhua.pk, original_title="国务院常务会议部署稳就业")
    assert changed.value.code == "repost_title_changed"
    assert "国务院常务会议部署稳就业" in changed.value.message
    # no original title
    with pytest.raises(ValidationFailed) as no_title:
        _repost(world, repost_source=xinhua.pk)
    assert no_title.value.code == "repost_original_title_required"
    # a source that is not on the list needs the reason
    with pytest.raises(ValidationFailed) as no_reason:
        _repost(world, source="某某资讯网", original_title="国务院常务会议部署稳就业工作")
    assert no_reason.value.code == "repost_other_reason_required"
    other = _repost(
        world,
        source="省委宣传部",
        source_other_reason="主管单位确定的稿源",
        original_title="国务院常务会议部署稳就业工作",
    )
    assert other.repost_source is None and other.source == "省委宣传部"
    # white space alone is not a change of title
    assert _repost(world, repost_source=xinhua.pk, title="国务院 常务会议", original_title="国务院  常务会议 ").pk
    # an original article ignores the repost fields
    plain = draft(world, title="原创", repost_source=xinhua.pk, original_title="别的")
    assert plain.repost_source is None and plain.original_title == ""


@pytest.mark.req("S2-27")
def test_a_changed_title_or_a_retired_source_is_refused_again_at_submission(world):
    xinhua = _source(world)
    article = _repost(world, repost_source=xinhua.pk, original_title="国务院常务会议部署稳就业工作")
    Article.objects.filter(pk=article.pk).update(title="改过的标题")  # e.g. an older client that skipped the check
    with pytest.raises(ValidationFailed) as changed:
        services.submit(actor=world.author, article=Article.objects.get(pk=article.pk))
    assert changed.value.code == "repost_title_changed"
    Article.objects.filter(pk=article.pk).update(title="国务院常务会议部署稳就业工作")
    services.retire_repost_source(actor=world.info_officer, source=xinhua)
    with pytest.raises(ValidationFailed) as retired:
        services.submit(actor=world.author, article=Article.objects.get(pk=article.pk))
    assert retired.value.code == "repost_source_retired"
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    with pytest.raises(ValidationFailed) as unknown:
        _repost(world, repost_source=xinhua.pk, original_title="国务院常务会议部署稳就业工作")
    assert unknown.value.code == "repost_source_unknown"


@pytest.mark.req("S2-27")
def test_the_write_page_refuses_a_repost_with_a_changed_title_in_chinese(client, world):
    xinhua = _source(world)
    login(client, world.author)
    form = client.get(f"/content/write/?column={world.notices.pk}").content.decode()
    assert "新华社" in form and 'name="original_title"' in form
    data = {
        "column": world.notices.pk, "title": "改写后的标题", "body_html": "正文", "is_repost": "on",
        "repost_source": xinhua.pk, "original_title": "原标题", "grade": "normal",
    }  # fmt: skip
    response = client.post("/content/write/", data)
    assert response.status_code == 400
    assert msg(
        "A repost keeps the original title: the title differs from the source's original title “%(title)s”."
    ).replace("%(title)s", "原标题") in response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert not Article.objects.exists()
    data["title"] = "原标题"
    assert client.post("/content/write/", data).status_code == 302
    article = Article.objects.get()
    assert article.repost_source == xinhua
    work = client.get(f"/content/w/{article.pk}/").content.decode()
    assert 'data-testid="repost-source"' in work and "新华社" in work and "原标题" in work


@pytest.mark.req("S2-27")
def test_the_api_refuses_an_unsourced_repost_with_a_stable_code(client, world):
    from lvzhi.accounts.tokens import issue_token

    _, token = issue_token(actor=world.author, user=world.author, device="test")
    response = client.post(
        "/api/v1/content/articles",
        {"column_id": world.notices.pk, "title": "转载", "body_html": "<p>x</p>", "is_repost": True},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "repost_source_required"


@pytest.mark.req("S2-27")
def test_designated_sources_are_administered_by_the_information_office_and_audited(client, world, other):
    login(client, world.info_officer)
    assert client.post("/content/sources/", {"name": "人民网", "site": "www.people.com.cn"}).status_code == 302
    source = RepostSource.objects.get(body=world.body, name="人民网")
    assert AuditEvent.objects.filter(event="content.source.add", actor=world.info_officer).exists()
    page = client.get("/content/sources/").content.decode()
    assert "人民网" in page and "机构职能" in page
    response = client.post("/content/sources/", {"name": "人民网"})
    assert response.status_code == 400 and msg("This source is already on the list.") in response.content.decode()
    assert client.post(f"/content/sources/{source.pk}/retire/").status_code == 302
    source.refresh_from_db()
    assert not source.is_active
    assert AuditEvent.objects.filter(event="content.source.retire").exists()
    with pytest.raises(Conflict):
        services.retire_repost_source(actor=world.info_officer, source=source)
    restored = services.add_repost_source(actor=world.info_officer, body=world.body, name="人民网")
    assert restored.pk == source.pk and restored.is_active
    # others may not administer the list; another body's source answers as missing
    for user in (world.author, world.head, world.member):
        login(client, user)
        assert client.get("/content/sources/").status_code == 404
        assert client.post(f"/content/sources/{source.pk}/retire/").status_code == 404
    with pytest.raises(NotFound):
        services.add_repost_source(actor=other.info_officer, body=world.body, name="外来")
    login(client, other.info_officer)
    assert client.post(f"/content/sources/{source.pk}/retire/").status_code == 404
    with pytest.raises(ValidationFailed):
        services.add_repost_source(actor=world.info_officer, body=world.body, name="名" * 101)
    with pytest.raises(ValidationFailed):
        services.add_repost_source(actor=world.info_officer, body=world.body, name="\u202e反向")


@pytest.mark.req("S2-27", "S2-6")
def test_the_sources_and_annual_report_lists_have_a_query_bound(client, world, django_assert_max_num_queries):
    for i in range(3):
        _source(world, name=f"稿源{i}")
    services.generate_annual_report(actor=world.author, unit=world.general, year=2020, column=world.notices)
    login(client, world.info_officer)
    client.get("/content/sources/")
    with django_assert_max_num_queries(12):
        assert client.get("/content/sources/").status_code == 200
    login(client, world.head)
    client.get("/content/annual-reports/")
    with django_assert_max_num_queries(40):
        assert client.get("/content/annual-reports/").status_code == 200
    for i in range(3, 25):
        _source(world, name=f"稿源{i}")
    for year in range(2021, 2025):
        services.generate_annual_report(actor=world.author, unit=world.general, year=year, column=world.notices)
    login(client, world.info_officer)
    with django_assert_max_num_queries(12):
        assert "稿源24" in client.get("/content/sources/").content.decode()
    login(client, world.head)
    with django_assert_max_num_queries(40):
        page = client.get("/content/annual-reports/").content.decode()
    assert all(f"{year}年政府信息公开工作年度报告" in page for year in range(2020, 2025))


@pytest.mark.req("S2-19")
def test_a_body_s_first_staff_become_its_columns_maintainers_at_once(world):
    """No column stays without a maintainer once anybody can work in it: granting the first department role fills
    them (the `accounts.role_granted` hook), audited; later grants change nothing."""
    from lvzhi.accounts import services as account_services
    from lvzhi.accounts.roles import Role
    from lvzhi.orgs.models import Level
    from lvzhi.testing import make_body, make_unit, make_user

    empty = make_body("新设县政协", level=Level.COUNTY)
    services.ensure_default_columns(body=empty)
    office = make_unit(empty, "办公室", function="general_office")
    clerk = make_user(office, real_name="新县文秘")
    assert Column.objects.filter(body=empty, maintainer__isnull=True).exists()
    account_services.grant_role(actor=None, user=clerk, role=Role.HEAD, unit=office)
    assert not Column.objects.filter(body=empty, maintainer__isnull=True).exists()
    assert set(Column.objects.filter(body=empty).values_list("maintainer", flat=True)) == {clerk.pk}
    before = AuditEvent.objects.filter(event="content.column.defaults").count()
    second = make_user(office, real_name="新县干部")
    account_services.grant_role(actor=None, user=second, role=Role.STAFF, unit=office)
    assert AuditEvent.objects.filter(event="content.column.defaults").count() == before
