"""Finding 1: an item stored with control characters in its title (before input was cleaned) still exports."""

import io

import pytest
from openpyxl import load_workbook

from lvzhi.proposals.models import Proposal

from .conftest import replied
from .helpers import client_for

pytestmark = pytest.mark.django_db
BAD = "标题\u0007\u001b[31m"


@pytest.mark.req("S2-34", "S2-22")
def test_the_annual_report_writes_a_stored_title_with_control_characters(w):
    p = replied(w, classification="A")
    Proposal.objects.filter(pk=p.pk).update(title=BAD)
    response = client_for(w.clerk).get(f"/proposals/office/export.xlsx?body={w.congress.pk}&year={p.year}")
    assert response.status_code == 200
    items = load_workbook(io.BytesIO(response.content)).worksheets[1]
    titles = [r[2] for r in items.iter_rows(min_row=2, values_only=True)]
    assert titles == ["标题\\x07\\x1b[31m"]
