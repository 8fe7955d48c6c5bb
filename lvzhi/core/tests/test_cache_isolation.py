"""Tests do not share the database cache table (`lvzhi_shared_cache`): a transactional test's `flush` empties only
the models' tables, so the root conftest empties the cache table before each test that uses the database. Two
transactional runs of one test, each leaving a committed rate-limit counter behind: whichever runs second would
count on from the first's hits without that."""

import pytest
from django.core.cache import caches
from django.db import connection

from lvzhi.core import cache

KEY = "isolation-check"


def _rows() -> int:
    table = connection.ops.quote_name(caches["shared"]._table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (the table name is the setting's, quoted)
        return cursor.fetchone()[0]


@pytest.mark.req("S2-34")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("run", ["first", "second"])
def test_a_transactional_test_starts_with_an_empty_shared_cache_table(run):
    if not hasattr(caches["shared"], "_table"):
        pytest.skip("the shared cache is Redis here: the conftest deletes this worker's keys")
    assert _rows() == 0, run
    assert cache.hit(KEY, window_seconds=3600) == 1, run  # a rate limit counts from zero
    assert cache.hit(KEY, window_seconds=3600) == 2
    assert _rows() == 1  # committed: a transactional test has no transaction rolled back at its end


@pytest.mark.req("S2-34")
@pytest.mark.django_db
def test_an_ordinary_test_also_starts_with_an_empty_shared_cache_table():
    if not hasattr(caches["shared"], "_table"):
        pytest.skip("the shared cache is Redis here")
    assert _rows() == 0
