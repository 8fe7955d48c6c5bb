"""我的履职 kept in the shared cache (issue 12) under the version every audited write bumps: a record reviewed by
the head shows on the member's next visit, with the new total."""

import datetime as dt
import re

import pytest
from django.test import override_settings
from freezegun import freeze_time

from lvzhi.core import cache
from lvzhi.testing import login

from .conftest import build_world
from .helpers import counted, enter


def _table(page: str) -> str:
    return page.split("<tbody>")[1].split("</tbody>")[0]


ONE_STORE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "duty-mine"}


@pytest.mark.req("S3-1", "S3-10")
@pytest.mark.django_db(transaction=True)
def test_my_duty_from_the_cache_shows_a_newly_counted_record_and_total(client, settings):
    with (
        override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}),
        freeze_time("2026-06-11 10:00:00+08:00"),
    ):
        cache.store().clear()
        cache.forget_local_copies()
        w = build_world()
        counted(w, title="专题协商会一", day=dt.date(2026, 6, 10))
        login(client, w.m1)
        first = client.get("/duty/?year=2026").content.decode()
        rows = first.count("<tr data-record=")
        total = int(re.search(r'data-testid="total">(\d+)<', first).group(1))
        assert client.get("/duty/?year=2026").content.decode().count("<tr data-record=") == rows  # kept
        counted(w, title="专题协商会二", day=dt.date(2026, 6, 10))
        page = client.get("/duty/?year=2026").content.decode()
        assert page.count("<tr data-record=") == rows + 1 and "专题协商会二" in page
        assert int(re.search(r'data-testid="total">(\d+)<', page).group(1)) > total
        pending = enter(w, title="待审核的调研", day=dt.date(2026, 6, 11))
        page = client.get("/duty/?year=2026").content.decode()
        assert f'data-record="{pending.pk}"' in page  # entered, awaiting review: shown at once too
        cache.store().clear()
        cache.forget_local_copies()


@pytest.mark.req("S3-7", "S3-9")
@pytest.mark.django_db(transaction=True)
def test_the_kept_review_queue_and_ranking_follow_entry_and_review(client, settings):
    with (
        override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}),
        freeze_time("2026-06-11 10:00:00+08:00"),
    ):
        cache.store().clear()
        cache.forget_local_copies()
        w = build_world()
        login(client, w.econ_head)
        assert "待审核的调研" not in client.get("/duty/review/").content.decode()
        ranking = _table(client.get("/duty/ranking/?year=2026").content.decode())
        rec = enter(w, title="待审核的调研", day=dt.date(2026, 6, 10))
        assert "待审核的调研" in client.get("/duty/review/").content.decode()
        from lvzhi.duty import services

        services.review_record(actor=w.econ_head, record=rec)
        assert "待审核的调研" not in client.get("/duty/review/").content.decode()
        assert _table(client.get("/duty/ranking/?year=2026").content.decode()) != ranking  # the new total is ranked
        cache.store().clear()
        cache.forget_local_copies()
