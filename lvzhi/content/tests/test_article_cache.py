"""The article page's article kept in the shared cache (issue 12) under the version every audited write bumps: a
takedown is seen on the reader's next request, while a reader's own first read (audited too) keeps the copy."""

import pytest
from django.test import override_settings

from lvzhi.content import services
from lvzhi.core import cache
from lvzhi.testing import login

from .conftest import publish_article

ONE_STORE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "article-page"}


@pytest.mark.req("S0-11")
@pytest.mark.django_db(transaction=True)
def test_a_kept_article_is_gone_for_readers_at_once_when_taken_down(client, world, settings):
    with override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}):
        cache.store().clear()
        cache.forget_local_copies()
        article = publish_article(world)
        login(client, world.member)
        assert client.get(f"/content/a/{article.pk}/").status_code == 200
        before = cache.version(cache.WRITES_KEY)
        cache._forget_versions()
        assert cache.version(cache.WRITES_KEY) == before  # the member's first read, audited, changed nothing kept
        assert article.published_title in client.get(f"/content/a/{article.pk}/").content.decode()
        services.withdraw(actor=world.secrecy_officer, article=article, reason="发现涉密内容")
        assert client.get(f"/content/a/{article.pk}/").status_code == 404
        cache.store().clear()
        cache.forget_local_copies()


@pytest.mark.req("S0-11")
@pytest.mark.django_db(transaction=True)
def test_the_kept_home_feed_shows_a_new_article_and_drops_a_withdrawn_one(client, world, settings):
    with override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}):
        cache.store().clear()
        cache.forget_local_copies()
        login(client, world.member)
        client.get("/")
        article = publish_article(world)
        feed = client.get("/").content.decode().split('data-testid="home-feed"')[1].split("</ul>")[0]
        assert f"/content/a/{article.pk}/" in feed
        services.withdraw(actor=world.secrecy_officer, article=article, reason="发现涉密内容")
        feed = client.get("/").content.decode().split('data-testid="home-feed"')[1].split("</ul>")[0]
        assert f"/content/a/{article.pk}/" not in feed
        cache.store().clear()
        cache.forget_local_copies()
