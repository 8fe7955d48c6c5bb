"""Excel export of the proposals office's list (issue 10 item 13): the office's own items with the list's filters,
cells never formulas, audited, by POST, a bounded number of queries (S4-2.2.4)."""

import io

import pytest
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.proposals.models import Kind
from lvzhi.testing import login

from .conftest import submitted

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[list]:
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.mark.req("S4-2.2.4")
def test_the_office_list_exports_with_its_filters_and_is_audited(client, w, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    submitted(w, title="关于加快老旧小区改造的建议")
    submitted(w, title="=1+2 关于公交的建议")
    submitted(w, kind=Kind.PROPOSAL, body=w.cppcc, proposer=w.member, title="政协的提案", category="社会建设")
    login(client, w.clerk)
    page = client.get("/proposals/office/", {"state": "review", "q": "老旧"}).content.decode()
    export_form = page.split('data-testid="office-export"')[1].split("</form>")[0]
    assert 'name="state" value="review"' in export_form and 'name="q" value="老旧"' in export_form
    assert client.get("/proposals/office/export/?state=review").status_code == 405
    rows = rows_of(client.post("/proposals/office/export/", {"state": "review"}))
    assert rows[0][2] == "标题" and rows[0][1] == "类型"
    titles = [r[2] for r in rows[1:]]
    assert sorted(titles) == sorted(["关于加快老旧小区改造的建议", "'=1+2 关于公交的建议"])  # not the CPPCC's item
    assert (
        rows_of(client.post("/proposals/office/export/", {"state": "review", "q": "老旧"}))[1][2]
        == "关于加快老旧小区改造的建议"
    )
    assert len(rows_of(client.post("/proposals/office/export/", {"state": "closed"}))) == 1  # the header only
    event = AuditEvent.objects.filter(event="proposals.office.export").latest("pk")
    assert event.actor == w.clerk and event.after["rows"] == 0 and event.after["filters"]["state"] == "closed"
    # not an office: not found, nothing audited
    login(client, w.deputy)
    assert client.post("/proposals/office/export/").status_code == 404
    assert AuditEvent.objects.filter(event="proposals.office.export").count() == 3


@pytest.mark.req("S4-2.2.4")
def test_the_export_takes_the_same_queries_for_3_or_30_items(client, w, django_assert_max_num_queries):
    for i in range(3):
        submitted(w, title=f"关于第{i}件事的建议")
    login(client, w.clerk)
    with django_assert_max_num_queries(30) as few:
        assert len(rows_of(client.post("/proposals/office/export/", {"state": "all"}))) == 4
    for i in range(3, 30):
        submitted(w, title=f"关于第{i}件事的建议")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(rows_of(client.post("/proposals/office/export/", {"state": "all"}))) == 31
