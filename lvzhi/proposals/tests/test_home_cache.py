"""The proposer's page kept in the shared cache (issue 12) under the version every audited write bumps: a new
draft, a submission and an invitation to co-sign show on the next visit."""

import pytest
from django.test import override_settings

from lvzhi.core import cache
from lvzhi.proposals import services

from .conftest import draft

ONE_STORE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "proposals-home"}


@pytest.mark.req("S4-2.2.4")
@pytest.mark.django_db(transaction=True)
def test_the_proposers_page_from_the_cache_follows_drafts_and_submissions(w, client, settings):
    with override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}):
        cache.store().clear()
        cache.forget_local_copies()
        client.force_login(w.deputy)
        page = client.get("/proposals/").content.decode()
        assert 'data-testid="due-from-me"' not in page
        assert client.get("/proposals/").content.decode().count("关于") == page.count("关于")  # kept
        item = draft(w, title="关于建设社区食堂的建议")
        page = client.get("/proposals/").content.decode()
        assert 'data-testid="due-from-me"' in page and f"/proposals/{item.pk}/" in page
        services.submit(actor=w.deputy, proposal=item)
        page = client.get("/proposals/").content.decode()
        assert 'data-testid="due-from-me"' not in page  # no longer a draft
        assert "关于建设社区食堂的建议" in page.split('data-testid="my-items"')[1]
        cache.store().clear()
        cache.forget_local_copies()
