"""Absolute query bounds of the member's and the editor's key pages (issue 12: `make bench` pages), with and
without the shared cache: more articles, readings, messages and review work never add a query."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings

from lvzhi.content import services
from lvzhi.core import cache as shared_cache
from lvzhi.notify.services import notify
from lvzhi.testing import login

from .conftest import publish_article

# The bounds hold on SQLite and PostgreSQL; "shared" = LVZHI_SHARED_CACHE (Redis in production, here the
# test process's memory cache): column lists, tiles and the unread count come from the cache, and so (kept
# between audited writes, issue 12) roles, the home page's work links, to-dos and newest articles, the article
# page's article and the review queue's page.
PAGES = [
    ("member", "/", 16, 5),  # the home page with its 待办 panel (one aggregate per queue) and the column tiles
    ("member", "/content/search/?q=协商", 9, 5),
    ("member", "article", 12, 9),  # the reading record is written on opening (its first-read time)
    ("member", "/inbox/", 7, 4),
    ("head", "/content/review/", 9, 3),
]


def _grow(world, n):
    for i in range(n):
        article = publish_article(world, title=f"通知第{i}号 协商")
        services.record_read(actor=world.member, article=article)
        notify([world.member, world.head], title=f"消息{i}")
        services.submit(
            actor=world.author,
            article=services.create_draft(
                actor=world.author, column=world.notices, title=f"待审{i}", body_html="<p>x</p>"
            ),
        )
    return article


@pytest.mark.django_db
@pytest.mark.req("S0-20", "S0-2")
@pytest.mark.parametrize("shared", [False, True], ids=["no-shared-cache", "shared-cache"])
@pytest.mark.parametrize("who,url,bound,shared_bound", PAGES)
def test_key_pages_stay_within_their_query_bound(
    client, world, who, url, bound, shared_bound, shared, django_assert_max_num_queries
):
    caches = dict(settings.CACHES)
    if shared:  # one memory store standing for the one Redis (in production the shared cache is Redis then)
        caches["shared"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "one-redis"}
    with override_settings(LVZHI_SHARED_CACHE=shared, CACHES=caches):
        cache.clear()
        shared_cache.store().clear()
        article = _grow(world, 2)
        path = f"/content/a/{article.pk}/" if url == "article" else url
        login(client, getattr(world, who))
        assert client.get(path).status_code == 200  # fills the shared cache, if any
        with django_assert_max_num_queries(shared_bound if shared else bound):
            page = client.get(path)
        assert page.status_code == 200
        _grow(world, 5)
        with django_assert_max_num_queries(shared_bound if shared else bound):
            assert client.get(path).status_code == 200
