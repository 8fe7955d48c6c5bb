"""The content API at /api/v1/content (bearer token): reading, favourites, reports, and the editorial steps."""

import pytest

from lvzhi.accounts.tokens import issue_token
from lvzhi.content.models import Article, Favourite, MonitorReport, ReadRecord

from .conftest import CHECKLIST_OK, publish_article

pytestmark = pytest.mark.django_db
BASE = "/api/v1/content"
JSON = "application/json"


def auth(user):
    _, raw = issue_token(actor=user, user=user, device="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.req("S0-20", "S0-5")
def test_a_member_reads_favourites_and_reports_through_the_api(client, world, other):
    article = publish_article(world, title="全委会会议通知")
    publish_article(other, title="西山县通知")
    h = auth(world.member)
    _reads_columns_feed_and_article(client, world, article, h)
    _favourites_an_article_once(client, article, h)
    report = client.post(
        f"{BASE}/articles/{article.pk}/reports", {"kind": "wrong", "reason": "日期错误"}, content_type=JSON, **h
    )
    assert report.status_code == 201 and MonitorReport.objects.get().reporter == world.member
    assert client.get(f"{BASE}/search?q=会议通知", **h).json()["items"][0]["id"] == article.pk
    # another body's article does not exist for this member
    foreign = Article.objects.get(title="西山县通知")
    assert client.get(f"{BASE}/articles/{foreign.pk}", **h).status_code == 404
    assert client.get(f"{BASE}/articles/{foreign.pk}", **h).json()["code"] == "not_found"
    assert client.get(f"{BASE}/feed").status_code == 401


def _reads_columns_feed_and_article(client, world, article, h):
    """The member's columns (sub-columns nested), the feed (filtered by column), the article read and timed."""
    columns = client.get(f"{BASE}/columns", **h).json()
    assert [c["name"] for c in columns][:2] == ["通知公告", "网络议政"]
    assert [c["name"] for c in next(c for c in columns if c["code"] == "study")["children"]] == ["学习园地", "政协知识"]
    feed = client.get(f"{BASE}/feed", **h).json()
    assert [i["title"] for i in feed["items"]] == ["全委会会议通知"] and feed["items"][0]["is_read"] is False
    assert client.get(f"{BASE}/feed?column=notices", **h).json()["items"][0]["id"] == article.pk
    assert client.get(f"{BASE}/feed?column=zzz", **h).json()["code"] == "not_found"
    read = client.get(f"{BASE}/articles/{article.pk}", **h)
    assert read.status_code == 200 and read.json()["title"] == "全委会会议通知"
    assert ReadRecord.objects.filter(user=world.member, article=article).exists()
    assert client.post(f"{BASE}/articles/{article.pk}/read-time", {"seconds": 30}, content_type=JSON, **h).json() == {
        "seconds": 30,
        "visits": 1,
    }
    bad = client.post(f"{BASE}/articles/{article.pk}/read-time", {"seconds": 9999}, content_type=JSON, **h)
    assert bad.status_code == 422 and bad.json()["code"] == "validation_failed"


def _favourites_an_article_once(client, article, h):
    """Favourite once (twice is a conflict), listed and counted, then removed."""
    assert client.post(f"{BASE}/articles/{article.pk}/favourite", **h).status_code == 201
    twice = client.post(f"{BASE}/articles/{article.pk}/favourite", **h)
    assert twice.status_code == 409 and twice.json()["code"] == "already_favourite"
    assert client.get(f"{BASE}/favourites", **h).json()["items"][0]["id"] == article.pk
    assert client.get(f"{BASE}/activity", **h).json() == {"read": 1, "favourite": 1}
    assert client.delete(f"{BASE}/articles/{article.pk}/favourite", **h).status_code == 204
    assert not Favourite.objects.exists()


@pytest.mark.req("S0-7", "S0-8", "S0-9", "S2-26")
def test_the_editorial_steps_through_the_api(client, world):
    h = auth(world.author)
    created = client.post(
        f"{BASE}/articles",
        {
            "column_id": world.notices.pk,
            "title": "API稿件",
            "body_html": "<p>据内部资料统计。</p>",  # a sensitive term: the reviewers must decide on it
            "client_token": "t1",
        },
        content_type=JSON,
        **h,
    )
    assert created.status_code == 201
    data = created.json()
    assert data["status"] == "draft" and any(f["kind"] == "sensitive" for f in data["findings"])
    again = client.post(
        f"{BASE}/articles", {"column_id": world.notices.pk, "title": "API稿件", "body_html": "x", "client_token": "t1"},
        content_type=JSON, **h,
    )  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "duplicate_submission"
    forbidden = client.post(
        f"{BASE}/articles", {"column_id": world.notices.pk, "title": "x", "body_html": "x"}, content_type=JSON,
        **auth(world.member),
    )  # fmt: skip
    assert forbidden.status_code == 404
    pk = data["id"]
    submitted = client.post(f"{BASE}/articles/{pk}/submit", {"version": data["version"]}, content_type=JSON, **h).json()
    assert submitted["status"] == "in_review"
    r = auth(world.reviewer)
    assert [a["id"] for a in client.get(f"{BASE}/review-queue", **r).json()] == [pk]
    no_findings = client.post(
        f"{BASE}/articles/{pk}/decide",
        {
            "approve": True,
            "checklist": CHECKLIST_OK,
            "secrecy_reviewed": True,
            "expected_step": submitted["current_step"],
        },
        content_type=JSON,
        **r,
    )
    assert no_findings.status_code == 400 and no_findings.json()["code"] == "findings_decision_required"
    decided = client.post(
        f"{BASE}/articles/{pk}/decide",
        {
            "approve": True,
            "checklist": CHECKLIST_OK,
            "secrecy_reviewed": True,
            "findings_accepted": True,
            "expected_step": submitted["current_step"],
        },  # fmt: skip
        content_type=JSON,
        **r,
    )
    assert decided.status_code == 200 and decided.json()["current_step_kind"] == "approve"
    stale = client.post(
        f"{BASE}/articles/{pk}/decide",
        {
            "approve": True,
            "checklist": CHECKLIST_OK,
            "secrecy_reviewed": True,
            "findings_accepted": True,
            "expected_step": submitted["current_step"],
        },  # fmt: skip
        content_type=JSON,
        **auth(world.head),
    )
    assert stale.status_code == 409 and stale.json()["code"] == "already_decided"
    step = decided.json()["current_step"]
    approved = client.post(
        f"{BASE}/articles/{pk}/decide",
        {
            "approve": True,
            "checklist": CHECKLIST_OK,
            "secrecy_reviewed": True,
            "findings_accepted": True,
            "expected_step": step,
        },  # fmt: skip
        content_type=JSON,
        **auth(world.head),
    ).json()
    assert approved["status"] == "approved"
    published = client.post(f"{BASE}/articles/{pk}/publish", {}, content_type=JSON, **auth(world.publisher)).json()
    assert published["status"] == "published" and published["is_live"]
    down = client.post(
        f"{BASE}/articles/{pk}/withdraw", {"reason": "涉密"}, content_type=JSON, **auth(world.secrecy_officer)
    )
    assert down.status_code == 200 and down.json()["status"] == "withdrawn"
