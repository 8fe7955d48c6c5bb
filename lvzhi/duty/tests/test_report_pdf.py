"""The annual duty report as a PDF (S3-10, S3-12, S3-13): a real PDF with the member's name, total and records;
the member downloads their own, an office a member it may see; nobody else's (404); each export audited."""

import io

import pytest
from freezegun import freeze_time
from pypdf import PdfReader

from lvzhi.audit.models import AuditEvent
from lvzhi.duty import selectors
from lvzhi.duty.report_pdf import member_report_pdf
from lvzhi.testing import login

from .helpers import counted


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def year_with_points(w):
    with freeze_time("2026-06-11 10:00:00+08:00"):
        counted(w, title="全体委员会议")  # 2
        counted(w, outcome="late", title="常委会议")  # 1
        counted(w, member=w.m2, outcome="absent", title="常委会议")  # -2
    return w


@pytest.mark.req("S3-12", "S3-13")
@freeze_time("2026-06-12 10:00:00+08:00")
def test_the_report_is_a_pdf_with_the_members_name_total_and_records(year_with_points):
    w = year_with_points
    data = selectors.my_year(w.m1, w.body, 2026)
    content = member_report_pdf(member=w.m1, body=w.body, year=2026, data=data)
    assert content.startswith(b"%PDF-") and b"STSong-Light" in content
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 1 and reader.metadata.subject == "金文博"
    text = _text(content)
    assert "金文博" in text and "江海市政协" in text
    assert "2026年度委员履职报告" in text
    assert "全体委员会议" in text and "常委会议" in text
    assert "合计（按封顶计）\n2\n3" in text  # two counted records, 3 points
    assert "第1名（共2人）" in text  # m1 (3) ahead of m2 (-2)


@pytest.mark.req("S3-10")
@freeze_time("2026-06-12 10:00:00+08:00")
def test_a_member_downloads_their_own_report_and_an_office_one_it_may_see(year_with_points, client):
    w = year_with_points
    login(client, w.m1)
    mine = client.get("/duty/report.pdf?year=2026")
    assert mine.status_code == 200 and mine["Content-Type"] == "application/pdf"
    assert "attachment" in mine["Content-Disposition"]
    assert "金文博" in _text(mine.content) and "魏静怡" not in _text(mine.content)
    assert "duty:my_report" not in client.get("/duty/").content.decode()
    assert "/duty/report.pdf?year=2026" in client.get("/duty/?year=2026").content.decode()
    assert client.get(f"/duty/members/{w.m2.pk}/report.pdf?year=2026").status_code == 404  # a member: no office
    login(client, w.econ_staff)  # the member's committee
    office = client.get(f"/duty/members/{w.m2.pk}/report.pdf?year=2026")
    assert office.status_code == 200 and "魏静怡" in _text(office.content)
    audit = AuditEvent.objects.filter(event="duty.report.export").order_by("pk")
    assert [(a.after["member"], a.after["own"]) for a in audit] == [(w.m1.pk, True), (w.m2.pk, False)]
    assert all("金文博" not in str(a.after) for a in audit)  # references, no content


@pytest.mark.req("S3-10")
@freeze_time("2026-06-12 10:00:00+08:00")
@pytest.mark.parametrize("who", ["social_staff", "staff_b2", "leader_b2", "member_b2", "m3"])
def test_nobody_else_gets_a_members_report(year_with_points, client, who):
    w = year_with_points
    login(client, getattr(w, who))
    assert client.get(f"/duty/members/{w.m2.pk}/report.pdf?year=2026").status_code == 404
    assert client.get(f"/duty/members/{w.m2.pk}/report.pdf?year=abc").status_code == 404
    assert not AuditEvent.objects.filter(event="duty.report.export").exists()
