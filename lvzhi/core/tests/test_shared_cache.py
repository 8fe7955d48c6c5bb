"""Values derived from the database in the shared cache (lvzhi.core.cache): versioned keys bumped on commit, so a
change is seen by the next request of every process and a rolled-back change by none."""

import pytest
from django.db import transaction
from django.test import override_settings

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
