"""The members' app search finds the bills, suggestions and proposals the user may see — and only those —
grouped by kind, with a "nothing found" that says so."""

import pytest

from lvzhi.testing import login

from .conftest import assigned, draft

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-2", "S4-2.2")
def test_search_finds_the_items_each_user_may_see(client, w, django_assert_max_num_queries):
    assigned(w, title="关于增设电梯的建议")
    draft(w, proposer=w.other_deputy, title="关于电梯维保的建议")
    seen_by = [w.deputy, w.clerk, w.leader, w.lead_staff, w.co_staff]
    for user in seen_by:
        login(client, user)
        page = client.get("/search/", {"q": "电梯"}).content.decode()
        assert 'data-testid="results-proposals"' in page and "关于增设电梯的建议" in page, user.real_name
        assert "关于电梯维保的建议" not in page  # another deputy's draft
    for user in (w.member, w.other_unit, w.county_deputy):
        login(client, user)
        page = client.get("/search/", {"q": "电梯"}).content.decode()
        assert "关于增设电梯的建议" not in page
        assert "没有找到与“电梯”相关的内容。" in page
    login(client, w.other_deputy)
    page = client.get("/search/", {"q": "电梯 维保"}).content.decode()
    assert "关于电梯维保的建议" in page and "关于增设电梯的建议" not in page
    login(client, w.clerk)
    client.get("/search/", {"q": "电梯"})
    with django_assert_max_num_queries(25) as few:
        client.get("/search/", {"q": "电梯"})
    for i in range(6):
        assigned(w, title=f"关于电梯安全第{i}号的建议")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/search/", {"q": "电梯"}).content.decode()
    assert page.count("电梯安全") == 6
