"""The inbox pages at /inbox/: own messages only, newest first, unread marked, open → read → link."""

import re

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.notify.models import Message
from lvzhi.notify.services import notify
from lvzhi.testing import login

pytestmark = pytest.mark.django_db


def _ids(response):
    return [int(x) for x in re.findall(r'data-message-id="(\d+)"', response.content.decode())]


def _send(user, n, **kwargs):
    messages = []
    for i in range(n):
        with freeze_time(timezone.now() + timezone.timedelta(minutes=i)):
            messages += notify([user], title=f"消息{i}", body=f"正文{i}", event="test.thing.x", **kwargs)
    return messages


@pytest.mark.req("S0-16")
def test_inbox_lists_own_messages_newest_first_unread_marked(client, member, other):
    mine = _send(member, 3, link="/somewhere/")
    _send(other, 2)
    Message.objects.filter(pk=mine[0].pk).update(read_at=timezone.now())
    login(client, member)
    response = client.get("/inbox/")
    assert response.status_code == 200
    assert _ids(response) == [mine[2].pk, mine[1].pk, mine[0].pk]
    page = response.content.decode()
    assert f'data-message-id="{mine[2].pk}" class="unread"' in page
    assert f'data-message-id="{mine[0].pk}">' in page  # read: not marked
    assert "消息2" in page and "正文2" in page
    unread = client.get("/inbox/", {"unread": "1"})
    assert _ids(unread) == [mine[2].pk, mine[1].pk]


@pytest.mark.req("S0-16")
def test_inbox_pages(client, member):
    messages = _send(member, 25)
    login(client, member)
    first = client.get("/inbox/")
    assert _ids(first) == [m.pk for m in reversed(messages)][:20]
    second = client.get("/inbox/", {"page": 2})
    assert _ids(second) == [m.pk for m in reversed(messages)][20:]
    assert _ids(client.get("/inbox/", {"page": "junk"})) == _ids(first)
    assert _ids(client.get("/inbox/", {"page": 999})) == _ids(second)


@pytest.mark.req("S0-16")
@pytest.mark.parametrize("count", [5, 50])
def test_inbox_page_queries_are_bounded(client, member, django_assert_max_num_queries, count):
    _send(member, count)
    login(client, member)
    with django_assert_max_num_queries(12):
        response = client.get("/inbox/")
    assert len(_ids(response)) == min(count, 20)


@pytest.mark.req("S0-16")
def test_following_a_message_is_a_post_that_marks_it_read_and_goes_to_the_link(client, member):
    (message,) = notify([member], title="新报告", link="/opinions/12/")
    login(client, member)
    shown = client.get(f"/inbox/{message.pk}/")  # a GET shows the message and writes nothing
    assert shown.status_code == 200 and "新报告" in shown.content.decode()
    assert f'action="/inbox/{message.pk}/follow/"' in shown.content.decode()
    message.refresh_from_db()
    assert message.read_at is None
    assert client.get(f"/inbox/{message.pk}/follow/").status_code == 405
    message.refresh_from_db()
    assert message.read_at is None
    inbox = client.get("/inbox/").content.decode()
    assert f'action="/inbox/{message.pk}/follow/"' in inbox  # the title in the list is a POST form
    response = client.post(f"/inbox/{message.pk}/follow/")
    assert response.status_code == 302 and response["Location"] == "/opinions/12/"
    message.refresh_from_db()
    first_read = message.read_at
    assert first_read is not None
    client.post(f"/inbox/{message.pk}/follow/")
    message.refresh_from_db()
    assert message.read_at == first_read  # the first reading time is kept


@pytest.mark.req("S0-16")
@pytest.mark.parametrize("link", ["", "https://evil.example/x", "//evil.example/x", "javascript:alert(1)"])
def test_a_message_without_a_safe_local_link_is_shown_and_marked_read_by_post(client, member, link):
    (message,) = notify([member], title="通知标题", body="第一行\n第二行", link=link)
    login(client, member)
    response = client.get(f"/inbox/{message.pk}/")
    assert response.status_code == 200
    assert "通知标题" in response.content.decode() and "第一行<br>第二行" in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is None
    followed = client.post(f"/inbox/{message.pk}/follow/")
    assert followed.status_code == 302 and followed["Location"] == f"/inbox/{message.pk}/"
    message.refresh_from_db()
    assert message.read_at is not None


@pytest.mark.req("S0-16", "S2-34")
def test_another_users_message_is_not_found(client, member, other, stranger):
    (message,) = notify([other], title="别人的消息", link="/x/")
    for user in (member, stranger):
        client.logout()
        login(client, user)
        response = client.get(f"/inbox/{message.pk}/")
        assert response.status_code == 404
        assert "别人的消息" not in response.content.decode()
        assert client.post(f"/inbox/{message.pk}/follow/").status_code == 404
        assert message.pk not in _ids(client.get("/inbox/"))
    assert client.get("/inbox/99999999/").status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


@pytest.mark.req("S2-34")
def test_anonymous_is_sent_to_login(client, member):
    (message,) = notify([member], title="x")
    for method, url in [
        ("get", "/inbox/"),
        ("get", f"/inbox/{message.pk}/"),
        ("post", f"/inbox/{message.pk}/follow/"),
        ("post", "/inbox/read-all/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/inbox/badge/").status_code == 302
    message.refresh_from_db()
    assert message.read_at is None


@pytest.mark.req("S0-16")
def test_mark_all_read_by_post_only_touches_own(client, member, other):
    _send(member, 3)
    _send(other, 2)
    login(client, member)
    assert client.get("/inbox/read-all/").status_code == 405
    assert Message.objects.filter(recipient=member, read_at__isnull=True).count() == 3
    response = client.post("/inbox/read-all/")
    assert response.status_code == 302 and response["Location"] == "/inbox/"
    assert Message.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    assert Message.objects.filter(recipient=other, read_at__isnull=True).count() == 2
    assert b'data-testid="read-all"' not in client.get("/inbox/").content


@pytest.mark.req("S2-34")
def test_mark_all_read_needs_the_csrf_token(member):
    from django.test import Client

    _send(member, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    assert client.post("/inbox/read-all/").status_code == 403
    assert Message.objects.filter(recipient=member, read_at__isnull=True).count() == 1


@pytest.mark.req("S0-16")
def test_unread_badge_fragment(client, member):
    login(client, member)
    assert client.get("/inbox/badge/").content.strip() == b""
    _send(member, 2)
    response = client.get("/inbox/badge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'data-testid="unread-count">2<' in response.content
    assert b"<html" not in response.content
