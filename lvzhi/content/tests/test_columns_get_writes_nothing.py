"""/content/columns/ writes nothing on a GET (issue 10 item 15): default columns are installed when a body is
created, never as a side effect of looking at the page (S0-5)."""

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.content.models import Column
from lvzhi.orgs.models import UnitFunction
from lvzhi.testing import login, make_body, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.req("S0-5")
def test_looking_at_the_columns_of_a_body_without_columns_installs_nothing(client):
    body = make_body("南湖市政协")  # made without the back office: no columns installed
    info = make_unit(body, "信息化办", function=UnitFunction.INFO_OFFICE)
    officer = make_user(info, roles=[Role.INFO_OFFICE], real_name="冯信息")
    login(client, officer)
    events = AuditEvent.objects.count()
    page = client.get("/content/columns/")
    assert page.status_code == 200 and "南湖市政协" in page.content.decode()
    assert not Column.objects.filter(body=body).exists()
    assert AuditEvent.objects.count() == events
