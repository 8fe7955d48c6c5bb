"""Finding 1: an audit row holding control characters (it can never be deleted) does not break the export."""

import io

import pytest
from openpyxl import load_workbook

from lvzhi.accounts.models import User
from lvzhi.audit.services import record
from lvzhi.testing import make_user

pytestmark = pytest.mark.django_db
BAD = "标题\u0007\u001b[31m"


@pytest.mark.req("S2-34", "S2-22")
def test_the_audit_export_writes_a_row_with_control_characters(auditor_client, body):
    user = make_user(body, real_name="某人")
    User.objects.filter(pk=user.pk).update(real_name=BAD)  # stored before input was cleaned at the door
    user.refresh_from_db()
    event = record("test.thing.create", actor=user, obj=user, after={"n": 1})
    assert event.actor_label == BAD
    response = auditor_client.get("/office/audit/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == event.pk)
    assert row[3] == "标题\\x07\\x1b[31m"
