"""Each endpoint of the content API (/api/v1/content) on its own (issue 8): what it does for the one who may use it,
and what someone who may not see the thing, or may not take the step, is told. Another body's member stands for
"may not see": their answer is the same 404 `not_found` as for a missing id."""

import pytest

from lvzhi.accounts.tokens import issue_token
from lvzhi.content import services
from lvzhi.content.models import Article, Favourite, MonitorReport, ReadRecord

from .conftest import CHECKLIST_OK, approve, draft, publish_article

pytestmark = pytest.mark.django_db
BASE = "/api/v1/content"
JSON = "application/json"
A = Article.Status


def auth(user):
    _, raw = issue_token(actor=user, user=user, device="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def get(client, user, path, **params):
    return client.get(f"{BASE}{path}", params, **auth(user))


def post(client, user, path, data=None):
    return client.post(f"{BASE}{path}", data or {}, content_type=JSON, **auth(user))


def not_found(response) -> bool:
    return response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.req("S0-5")
def test_columns_lists_the_readers_columns_and_needs_a_login(client, world):
    names = [c["name"] for c in get(client, world.member, "/columns").json()]
    assert names[:2] == ["通知公告", "网络议政"]
    anonymous = client.get(f"{BASE}/columns")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"


@pytest.mark.req("S0-5", "S0-20")
def test_feed_lists_published_items_of_the_readers_body_only(client, world, other):
    article = publish_article(world, title="全委会会议通知")
    feed = get(client, world.member, "/feed").json()
    assert [i["id"] for i in feed["items"]] == [article.pk] and feed["items"][0]["is_read"] is False
    assert get(client, other.member, "/feed").json()["items"] == []
    assert not_found(get(client, world.member, "/feed", column="zzz"))


@pytest.mark.req("S0-20")
def test_search_finds_what_the_reader_may_read(client, world, other):
    article = publish_article(world, title="全委会会议通知")
    assert [i["id"] for i in get(client, world.member, "/search", q="会议通知").json()["items"]] == [article.pk]
    assert get(client, other.member, "/search", q="会议通知").json()["items"] == []


@pytest.mark.req("S0-20")
def test_favourites_lists_the_users_own_favourites(client, world):
    article = publish_article(world)
    services.add_favourite(actor=world.member, article=article)
    assert [i["id"] for i in get(client, world.member, "/favourites").json()["items"]] == [article.pk]
    assert get(client, world.author, "/favourites").json()["items"] == []


@pytest.mark.req("S0-20", "S0-5")
def test_reading_an_article_records_the_reading_and_another_body_finds_nothing(client, world, other):
    article = publish_article(world, title="全委会会议通知")
    read = get(client, world.member, f"/articles/{article.pk}")
    assert read.status_code == 200 and read.json()["title"] == "全委会会议通知"
    assert ReadRecord.objects.filter(user=world.member, article=article).count() == 1
    assert not_found(get(client, other.member, f"/articles/{article.pk}"))
    assert not ReadRecord.objects.filter(user=other.member).exists()


@pytest.mark.req("S0-20")
def test_read_time_adds_seconds_for_a_reader_only(client, world, other):
    article = publish_article(world)
    assert get(client, world.member, f"/articles/{article.pk}").status_code == 200  # time counts after a visit
    added = post(client, world.member, f"/articles/{article.pk}/read-time", {"seconds": 30})
    assert added.status_code == 200 and added.json() == {"seconds": 30, "visits": 1}
    assert not_found(post(client, other.member, f"/articles/{article.pk}/read-time", {"seconds": 30}))


@pytest.mark.req("S0-20")
def test_adding_a_favourite_once(client, world, other):
    article = publish_article(world)
    assert post(client, world.member, f"/articles/{article.pk}/favourite").status_code == 201
    assert Favourite.objects.filter(user=world.member, article=article).count() == 1
    twice = post(client, world.member, f"/articles/{article.pk}/favourite")
    assert twice.status_code == 409 and twice.json()["code"] == "already_favourite"
    assert not_found(post(client, other.member, f"/articles/{article.pk}/favourite"))


@pytest.mark.req("S0-20")
def test_removing_a_favourite(client, world, other):
    article = publish_article(world)
    services.add_favourite(actor=world.member, article=article)
    removed = client.delete(f"{BASE}/articles/{article.pk}/favourite", **auth(world.member))
    assert removed.status_code == 204 and not Favourite.objects.exists()
    assert not_found(client.delete(f"{BASE}/articles/{article.pk}/favourite", **auth(other.member)))


@pytest.mark.req("S0-11", "S0-20")
def test_reporting_a_problem_with_an_article(client, world, other):
    article = publish_article(world)
    made = post(client, world.member, f"/articles/{article.pk}/reports", {"kind": "wrong", "reason": "日期错误"})
    assert made.status_code == 201 and made.json()["kind"] == "wrong"
    report = MonitorReport.objects.get()
    assert (report.pk, report.reporter, report.article) == (made.json()["id"], world.member, article)
    refused = post(client, other.member, f"/articles/{article.pk}/reports", {"kind": "wrong", "reason": "日期错误"})
    assert not_found(refused) and MonitorReport.objects.count() == 1


@pytest.mark.req("S0-20")
def test_activity_counts_the_users_reading_and_favourites(client, world):
    article = publish_article(world)
    services.record_read(actor=world.member, article=article)
    services.add_favourite(actor=world.member, article=article)
    assert get(client, world.member, "/activity").json() == {"read": 1, "favourite": 1}
    assert get(client, world.author, "/activity").json() == {"read": 0, "favourite": 0}
    assert client.get(f"{BASE}/activity").status_code == 401


@pytest.mark.req("S0-7")
def test_creating_a_draft_in_a_writable_column_only(client, world):
    data = {"column_id": world.notices.pk, "title": "API稿件", "body_html": "<p>正文</p>"}
    made = post(client, world.author, "/articles", data)
    assert made.status_code == 201 and made.json()["status"] == A.DRAFT
    assert Article.objects.get(pk=made.json()["id"]).author == world.author
    assert not_found(post(client, world.member, "/articles", data))
    assert Article.objects.count() == 1


@pytest.mark.req("S0-7")
def test_the_working_copy_is_shown_to_who_works_on_it(client, world):
    article = draft(world)
    work = get(client, world.author, f"/articles/{article.pk}/work")
    assert work.status_code == 200 and (work.json()["status"], work.json()["version"]) == (A.DRAFT, article.version)
    assert not_found(get(client, world.member, f"/articles/{article.pk}/work"))


@pytest.mark.req("S0-7")
def test_submitting_a_draft_for_review(client, world):
    article = draft(world)
    assert not_found(post(client, world.member, f"/articles/{article.pk}/submit", {"version": article.version}))
    sent = post(client, world.author, f"/articles/{article.pk}/submit", {"version": article.version})
    assert sent.status_code == 200 and sent.json()["status"] == A.IN_REVIEW
    assert Article.objects.get(pk=article.pk).status == A.IN_REVIEW


@pytest.mark.req("S0-7")
def test_the_review_queue_holds_the_articles_awaiting_the_users_step(client, world):
    article = services.submit(actor=world.author, article=draft(world))
    assert [a["id"] for a in get(client, world.reviewer, "/review-queue").json()] == [article.pk]
    assert get(client, world.member, "/review-queue").json() == []
    assert get(client, world.publisher, "/review-queue").json() == []  # not their step yet


@pytest.mark.req("S0-7", "S2-26")
def test_deciding_the_current_step(client, world):
    article = services.submit(actor=world.author, article=draft(world))
    step = article.current_step_id
    data = {"approve": True, "checklist": CHECKLIST_OK, "secrecy_reviewed": True, "findings_accepted": True}
    assert not_found(post(client, world.member, f"/articles/{article.pk}/decide", {**data, "expected_step": step}))
    decided = post(client, world.reviewer, f"/articles/{article.pk}/decide", {**data, "expected_step": step})
    assert decided.status_code == 200 and decided.json()["current_step"] not in (None, step)
    again = post(client, world.reviewer, f"/articles/{article.pk}/decide", {**data, "expected_step": step})
    assert again.status_code == 409 and again.json()["code"] == "already_decided"


@pytest.mark.req("S0-7")
def test_publishing_the_approved_article(client, world):
    article = services.submit(actor=world.author, article=draft(world))
    article = approve(world, article, world.reviewer)
    article = approve(world, article, world.head)
    assert not_found(post(client, world.member, f"/articles/{article.pk}/publish"))
    published = post(
        client, world.publisher, f"/articles/{article.pk}/publish", {"expected_step": article.current_step_id}
    )
    assert published.status_code == 200 and published.json()["is_live"] is True
    assert Article.objects.get(pk=article.pk).status == A.PUBLISHED


@pytest.mark.req("S0-11")
def test_taking_an_article_down(client, world, other):
    article = publish_article(world)
    refused = post(client, world.member, f"/articles/{article.pk}/withdraw", {"reason": "试图撤稿"})
    assert refused.status_code == 403 and Article.objects.get(pk=article.pk).is_live
    assert not_found(post(client, other.secrecy_officer, f"/articles/{article.pk}/withdraw", {"reason": "外单位"}))
    done = post(client, world.secrecy_officer, f"/articles/{article.pk}/withdraw", {"reason": "发现涉密内容"})
    assert done.status_code == 200 and (done.json()["status"], done.json()["is_live"]) == (A.WITHDRAWN, False)
