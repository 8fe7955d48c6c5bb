"""S0-18: the monthly digest per committee, made by `lvzhi tick` on the first working day of the month, once."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.core.tick import run_tick
from lvzhi.opinions import services
from lvzhi.opinions.digest import first_working_day, run_monthly_digests
from lvzhi.opinions.models import MonthlyDigest
from lvzhi.testing import login, make_unit

from .conftest import submit


def aware(y, m, d, hh=0, mm=0):
    return timezone.make_aware(dt.datetime(y, m, d, hh, mm))


def september(w):
    with freeze_time("2026-09-07T09:00:00+08:00"):
        a = submit(w, title="红绿灯损坏")
        b = submit(w, title="营商环境建议", category="economy")
        submit(w, w.loner, title="无专委会委员的件")
        a = services.forward_to_hotline(actor=w.staff, report=a)
        b = services.handle_in_committee(actor=w.staff, report=b)
        services.set_notable(actor=w.staff, report=b, notable=True)
    with freeze_time("2026-09-10T09:00:00+08:00"):
        a = services.report_hotline_result(actor=w.hotline, report=a, result="已修复信号灯。")
        a = services.answer_member(actor=w.staff, report=a, answer="信号灯已修复。")
        b = services.answer_member(actor=w.staff, report=b, answer="建议已报市发改委。")
        services.rate_report(actor=w.member, report=a, level="satisfied")
    return a, b


@pytest.mark.req("S0-18")
def test_first_working_day_after_a_holiday(db):
    assert first_working_day(2026, 10) == dt.date(2026, 10, 8)  # National Day
    assert first_working_day(2026, 11) == dt.date(2026, 11, 2)  # 1 Nov 2026 is a Sunday
    assert first_working_day(2026, 6) == dt.date(2026, 6, 1)


@pytest.mark.req("S0-18")
def test_the_digest_is_made_once_per_committee_and_month_as_a_draft_article(client, w):
    make_unit(w.body, "办公厅", function="general_office")
    a, b = september(w)
    assert run_monthly_digests(aware(2026, 10, 1, 9)) == 0  # a holiday, not yet the first working day
    assert run_monthly_digests(aware(2026, 10, 7, 23)) == 0
    assert not MonthlyDigest.objects.exists()
    result = run_tick(aware(2026, 10, 8, 0, 1), only=["opinions.monthly_digest"])
    assert result["opinions.monthly_digest"] == 2
    assert run_tick(aware(2026, 10, 8, 0, 2), only=["opinions.monthly_digest"])["opinions.monthly_digest"] == 0
    assert run_monthly_digests(aware(2026, 10, 20, 9)) == 0
    assert MonthlyDigest.objects.count() == 2
    digest = MonthlyDigest.objects.get(committee=w.econ)
    _assert_the_september_figures(digest, notable=b)
    liaison = MonthlyDigest.objects.get(committee=w.liaison)
    assert liaison.data["received"] == 1

    from lvzhi.content.models import Article

    article = Article.objects.get(pk=digest.article_id)
    assert article.column.code == "work_info" and article.column.body == w.body
    assert article.status == Article.Status.DRAFT and w.econ.name in article.title
    assert AuditEvent.objects.filter(event="opinions.digest.create").count() == 2

    _the_workbook_is_for_its_office_and_the_leader(client, w, digest, liaison)


def _assert_the_september_figures(digest, *, notable):
    """The economy committee's September: two received and answered, one forwarded, one notable report."""
    assert digest.month == dt.date(2026, 9, 1)
    data = digest.data
    assert data["received"] == 2 and data["answered"] == 2 and data["forwarded"] == 1
    assert data["categories"] == {"economy": 1, "sudden_problem": 1}
    assert data["ratings"] == {"satisfied": 1}
    assert [n["id"] for n in data["notable"]] == [notable.pk] and data["notable"][0]["handling"] == "建议已报市发改委。"


def _the_workbook_is_for_its_office_and_the_leader(client, w, digest, liaison):
    """The office lists and downloads its own committee's digest (not another's); the leader reads every one."""
    login(client, w.staff)
    page = client.get("/opinions/digests/").content.decode()
    assert f"/opinions/digests/{digest.pk}.xlsx" in page and f"/opinions/digests/{liaison.pk}.xlsx" not in page
    response = client.get(f"/opinions/digests/{digest.pk}.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert w.econ.name in book["摘要" if "摘要" in book.sheetnames else book.sheetnames[0]]["A1"].value
    notable = book[book.sheetnames[-1]]
    assert [r[1] for r in notable.iter_rows(min_row=2, values_only=True)] == ["营商环境建议"]
    assert client.get(f"/opinions/digests/{liaison.pk}.xlsx").status_code == 404
    client.logout()
    login(client, w.leader)
    assert client.get(f"/opinions/digests/{liaison.pk}.xlsx").status_code == 200
    client.logout()
    login(client, w.member)
    assert client.get(f"/opinions/digests/{digest.pk}.xlsx").status_code == 404


@pytest.mark.req("S0-18")
def test_without_a_column_the_digest_is_kept_and_the_article_retried(w, monkeypatch):
    september(w)
    from lvzhi.opinions import digest as digest_module

    monkeypatch.setattr(digest_module, "_work_info_column", lambda body: None)
    assert run_monthly_digests(aware(2026, 10, 8, 9)) == 2
    digest = MonthlyDigest.objects.get(committee=w.econ)
    assert digest.article_id is None and "work-information" in digest.article_error
    monkeypatch.undo()
    make_unit(w.body, "办公厅", function="general_office")
    assert run_monthly_digests(aware(2026, 10, 8, 9, 1)) == 0
    digest.refresh_from_db()
    assert digest.article_id is not None and digest.article_error == ""
