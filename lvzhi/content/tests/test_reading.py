"""Readers: feeds per column and across columns, unread markers, reading records and time, favourites as activity
(S0-20), Chinese full-text search over what the user may see; query counts that do not grow with the data."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.content import selectors, services
from lvzhi.content.models import ActivityEvent, Column, Favourite, ReadRecord
from lvzhi.testing import login

from .conftest import publish_article

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-5")
def test_home_tiles_link_to_the_column_feeds_and_the_home_feed_spans_columns(client, world):
    notice = publish_article(world, title="全委会通知")
    work_info = publish_article(
        world, title="工作信息一则", column=Column.objects.get(body=world.body, code="work_info")
    )
    login(client, world.member)
    page = client.get("/").content.decode()
    assert 'href="/content/c/notices/"' in page and 'href="/content/c/study/"' in page
    assert page.index("工作信息一则") < page.index("全委会通知")  # newest first
    column = client.get("/content/c/notices/").content.decode()
    assert "全委会通知" in column and "工作信息一则" not in column
    assert client.get("/content/c/no-such-column/").status_code == 404
    # sub-columns: the study column shows the items of 学习园地 and 政协知识
    assert notice.pk and work_info.pk


@pytest.mark.req("S0-20")
def test_opening_an_article_records_the_reading_once_and_the_unread_marker_goes(client, world):
    article = publish_article(world)
    login(client, world.member)
    feed = client.get("/content/").content.decode()
    assert 'data-testid="unread"' in feed
    assert client.get(f"/content/a/{article.pk}/").status_code == 200
    assert client.get(f"/content/a/{article.pk}/").status_code == 200
    read = ReadRecord.objects.get(user=world.member, article=article)
    assert read.visits == 2 and read.seconds == 0
    assert ActivityEvent.objects.filter(user=world.member, kind="read", article=article).count() == 1
    assert AuditEvent.objects.filter(event="content.article.read", actor=world.member).count() == 1
    assert 'data-testid="unread"' not in client.get("/content/").content.decode()
    # the reading time posted by the page (JS served locally)
    assert client.post(f"/content/a/{article.pk}/read-time/", {"seconds": "15"}).status_code == 204
    assert client.post(f"/content/a/{article.pk}/read-time/", {"seconds": "30"}).status_code == 204
    for bad in ("0", "-5", "121", "abc", ""):
        assert client.post(f"/content/a/{article.pk}/read-time/", {"seconds": bad}).status_code == 400
    read.refresh_from_db()
    assert read.seconds == 45
    # never opened: no reading time
    login(client, world.member2)
    assert client.post(f"/content/a/{article.pk}/read-time/", {"seconds": "15"}).status_code == 409
    # the department sees who read it and how long
    login(client, world.author)
    work = client.get(f"/content/w/{article.pk}/").content.decode()
    assert "王委员" in work


@pytest.mark.req("S0-20")
def test_favourites_are_kept_listed_and_counted_once_as_activity(client, world):
    article = publish_article(world)
    login(client, world.member)
    assert client.post(f"/content/a/{article.pk}/favourite/", {"action": "add"}).status_code == 302
    assert client.post(f"/content/a/{article.pk}/favourite/", {"action": "add"}).status_code == 302  # double click
    assert Favourite.objects.filter(user=world.member, article=article).count() == 1
    assert article.published_title in client.get("/content/favourites/").content.decode()
    response = client.post(f"/content/a/{article.pk}/favourite/", {"action": "remove"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'value="add"' in response.content.decode()
    assert not Favourite.objects.filter(user=world.member).exists()
    client.post(f"/content/a/{article.pk}/favourite/", {"action": "add"})
    assert ActivityEvent.objects.filter(user=world.member, kind="favourite").count() == 1  # toggling earns nothing
    assert selectors.activity_counts(user=world.member) == {"read": 0, "favourite": 1, "sign_in": 0, "post": 0}
    events = list(selectors.activity_events(body=world.body, kinds=["favourite"]))
    assert [(e.user_id, e.article_id) for e in events] == [(world.member.pk, article.pk)]
    for event in ("content.favourite.add", "content.favourite.remove"):
        assert AuditEvent.objects.filter(event=event, actor=world.member).exists()


@pytest.mark.req("S0-2", "S0-5")
def test_search_finds_chinese_words_in_titles_and_texts_only_among_what_the_user_may_see(client, world, other):
    publish_article(world, title="关于加强政协委员履职能力建设的意见", body="<p>推进协商民主广泛多层制度化发展。</p>")
    publish_article(world, title="防汛工作部署", body="<p>各单位做好汛期值班。</p>")
    publish_article(other, title="西山县政协委员履职培训", body="<p>协商民主专题。</p>")
    staff_column = Column.objects.get(body=world.body, code="work_info")
    services.propose_column_change(
        actor=world.info_officer, body=world.body, action="audience", column=staff_column,
        payload={"audience": "staff"}, reason="仅限机关",
    )  # fmt: skip
    change = staff_column.changes.get()
    services.decide_column_change(actor=world.leader, change=change, approve=True)
    publish_article(world, title="机关内部协商民主学习安排", column=staff_column)
    login(client, world.member)
    page = client.get("/content/search/?q=协商民主").content.decode()
    assert "关于加强政协委员履职能力建设的意见" in page
    assert "西山县" not in page  # another body
    assert "机关内部" not in page  # a column whose audience excludes members
    assert "防汛工作部署" not in page
    assert "防汛工作部署" in client.get("/content/search/?q=汛期").content.decode()
    relevance = client.get("/content/search/?q=协商民主&sort=relevance").content.decode()
    assert "关于加强政协委员履职能力建设的意见" in relevance and "西山县" not in relevance
    assert client.get("/content/search/?q=").status_code == 200
    assert client.get("/content/search/?q=" + "字" * 300).status_code == 200
    login(client, world.author)
    assert "机关内部协商民主学习安排" in client.get("/content/search/?q=协商民主").content.decode()


def _grow(world, n):
    for i in range(n):
        article = publish_article(world, title=f"通知第{i}号 协商")
        services.record_read(actor=world.member, article=article)
        services.add_favourite(actor=world.member, article=article)
        services.report_article(actor=world.member2, article=article, kind="outdated", reason="已过时")


@pytest.mark.req("S0-20", "S0-2")
@pytest.mark.parametrize(
    "who,url",
    [
        ("member", "/"),
        ("member", "/content/"),
        ("member", "/content/c/notices/"),
        ("member", "/content/search/?q=协商"),
        ("member", "/content/favourites/"),
        ("author", "/content/mine/?state=all"),
        ("head", "/content/review/"),
        ("head", "/content/register/"),
        ("info_officer", "/content/reports/?state=all"),
        ("info_officer", "/content/columns/"),
    ],
)
def test_list_pages_use_a_constant_number_of_queries(client, world, who, url, django_assert_max_num_queries):
    _grow(world, 2)
    login(client, getattr(world, who))
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    _grow(world, 6)
    for i in range(4):  # some open review work and reports too
        services.submit(actor=world.author, article=services.create_draft(
            actor=world.author, column=world.notices, title=f"待审{i}", body_html="<p>x</p>"))  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
