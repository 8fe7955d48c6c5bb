"""待办 on the home page: counts per queue with the nearest time limit (overdue in red), and a member's own cases
as 还剩 / 已超期 N 个工作日 — with a query count that does not grow with the queues."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.opinions import services
from lvzhi.opinions.models import Category
from lvzhi.opinions.tests.conftest import build_world

pytestmark = pytest.mark.django_db


def _report(w, member, title):
    draft = services.save_report(
        actor=member, title=title, content="电梯停运，居民出行困难。", category=Category.values[0]
    )
    return services.submit_report(actor=member, report=draft)


@pytest.mark.req("S0-16.1", "S0-16")
def test_the_clerk_sees_the_queue_count_and_the_member_the_working_days_left_then_overdue(
    client, django_assert_max_num_queries
):
    # Monday 2026-11-02 10:00 (Beijing): a report has 2 working days to be passed on (ends 24:00 Wednesday)
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))):
        w = build_world()
        _report(w, w.member, "小区电梯长期停运")
        client.force_login(w.staff)
        page = client.get("/").content.decode()
        assert 'data-testid="queue-reports"' in page and "社情民意办理" in page
        assert '<span class="badge-count">1</span>' in page
        queue = page.split('data-testid="queue-reports"')[1][:400]
        assert "最近时限 还剩 3 个工作日" in queue and "overdue" not in queue  # Monday, Tuesday, Wednesday
        client.force_login(w.member)
        page = client.get("/").content.decode()
        assert "还剩 3 个工作日" in page  # Monday, Tuesday, Wednesday
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 6, 9, 0))):  # Friday
        client.force_login(w.member)
        assert "已超期 2 个工作日" in client.get("/").content.decode()  # Thursday and Friday
        client.force_login(w.staff)
        page = client.get("/").content.decode()
        assert 'class="meta overdue"' in page and "已超期" in page
        client.get("/")
        with django_assert_max_num_queries(40) as few:
            client.get("/")
        for i in range(5):
            _report(w, w.other_member, f"第{i}件")
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get("/").content.decode()
        assert '<span class="badge-count">6</span>' in page


@pytest.mark.req("S0-16")
def test_a_member_with_nothing_open_is_told_nothing_waits(client):
    w = build_world()
    client.force_login(w.co)
    page = client.get("/todo/").content.decode()
    assert "暂无待办事项。" in page
