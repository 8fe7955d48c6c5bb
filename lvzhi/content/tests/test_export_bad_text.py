"""Finding 1: a register row stored with control characters (before input was cleaned) still exports."""

import io

import pytest
from openpyxl import load_workbook

from lvzhi.content.models import RegisterEntry
from lvzhi.testing import login

from .conftest import publish_article

pytestmark = pytest.mark.django_db


@pytest.mark.req("S2-34", "S0-10")
def test_the_register_export_writes_a_stored_title_with_control_characters(client, world):
    article = publish_article(world, title="第一篇")
    RegisterEntry.objects.filter(article=article).update(title="标题\u0007\u001b[31m", end_reason="=1+2")
    login(client, world.head)
    response = client.get("/content/register/export/")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[13]) for r in rows] == [("标题\\x07\\x1b[31m", "'=1+2")]
