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


@pytest.mark.req("S4-2.2.4")
@pytest.mark.django_db(transaction=True)
def test_the_office_and_unit_queues_from_the_cache_follow_submission_and_assignment(w, client, settings):
    from .conftest import accepted, assigned

    with override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}):
        cache.store().clear()
        cache.forget_local_copies()
        client.force_login(w.clerk)
        assert "关于建设社区食堂的建议" not in client.get("/proposals/office/").content.decode()
        item = draft(w, title="关于建设社区食堂的建议")
        services.submit(actor=w.deputy, proposal=item)
        assert "关于建设社区食堂的建议" in client.get("/proposals/office/").content.decode()
        client.force_login(w.lead_staff)
        before = client.get("/proposals/units/").content.decode()
        other = assigned(w, title="关于增设公交线路的建议")
        page = client.get("/proposals/units/").content.decode()
        assert f"/proposals/{other.pk}/" in page and f"/proposals/{other.pk}/" not in before
        client.force_login(w.clerk)
        moved = accepted(w, title="关于改善学校周边交通的建议")
        assert f"/proposals/{moved.pk}/" in client.get("/proposals/office/?state=accepted").content.decode()
        cache.store().clear()
        cache.forget_local_copies()
