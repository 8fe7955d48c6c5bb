import pytest

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import Level, UnitKind
from lvzhi.testing import make_body, make_unit, make_user


@pytest.fixture
def body():
    return make_body("江海市政协")


@pytest.fixture
def other_body():
    return make_body("西山县政协", level=Level.COUNTY)


@pytest.fixture
def office(body):
    return make_unit(body, "信息化办", kind=UnitKind.OFFICE, function="info_office")


@pytest.fixture
def member(body):
    return make_user(body, roles=[Role.MEMBER], real_name="王委员", id_card="110101199003071234")


@pytest.fixture
def info_officer(body, office):
    return make_user(office, roles=[(Role.INFO_OFFICE, body, True)], real_name="李信息")


@pytest.fixture
def leader(body):
    return make_user(body, roles=[Role.LEADER], real_name="赵主席")


def api_login(client, user, password=None, device="测试手机"):
    from lvzhi.testing import PASSWORD

    response = client.post(
        "/api/v1/auth/token",
        {"phone": user.phone, "password": password or PASSWORD, "device": device},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
