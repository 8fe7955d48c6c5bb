"""待办 for the proposals office: items to review and to assign, each with its nearest time limit in working days."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.proposals.tests.conftest import accepted, submitted, w  # noqa: F401  (w is the proposals world fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.req("S4-2.2.4")
def test_the_proposals_office_sees_items_to_review_and_to_assign_with_the_nearest_limit(client, w):  # noqa: F811
    with freeze_time(timezone.make_aware(dt.datetime(2026, 11, 2, 10, 0))):
        submitted(w, title="关于增设充电桩的建议")
        submitted(w, title="关于加强校园周边交通管理的建议")
        accepted(w, title="关于完善社区养老服务的建议")
        client.force_login(w.clerk)
        page = client.get("/").content.decode()
    review = page.split('data-testid="queue-review"')[1].split("</li>")[0]
    assert "待审查的议案建议提案" in review and '<span class="badge-count">2</span>' in review
    assert "?state=review" in review and "还剩" in review
    assign = page.split('data-testid="queue-assign"')[1].split("</li>")[0]
    assert "待交办的议案建议提案" in assign and '<span class="badge-count">1</span>' in assign
    client.force_login(w.deputy)  # the proposer has no office queue
    assert 'data-testid="queue-review"' not in client.get("/").content.decode()
