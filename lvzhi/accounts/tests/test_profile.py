import pytest
from django.db import connection

from lvzhi.accounts import services
from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import login, make_unit, make_user

pytestmark = pytest.mark.django_db

ID = "110101199003071234"


@pytest.mark.req("S2-34", "S0-26")
def test_the_profile_shows_masked_data_roles_member_profile_and_links(client, body, member, info_officer):
    committee = make_unit(body, "提案委员会", kind=UnitKind.COMMITTEE)
    sector = make_unit(body, "经济界", kind=UnitKind.SECTOR)
    services.set_member_profile(actor=info_officer, user=member, body=body, sector=sector, committee=committee)
    login(client, member)
    page = client.get("/accounts/profile/").content.decode()
    assert "王委员" in page
    assert member.masked_phone in page and member.phone not in page
    assert "1101**********1234" in page and ID not in page
    assert "提案委员会" in page and "经济界" in page and body.name in page
    assert "/accounts/data-change/new/" in page and "/accounts/password/change/" in page
    full = client.get("/accounts/profile/?show=id").content.decode()
    assert ID in full  # the owner may see their own number in full, on request


@pytest.mark.req("S2-34", "S3-14")
def test_the_id_card_is_encrypted_at_rest(member):
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_card, phone FROM accounts_user WHERE id = %s", [member.pk])
        raw, phone = cursor.fetchone()
    assert ID not in raw and "1234" not in raw.split(":", 1)[0]
    assert raw.startswith("sm4g1:")
    assert phone == member.phone
    assert User.objects.get(pk=member.pk).id_card == ID


@pytest.mark.req("S2-34")
def test_nobody_else_sees_a_full_id_card_by_default(body, member, info_officer):
    from lvzhi.accounts.permissions import may_see_identity

    other = make_user(body, roles=[Role.STAFF])
    admin_unit = make_unit(body, "机房")
    secadmin = make_user(admin_unit, roles=[(Role.SECADMIN, body, True)])
    assert may_see_identity(member, member)
    assert may_see_identity(info_officer, member)
    assert not may_see_identity(other, member)
    assert not may_see_identity(secadmin, member)


@pytest.mark.req("S2-34")
def test_the_profile_needs_a_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.req("S2-34")
def test_profile_query_count_is_bounded(client, body, member, django_assert_max_num_queries):
    from .conftest import api_login

    login(client, member)
    client.get("/accounts/profile/")
    with django_assert_max_num_queries(20) as small:
        client.get("/accounts/profile/")
    count = len(small.captured_queries)
    for i in range(10):
        api_login(client, member, device=f"设备{i}")
    for unit_name in ("一组", "二组", "三组"):
        services.grant_role(actor=None, user=member, role=Role.STAFF, unit=make_unit(body, unit_name))
    with django_assert_max_num_queries(count):
        assert client.get("/accounts/profile/").status_code == 200
