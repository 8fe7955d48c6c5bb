"""The page cache never shows a draft regulation as open after its comment period closed: a cached draft page (and
the browser's copy) lives no longer than 24:00 of the period's last day (S4-2.1.2)."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.core import cache
from lvzhi.portal import services

from .test_drafts import TEXT

pytestmark = pytest.mark.django_db


@pytest.mark.req("S4-2.1.2")
def test_a_cached_draft_page_expires_when_the_comment_period_closes(client, w):
    shanghai = timezone.get_current_timezone()
    with freeze_time(dt.datetime(2026, 11, 30, 10, 0, tzinfo=shanghai)):
        draft = services.create_draft(
            actor=w.clerk, body=w.city, title="电动自行车条例", text=TEXT, opens_on=dt.date(2026, 12, 1)
        )
        draft = services.publish_draft(actor=w.clerk, draft=draft)
    assert draft.closes_at == dt.datetime(2027, 1, 1, 0, 0, tzinfo=shanghai)
    url = f"/site/jianghai/drafts/{draft.pk}/"
    with freeze_time(dt.datetime(2026, 12, 31, 23, 58, 30, tzinfo=shanghai)):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert 'class="status-open"' in page.content.decode()
        assert page["Cache-Control"] == "public, max-age=60"
    with freeze_time(dt.datetime(2026, 12, 31, 23, 59, 30, tzinfo=shanghai)):
        again = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")  # from the page cache: the browser may keep it 30 s
        assert 'class="status-open"' in again.content.decode() and again["ETag"] == page["ETag"]
        assert again["Cache-Control"] == "public, max-age=30"
    with freeze_time(dt.datetime(2027, 1, 1, 0, 0, 1, tzinfo=shanghai)):  # one second after the period closed
        closed = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        html = closed.content.decode()
        assert 'class="status-closed"' in html and "/comment/" not in html
        assert closed["Cache-Control"] == "public, max-age=60"
    with freeze_time(dt.datetime(2027, 1, 1, 0, 2, tzinfo=shanghai)):
        assert 'class="status-closed"' in client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


@pytest.mark.req("S4-2.1.2")
def test_a_page_kept_in_the_store_past_the_moment_is_not_served(client, w):
    """Even a cache backend that kept the copy longer (clock drift, a coarse expiry) does not serve it past the
    moment: the copy carries the moment and is dropped when read after it."""
    shanghai = timezone.get_current_timezone()
    with freeze_time(dt.datetime(2026, 11, 30, 10, 0, tzinfo=shanghai)):
        draft = services.publish_draft(
            actor=w.clerk,
            draft=services.create_draft(
                actor=w.clerk, body=w.city, title="条例", text=TEXT, opens_on=dt.date(2026, 12, 1)
            ),
        )
    url = f"/site/jianghai/drafts/{draft.pk}/"
    with freeze_time(dt.datetime(2026, 12, 31, 23, 59, 0, tzinfo=shanghai)):
        client.get(url)
        store = cache.store()
        real_set = store.set
        keys = []
        original_get = store.get

        def spy(key, *args, **kwargs):
            keys.append(key)
            return original_get(key, *args, **kwargs)

        store.get = spy
        try:
            client.get(url)
        finally:
            store.get = original_get
        page_key = next(k for k in keys if k.startswith("lvzhi:portal:page:"))
        kept = store.get(page_key)
        assert kept["until"] == draft.closes_at.timestamp()
        real_set(page_key, kept, timeout=3600)  # as if the backend kept it for an hour
    with freeze_time(dt.datetime(2027, 1, 1, 0, 0, 5, tzinfo=shanghai)):
        assert 'class="status-closed"' in client.get(url).content.decode()
