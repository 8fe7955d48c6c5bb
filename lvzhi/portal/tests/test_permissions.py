"""Who may do what: role × step × state for a topic, another body's office, the public API answers and its errors."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.accounts.tokens import issue_token
from lvzhi.portal import selectors, services
from lvzhi.portal.actions import STEPS
from lvzhi.portal.models import Draft, LegislationTopic
from lvzhi.testing import login

from .test_drafts import TEXT

# (actor, state) -> the steps offered; None: the topic does not exist for them
EXPECTED = {
    ("clerk", "new"): {"answer", "close"},
    ("clerk", "answered"): {"close"},
    ("clerk", "closed"): set(),
    ("author", "new"): {"answer", "close"},
    ("county_clerk", "new"): None,
    ("deputy", "new"): None,
    ("deputy", "answered"): None,
}


def _topic(w, state):
    topic = services.propose_topic(body=w.city, kind="supervision", title="建议监督学校食堂", text="食品安全。",
                                   phone="13900002666")  # fmt: skip
    if state in ("answered", "closed"):
        topic = services.answer_topic(actor=w.clerk, topic=topic, answer="已列入监督计划。")
    if state == "closed":
        topic = services.close_topic(actor=w.clerk, topic=topic, reason="已办结。")
    return topic


@pytest.mark.req("S4-2.1.2")
@pytest.mark.parametrize("actor,state", list(EXPECTED))
def test_topic_steps_by_role_and_state(w, actor, state):
    topic = _topic(w, state)
    user = getattr(w, actor)
    expected = EXPECTED[(actor, state)]
    if expected is None:
        with pytest.raises(Exception) as missing:
            selectors.access_topic(user, topic.pk)
        assert missing.value.status == 404
        assert {s.name for s in STEPS.available(user, topic)} == set()
    else:
        assert {s.name for s in STEPS.available(user, selectors.access_topic(user, topic.pk))} == expected


@pytest.mark.req("S4-2.1.2")
def test_another_bodys_office_cannot_touch_a_draft_or_its_comments(w, client):
    draft = services.create_draft(actor=w.clerk, body=w.city, title="草案", text=TEXT, opens_on=timezone.localdate())
    for call in (
        lambda: services.publish_draft(actor=w.county_clerk, draft=draft),
        lambda: selectors.access_draft(w.county_clerk, draft.pk),
        lambda: services.create_draft(
            actor=w.deputy, body=w.city, title="草案", text=TEXT, opens_on=timezone.localdate()
        ),
    ):
        with pytest.raises(Exception) as denied:
            call()
        assert denied.value.status == 404
    login(client, w.county_clerk)
    assert client.get(f"/portal/office/drafts/{draft.pk}/").status_code == 404
    assert client.post(f"/portal/office/drafts/{draft.pk}/export.xlsx").status_code == 404


@pytest.mark.req("S4-2.1.2")
def test_bad_drafts_are_refused_with_a_message_and_nothing_is_written(w):
    cases = [
        ({"text": "没有条文的文字"}, "no_articles"),
        ({"period_days": 10}, "period_invalid"),
        ({"title": "题" * 101}, "title_too_long"),
        ({"text": "第一条 " + "字" * 100_001}, "text_too_long"),
    ]
    for change, code in cases:
        params = {"title": "草案", "text": TEXT, "opens_on": timezone.localdate(), **change}
        with pytest.raises(Exception) as refused:
            services.create_draft(actor=w.clerk, body=w.city, **params)
        assert refused.value.code == code
    assert not Draft.objects.exists()


@pytest.mark.req("S4-2.1.2")
def test_the_public_api_gives_drafts_and_topics_and_the_office_answers_by_token(w, client):
    draft = services.create_draft(
        actor=w.clerk, body=w.city, title="草案", text=TEXT, opens_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert client.get(f"/api/v1/portal/sites/jianghai/drafts/{draft.pk}").json()["code"] == "not_found"
    services.publish_draft(actor=w.clerk, draft=draft)
    listed = client.get("/api/v1/portal/sites/jianghai/drafts").json()
    assert [d["id"] for d in listed["items"]] == [draft.pk] and listed["items"][0]["open"] is True
    detail = client.get(f"/api/v1/portal/sites/jianghai/drafts/{draft.pk}").json()
    assert [a["label"] for a in detail["articles"]] == ["第一条", "第二条", "第三条"]
    assert client.get("/api/v1/portal/sites/nosuch/drafts").status_code == 404
    topic = _topic(w, "new")
    url = f"/api/v1/portal/topics/{topic.pk}/steps/answer"
    assert client.post(url, {"answer": "收到"}, content_type="application/json").status_code == 401
    other = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=w.county_clerk, user=w.county_clerk)[1]}"}
    denied = client.post(url, {"answer": "收到"}, content_type="application/json", **other)
    assert denied.status_code == 404 and denied.json()["code"] == "not_found"
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=w.clerk, user=w.clerk)[1]}"}
    response = client.post(url, {"answer": "已研究。"}, content_type="application/json", **bearer)
    assert response.status_code == 200 and response.json()["status"] == "answered"
    again = client.post(url, {"answer": "再答"}, content_type="application/json", **bearer)
    assert again.status_code == 409
    public = client.get(f"/api/v1/portal/sites/jianghai/topics/{topic.lookup_code}").json()
    assert public["status"] == "answered" and public["answer"] == "已研究。"
    assert LegislationTopic.objects.get().answered_by == w.clerk
