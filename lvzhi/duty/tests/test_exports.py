"""The duty workbooks go through `lvzhi.core.xlsx`: a name that a spreadsheet would run as a formula stays text, and a
stored control character never breaks the export."""

import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from lvzhi.duty.exports import analysis_workbook
from lvzhi.duty.models import Kind


@pytest.mark.req("S3-12")
def test_the_analysis_workbook_keeps_formulas_and_control_characters_as_text():
    member = SimpleNamespace(real_name='=HYPERLINK("http://x","点我")')
    odd = SimpleNamespace(real_name="魏\x07静怡")
    analysis = SimpleNamespace(
        year=2026, members=2, average=4.0, maximum=10, minimum=0, last_year_average=1.3, threshold=10,
        below_count=2, distribution=[("0-9", 2)],
        below=[SimpleNamespace(member=member, committee=SimpleNamespace(name="+经济"), total=0),
               SimpleNamespace(member=odd, committee=None, total=3)],
        by_kind=[{"kind": Kind.values[0], "records": 2, "points": None}],
    )  # fmt: skip
    book = load_workbook(io.BytesIO(analysis_workbook(analysis, title="@年度分析")))
    summary, below, kinds = book.worksheets[0], book.worksheets[2], book.worksheets[3]
    assert summary["A1"].value == "'@年度分析" and summary["B2"].value == 2026
    assert below["A2"].value == "'" + member.real_name and below["B2"].value == "'+经济"
    assert below["A3"].value == "魏\\x07静怡" and below["C3"].value == 3
    assert kinds["C2"].value == 0
