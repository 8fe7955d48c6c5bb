"""The review queue kept in the shared cache (issue 12) under the version every audited write bumps: a newly
submitted article is in the reviewer's queue on the next visit, and gone once reviewed."""

import pytest
from django.test import override_settings

from lvzhi.content import services
from lvzhi.core import cache
from lvzhi.testing import login

from .conftest import draft

ONE_STORE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "review-queue"}


@pytest.mark.req("S0-11")
@pytest.mark.django_db(transaction=True)
def test_the_kept_review_queue_follows_submissions(client, world, settings):
    with override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}):
        cache.store().clear()
        cache.forget_local_copies()
        login(client, world.reviewer)
        article = draft(world)
        assert f"/content/w/{article.pk}/" not in client.get("/content/review/").content.decode()
        services.submit(actor=world.author, article=article)
        assert f"/content/w/{article.pk}/" in client.get("/content/review/").content.decode()
        cache.store().clear()
        cache.forget_local_copies()
