"""The back office lists every workflow step nobody can take: committees without office staff, handling units
without staff or a head to sign replies off, approval-chain steps with no holder besides the author."""

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.backoffice import services as backoffice_services
from lvzhi.orgs.models import BodyType, Level, UnitKind
from lvzhi.testing import login, make_unit, make_user

pytestmark = pytest.mark.django_db


def world():
    body = backoffice_services.create_unit(
        actor=None, name="江海市政协", kind=UnitKind.BODY, level=Level.CITY, body_type=BodyType.CPPCC
    )
    general = backoffice_services.create_unit(
        actor=None, name="办公厅", kind=UnitKind.OFFICE, parent=body, function="general_office"
    )
    make_unit(body, "委员联络委员会", kind=UnitKind.COMMITTEE, function="liaison_office")
    econ = make_unit(body, "经济委员会", kind=UnitKind.COMMITTEE)
    info = make_unit(body, "信息化办", function="info_office")
    gov = backoffice_services.create_unit(
        actor=None, name="江海市人民政府", kind=UnitKind.BODY, level=Level.CITY, body_type=BodyType.GOVERNMENT
    )
    housing = make_unit(gov, "市住建局", kind=UnitKind.HANDLING_UNIT)
    return body, general, econ, info, gov, housing


@pytest.mark.req("S0-15", "S0-7")
def test_the_staffing_page_names_each_step_nobody_can_take_and_clears_when_staffed(client):
    from lvzhi.accounts import services as account_services

    body, general, econ, info, gov, housing = world()
    officer = make_user(info, roles=[(Role.INFO_OFFICE, body, True)], real_name="孙立华")
    member = make_user(body, roles=[Role.MEMBER])
    account_services.set_member_profile(actor=None, user=member, body=body, committee=econ)
    make_user(general, roles=[Role.STAFF], real_name="周明轩")
    login(client, officer)
    page = client.get("/office/staffing/").content.decode()
    assert "流程人员配备" in page
    assert "经济委员会" in page and "接收并转办社情民意" in page
    # 社情民意 (the general office's column): 周明轩 writes; nobody approves or publishes (general office head)
    assert "社情民意 第2步：处室负责人" in page and "社情民意 第3步：处室负责人" in page
    assert "市住建局" not in page  # another body's units are not the information office's
    make_user(general, roles=[Role.STAFF])
    make_user(general, roles=[Role.HEAD])
    make_user(general, roles=[Role.HEAD])
    page = client.get("/office/staffing/").content.decode()
    assert "社情民意 第2步" not in page and "社情民意 第3步" not in page


@pytest.mark.req("S0-4")
def test_members_and_unit_staff_may_not_see_the_staffing_page(client):
    body, general, econ, info, gov, housing = world()
    for user in (make_user(body, roles=[Role.MEMBER]), make_user(housing, roles=[Role.HANDLING])):
        login(client, user)
        assert client.get("/office/staffing/").status_code == 404


@pytest.mark.req("S0-7")
def test_the_staffing_page_query_count_is_bounded(client, django_assert_max_num_queries):
    body, general, econ, info, gov, housing = world()
    officer = make_user(info, roles=[(Role.INFO_OFFICE, body, True)])
    login(client, officer)
    client.get("/office/staffing/")
    with django_assert_max_num_queries(30) as small:
        client.get("/office/staffing/")
    for i in range(8):
        unit = make_unit(body, f"专委会{i}", kind=UnitKind.COMMITTEE)
        make_user(unit, roles=[Role.STAFF])
        make_user(general, roles=[Role.STAFF])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get("/office/staffing/").status_code == 200
