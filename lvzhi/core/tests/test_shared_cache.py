"""Values derived from the database in the shared cache (lvzhi.core.cache): versioned keys bumped on commit, so a
change is seen by the next request of every process and a rolled-back change by none."""

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lvzhi.accounts.permissions import active_assignments
from lvzhi.accounts.roles import Role
from lvzhi.content import selectors as content_selectors
from lvzhi.content import services as content_services
from lvzhi.content.models import Column
from lvzhi.core import cache
from lvzhi.notify import selectors, services
from lvzhi.testing import make_body, make_user


def _fresh(user):
    """The user object of the next request (per-request memos gone)."""
    return type(user).objects.select_related("unit").get(pk=user.pk)


# One in-memory store standing for the one Redis every process shares (the test runs in one process).
ONE_STORE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "one-redis"}


@pytest.fixture
def shared(settings):
    caches = {**settings.CACHES, "shared": ONE_STORE}
    with override_settings(LVZHI_SHARED_CACHE=True, CACHES=caches):
        cache.store().clear()
        cache._forget_versions()
        yield
        cache.store().clear()


@pytest.mark.req("S0-9")
@pytest.mark.django_db(transaction=True)
def test_unread_count_follows_messages_and_reading_through_the_cache(shared, django_assert_num_queries):
    body = make_body()
    user = make_user(body, roles=[Role.MEMBER])
    assert selectors.unread_count(_fresh(user)) == 0
    again = _fresh(user)
    with django_assert_num_queries(0):  # from the cache now
        assert selectors.unread_count(again) == 0
    [message, _] = services.notify([user, user], title="通知一") + services.notify([user], title="通知二")
    cache._forget_versions()  # the next request
    assert selectors.unread_count(_fresh(user)) == 2
    services.mark_read(user=_fresh(user), message_id=message.pk)
    cache._forget_versions()
    assert selectors.unread_count(_fresh(user)) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify([user], title="通知三")
        raise RuntimeError("rolled back")
    cache._forget_versions()
    assert selectors.unread_count(_fresh(user)) == 1
    services.mark_all_read(user=_fresh(user))
    cache._forget_versions()
    assert selectors.unread_count(_fresh(user)) == 0


@pytest.mark.req("S0-5")
@pytest.mark.django_db(transaction=True)
def test_column_lists_are_shared_by_a_scope_and_renewed_when_a_column_changes(shared, django_assert_num_queries):
    body = make_body()
    content_services.ensure_default_columns(body=body)
    member, other = (make_user(body, roles=[Role.MEMBER]) for _ in range(2))
    first = [c.name for c in content_selectors.visible_columns(_fresh(member))]
    assert first
    cache._forget_versions()
    reader = _fresh(other)
    active_assignments(reader)  # the request's one roles query, before
    with django_assert_num_queries(0):  # the same scope: the member's list, from the cache
        assert [c.name for c in content_selectors.visible_columns(reader)] == first
    column = Column.objects.get(body=body, code="notices")
    column.name = "通知公告（新）"
    column.save(update_fields=["name"])
    cache._forget_versions()
    assert "通知公告（新）" in [c.name for c in content_selectors.visible_columns(_fresh(other))]


@pytest.fixture
def database_store(settings):
    """The default deployment without Redis: the shared store is the database table, copies kept per process."""
    assert "DatabaseCache" in settings.CACHES["shared"]["BACKEND"]
    with override_settings(LVZHI_SHARED_CACHE=True):
        cache.forget_local_copies()
        cache._forget_versions()
        yield
        cache.forget_local_copies()


@pytest.mark.req("S0-5")
@pytest.mark.django_db(transaction=True)
def test_without_redis_a_process_keeps_its_copy_until_another_process_changes_the_column(database_store):
    body = make_body()
    content_services.ensure_default_columns(body=body)
    member = make_user(body, roles=[Role.MEMBER])
    first = [c.name for c in content_selectors.visible_columns(_fresh(member))]
    cache._forget_versions()  # the next request of this process
    reader = _fresh(member)
    active_assignments(reader)
    with CaptureQueriesContext(connection) as queries:
        assert [c.name for c in content_selectors.visible_columns(reader)] == first
    # one read of the key's version from the table, no query of the columns
    assert len(queries) == 1 and "lvzhi_shared_cache" in queries[0]["sql"]

    # another process renames a column: its commit bumps the version in the table, which this process reads next
    column = Column.objects.get(body=body, code="notices")
    column.name = "通知公告（新）"
    column.save(update_fields=["name"])
    cache._forget_versions()
    assert "通知公告（新）" in [c.name for c in content_selectors.visible_columns(_fresh(member))]


@pytest.mark.req("S0-5")
@pytest.mark.django_db
def test_a_kept_copy_cannot_be_changed_by_the_request_that_read_it(database_store):
    rows = cache.cached(("test.rows",), lambda: [{"name": "甲"}])
    rows.append({"name": "乙"})
    rows[0]["name"] = "改"
    assert cache.cached(("test.rows",), lambda: pytest.fail("computed again")) == [{"name": "甲"}]


@pytest.mark.req("S2-34")
@pytest.mark.django_db
def test_counters_in_the_database_table_are_never_culled_and_expired_rows_are_purged(settings):
    import datetime as dt

    store = cache.store()
    assert cache.hit("lvzhi:login-fail:13800000001", window_seconds=900) == 1
    for i in range(400):  # more than Django's default MAX_ENTRIES (300), which would cull a third of the table
        store.set(f"filler:{i}", i, timeout=60)
    assert cache.hit("lvzhi:login-fail:13800000001", window_seconds=900) == 2  # still counting
    store.set("short-lived", 1, timeout=1)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    assert cache.purge_expired(later) == 401  # the fillers and the short-lived row
    assert store.get("short-lived") is None and store.get("filler:0") is None
    assert cache.hit("lvzhi:login-fail:13800000001", window_seconds=900) == 3
