"""Finding 1 (at the door): text with control characters is refused where it enters the other apps — accounts,
API token devices, org units, word lists — with a clear 400 JSON and a stable code in the API."""

import json

import pytest
from django.test import Client

from lvzhi.accounts import services as account_services
from lvzhi.accounts.models import ApiToken
from lvzhi.core.errors import ValidationFailed
from lvzhi.testing import PASSWORD, make_body, make_unit, make_user

pytestmark = pytest.mark.django_db
BAD = "标题\u0007\u001b[31m"


@pytest.mark.req("S2-34", "S2-22")
def test_the_api_refuses_a_device_name_with_control_characters(db):
    member = make_user(make_body(), roles=["member"])
    response = Client().post(
        "/api/v1/auth/token",
        data=json.dumps({"phone": member.phone, "password": PASSWORD, "device": BAD}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "device_invalid" and response.json()["message"]
    assert not ApiToken.objects.exists()


@pytest.mark.req("S2-34", "S2-22")
def test_services_of_other_apps_refuse_control_characters(db):
    from lvzhi.screening import services as screening_services

    body = make_body()
    cases = [
        ("real_name_invalid", lambda: make_user(body, real_name=BAD)),
        ("name_invalid", lambda: make_unit(body, name=BAD)),
        ("name_invalid", lambda: screening_services.create_list(actor=None, name=BAD, kind="sensitive")),
    ]
    for code, attempt in cases:
        with pytest.raises(ValidationFailed) as refused:
            attempt()
        assert refused.value.code == code
    assert account_services is not None
