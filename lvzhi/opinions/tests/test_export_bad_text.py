"""Finding 1: a report stored with control characters in its title (before input was cleaned) still exports."""

import io

import pytest
from openpyxl import load_workbook

from lvzhi.opinions.models import Report
from lvzhi.testing import login

from .conftest import submit

pytestmark = pytest.mark.django_db
BAD = "标题\u0007\u001b[31m"


@pytest.mark.req("S2-34", "S2-22")
def test_the_queue_export_writes_a_stored_title_with_control_characters(client, w):
    report = submit(w)
    Report.objects.filter(pk=report.pk).update(title=BAD)
    login(client, w.staff)
    for url in ("/opinions/queue/export.xlsx?state=all", "/api/v1/opinions/queue.xlsx?state=all"):
        response = client.get(url)
        assert response.status_code == 200, url
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
        assert [r[1] for r in rows] == ["标题\\x07\\x1b[31m"]
