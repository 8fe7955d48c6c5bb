"""The home page's work links and 待办 are kept in the shared cache per user and language (issue 12), under the
version every audited write bumps on commit: a new to-do shows on the next visit, a rolled-back one never."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from lvzhi.core import cache
from lvzhi.opinions import services
from lvzhi.opinions.models import Category
from lvzhi.opinions.tests.conftest import build_world

ONE_STORE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "work-cache"}


@pytest.fixture
def shared(settings):
    with override_settings(LVZHI_SHARED_CACHE=True, CACHES={**settings.CACHES, "shared": ONE_STORE}):
        cache.store().clear()
        cache.forget_local_copies()
        yield
        cache.store().clear()
        cache.forget_local_copies()


def _report(member, title):
    draft = services.save_report(
        actor=member, title=title, content="电梯停运，居民出行困难。", category=Category.values[0]
    )
    return services.submit_report(actor=member, report=draft)


def _home(client, user):
    client.force_login(user)
    return client.get("/").content.decode()


@pytest.mark.req("S0-16")
@pytest.mark.django_db(transaction=True)
def test_a_new_report_reaches_the_clerks_cached_todo_and_the_members_open_cases(client, shared):
    from django.db import connection

    w = build_world()
    page = _home(client, w.staff)
    assert 'data-testid="queue-reports"' not in page and 'data-testid="work-links"' in page
    with CaptureQueriesContext(connection) as first:
        client.get("/")
    cache.forget_local_copies()  # another process: the shared store's copy, not this process's
    with CaptureQueriesContext(connection) as kept:
        again = client.get("/").content.decode()
    assert (
        again.split('data-testid="todo"')[1].split("</section>")[0]
        == page.split('data-testid="todo"')[1].split("</section>")[0]
    )
    assert len(kept.captured_queries) == len(first.captured_queries)  # nothing recomputed
    cache.store().clear()  # nothing kept: the queues are counted again, with more queries
    with CaptureQueriesContext(connection) as counted:
        client.get("/")
    assert len(counted.captured_queries) > len(kept.captured_queries)

    _report(w.member, "小区电梯长期停运")
    page = _home(client, w.staff)
    assert 'data-testid="queue-reports"' in page and '<span class="badge-count">1</span>' in page
    assert "小区电梯长期停运" in _home(client, w.member)  # the member's own open case

    with pytest.raises(RuntimeError), transaction.atomic():
        _report(w.other_member, "回滚的报告")
        raise RuntimeError("rolled back")
    assert '<span class="badge-count">1</span>' in _home(client, w.staff)
    _report(w.other_member, "第二件")
    assert '<span class="badge-count">2</span>' in _home(client, w.staff)


def _fresh(user):
    """The user object of the next request (per-request memos gone)."""
    return type(user).objects.select_related("unit").get(pk=user.pk)


@pytest.mark.req("S0-16")
@pytest.mark.django_db(transaction=True)
def test_roles_and_profiles_kept_between_requests_follow_every_grant_and_revocation(shared):
    from lvzhi.accounts import services as accounts
    from lvzhi.accounts.permissions import active_assignments, has_role
    from lvzhi.accounts.roles import Role
    from lvzhi.accounts.selectors import profiles_of

    w = build_world()
    assert not has_role(_fresh(w.loner), Role.STAFF)
    assert active_assignments(_fresh(w.loner)) == active_assignments(_fresh(w.loner))  # kept now
    cache._forget_versions()  # the next request
    grant = accounts.grant_role(actor=None, user=w.loner, role=Role.STAFF, unit=w.econ)
    cache._forget_versions()
    assert has_role(_fresh(w.loner), Role.STAFF, w.econ)
    with transaction.atomic():  # within the transaction that revokes it, the role is already gone
        accounts.revoke_role(actor=None, assignment=grant)
        assert not has_role(_fresh(w.loner), Role.STAFF)
    cache._forget_versions()
    cache.forget_local_copies()  # another process, reading the shared store
    assert not has_role(_fresh(w.loner), Role.STAFF)
    assert [p.body_id for p in profiles_of(_fresh(w.loner))] == [w.body.pk]
    profile = profiles_of(_fresh(w.loner))[0]
    accounts.end_member_profile(actor=None, profile=profile, reason="离任")
    cache._forget_versions()
    assert [p.is_active for p in profiles_of(_fresh(w.loner))] == [False]


@pytest.mark.req("S0-16")
@pytest.mark.django_db(transaction=True)
def test_the_kept_reports_queue_shows_a_new_report_on_the_next_visit(client, shared):
    w = build_world()
    client.force_login(w.staff)
    assert "小区电梯长期停运" not in client.get("/opinions/queue/").content.decode()
    report = _report(w.member, "小区电梯长期停运")
    page = client.get("/opinions/queue/").content.decode()
    assert "小区电梯长期停运" in page and f"/opinions/{report.pk}/" in page
