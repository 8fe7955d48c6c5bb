"""Excel export of the back office's user list (issue 10 item 13): masked personal data, the list's filters, the
users the actor may manage only, audited, by POST, a bounded number of queries (S0-2, S4-2.1.1)."""

import io

import pytest
from openpyxl import load_workbook

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.testing import login, make_user

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.req("S0-2", "S4-2.1.1")
def test_the_user_list_exports_masked_filtered_and_audited(client, world, chinese):
    make_user(world.research, roles=[Role.STAFF], real_name="=HYPERLINK(1)")
    login(client, world.users["info_in"])
    page = client.get("/office/users/", {"q": "陈"}).content.decode()
    assert 'action="/office/users/export/?q=%E9%99%88"' in page
    assert client.get("/office/users/export/").status_code == 405  # an audited export is not a GET
    assert not AuditEvent.objects.filter(event="backoffice.users.export").exists()
    rows = rows_of(client.post("/office/users/export/"))
    assert rows[0] == ["真实姓名", "手机号", "身份证号码", "单位", "机关", "角色", "状态"]
    names = {r[0] for r in rows[1:]}
    assert "陈研究" in names and "王委员" in names and "韩外人" not in names  # another body's user is not listed
    staff = next(r for r in rows if r[0] == "陈研究")
    assert world.staff.phone not in staff and "110101198501011234" not in staff
    assert staff[1] == world.staff.masked_phone and staff[2] == world.staff.masked_id_card and "*" in staff[2]
    assert "'=HYPERLINK(1)" in names  # never a formula
    filtered = rows_of(client.post("/office/users/export/?q=%E9%99%88"))
    assert [r[0] for r in filtered[1:]] == ["陈研究"]
    event = AuditEvent.objects.filter(event="backoffice.users.export").latest("pk")
    assert event.actor == world.users["info_in"] and event.after["rows"] == 1 and event.after["filters"]["q"] is True
    assert "陈" not in str(event.after)  # the search text is not stored


@pytest.mark.req("S0-2")
@pytest.mark.parametrize("role", ["anonymous", "member", "auditadmin"])
def test_who_may_not_list_users_may_not_export_them(client, world, as_role, role):
    as_role(role)
    response = client.post("/office/users/export/")
    assert response.status_code in (302, 404)
    assert b"PK" not in response.content[:2]
    assert not AuditEvent.objects.filter(event="backoffice.users.export").exists()


@pytest.mark.req("S0-2")
def test_the_export_takes_the_same_queries_for_5_or_50_users(client, world, django_assert_max_num_queries):
    def users(start, stop):
        for i in range(start, stop):
            make_user(world.research, roles=[Role.STAFF, (Role.MEMBER, world.city)], real_name=f"用户{i:02d}")

    users(0, 5)
    login(client, world.users["info_in"])
    with django_assert_max_num_queries(30) as few:
        assert len(rows_of(client.post("/office/users/export/"))) >= 6
    users(5, 50)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows_of(client.post("/office/users/export/"))) >= 51
