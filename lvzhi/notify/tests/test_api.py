"""The inbox API at /api/v1/inbox (bearer token or session)."""

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts.tokens import issue_token
from lvzhi.notify.models import Message
from lvzhi.notify.services import notify

pytestmark = pytest.mark.django_db

BASE = "/api/v1/inbox"


def _send(user, n):
    messages = []
    for i in range(n):
        with freeze_time(timezone.now() + timezone.timedelta(minutes=i)):
            messages += notify([user], title=f"消息{i}", link=f"/x/{i}/", event="test.thing.x")
    return messages


def _auth(user):
    _, raw = issue_token(actor=user, user=user, device="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.req("S0-16")
def test_list_is_own_newest_first_and_paginated(client, member, other):
    mine = _send(member, 25)
    _send(other, 3)
    Message.objects.filter(pk=mine[-1].pk).update(read_at=timezone.now())
    headers = _auth(member)
    response = client.get(BASE, **headers)
    assert response.status_code == 200
    data = response.json()
    assert (data["count"], data["page"], data["pages"], data["page_size"]) == (25, 1, 2, 20)
    assert [m["id"] for m in data["items"]] == [m.pk for m in reversed(mine)][:20]
    assert data["items"][0]["unread"] is False and data["items"][1]["unread"] is True
    assert data["items"][1]["title"] == "消息23" and data["items"][1]["link"] == "/x/23/"
    page2 = client.get(BASE, {"page": 2, "page_size": 20}, **headers).json()
    assert [m["id"] for m in page2["items"]] == [m.pk for m in reversed(mine)][20:]
    unread = client.get(BASE, {"unread": 1, "page_size": 100}, **headers).json()
    assert unread["count"] == 24 and mine[-1].pk not in [m["id"] for m in unread["items"]]


@pytest.mark.req("S0-16")
@pytest.mark.parametrize("count", [5, 50])
def test_list_queries_are_bounded(client, member, django_assert_max_num_queries, count):
    _send(member, count)
    headers = _auth(member)
    with django_assert_max_num_queries(8):
        response = client.get(BASE, {"page_size": 100}, **headers)
    assert len(response.json()["items"]) == count


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    "params", [{"page": 0}, {"page_size": 0}, {"page_size": 101}, {"page": "abc"}, {"unread": "maybe"}]
)
def test_bad_list_parameters_answer_validation_json(client, member, params):
    response = client.get(BASE, params, **_auth(member))
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"


@pytest.mark.req("S0-16")
def test_unread_count(client, member):
    headers = _auth(member)
    assert client.get(f"{BASE}/unread-count", **headers).json() == {"count": 0}
    _send(member, 3)
    assert client.get(f"{BASE}/unread-count", **headers).json() == {"count": 3}


@pytest.mark.req("S0-16")
def test_mark_one_read(client, member):
    message, _ = _send(member, 2)
    headers = _auth(member)
    response = client.post(f"{BASE}/{message.pk}/read", **headers)
    assert response.status_code == 200
    assert response.json()["id"] == message.pk and response.json()["unread"] is False
    message.refresh_from_db()
    assert message.read_at is not None
    assert client.get(f"{BASE}/unread-count", **headers).json() == {"count": 1}
    again = client.post(f"{BASE}/{message.pk}/read", **headers)
    assert again.status_code == 200 and again.json()["read_at"] == response.json()["read_at"]


@pytest.mark.req("S2-34")
def test_another_users_message_is_not_found_json(client, member, other, stranger):
    (message,) = notify([other], title="别人的消息")
    for user in (member, stranger):
        response = client.post(f"{BASE}/{message.pk}/read", **_auth(user))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert "别人的消息" not in response.content.decode()
    missing = client.post(f"{BASE}/99999999/read", **_auth(member))
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    message.refresh_from_db()
    assert message.read_at is None


@pytest.mark.req("S0-16")
def test_read_all_touches_only_own(client, member, other):
    _send(member, 3)
    _send(other, 2)
    response = client.post(f"{BASE}/read-all", **_auth(member))
    assert response.status_code == 200 and response.json() == {"marked": 3}
    assert not Message.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Message.objects.filter(recipient=other, read_at__isnull=True).count() == 2
    assert client.post(f"{BASE}/read-all", **_auth(member)).json() == {"marked": 0}


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}, {"HTTP_AUTHORIZATION": "Basic abc"}],
)
def test_unauthenticated_requests_are_refused(client, member, headers):
    _send(member, 1)
    for method, url in [("get", BASE), ("get", f"{BASE}/unread-count"), ("post", f"{BASE}/read-all")]:
        response = getattr(client, method)(url, **headers)
        assert response.status_code == 401, url
        assert "code" in response.json()
    assert Message.objects.filter(read_at__isnull=True).count() == 1


@pytest.mark.req("S0-16")
def test_session_auth_works_for_reads(client, member):
    from lvzhi.testing import login

    _send(member, 2)
    login(client, member)
    assert client.get(f"{BASE}/unread-count").json() == {"count": 2}
