"""My reports, the staff queue, statistics and Excel exports: right rows, right order, constant query counts."""

import datetime as dt
import io

import pytest
from django.db import reset_queries
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.opinions import services
from lvzhi.opinions.models import Report
from lvzhi.testing import login

from .conftest import submit

S = Report.Status


def _cases(w, n, *, member=None, category="sudden_problem"):
    return [submit(w, member, title=f"第{i}件社情民意", category=category) for i in range(n)]


@pytest.mark.req("S0-16.3", "S0-5.4")
def test_my_reports_lists_status_and_query_count_is_constant(client, w, django_assert_max_num_queries):
    first = submit(w, co=[w.co])
    services.forward_to_hotline(actor=w.staff, report=first)
    services.create_report(actor=w.member, title="草稿一", content="", category="")
    login(client, w.member)
    reset_queries()
    with django_assert_max_num_queries(30) as few:
        page = client.get("/opinions/")
    n_first = len(few.captured_queries)
    text = page.content.decode()
    assert first.title in text and 'data-status="at_hotline"' in text and "草稿一" not in text
    _cases(w, 25)
    reset_queries()
    with django_assert_max_num_queries(n_first):
        page = client.get("/opinions/")
    assert page.content.decode().count('data-status="') == 20
    assert "草稿一" in client.get("/opinions/?tab=drafts").content.decode()
    assert client.get("/opinions/?tab=bogus&page=zz").status_code == 200
    client.logout()
    login(client, w.co)
    assert first.title in client.get("/opinions/?tab=co").content.decode()
    api = client.get("/api/v1/opinions/mine?tab=co").json()
    assert api["count"] == 1 and api["items"][0]["id"] == first.pk


@pytest.mark.req("S0-16", "S0-16.1")
def test_the_queue_puts_overdue_and_due_soon_first_with_constant_queries(client, w, django_assert_max_num_queries):
    with freeze_time("2026-06-01T09:00:00+08:00"):
        old = submit(w, title="最早的一件")
    with freeze_time("2026-06-05T09:00:00+08:00"):
        newer = _cases(w, 3)
        services.forward_to_hotline(actor=w.staff, report=newer[0])
    submit(w, w.co, title="社法委的件")  # another committee's report
    with freeze_time("2026-06-05T10:00:00+08:00"):
        login(client, w.staff)
        reset_queries()
        with django_assert_max_num_queries(30) as few:
            page = client.get("/opinions/queue/")
        first = len(few.captured_queries)
        text = page.content.decode()
        assert text.index(old.title) < min(text.index(f"/opinions/{r.pk}/") for r in newer)
        assert "tag bad" in text and "社法委的件" not in text
        _cases(w, 30)
        reset_queries()
        with django_assert_max_num_queries(first):
            page = client.get("/opinions/queue/")
        assert page.status_code == 200 and page.content.decode().count("data-status=") == 20
        reset_queries()
        with django_assert_max_num_queries(first):
            assert client.get("/opinions/queue/?page=2&state=all&category=sudden_problem&q=第").status_code == 200
        assert client.get("/opinions/queue/?state=nope&status=nope&date_from=x&committee=y").status_code == 200
        # the hotline sees what was forwarded to it
        client.logout()
        login(client, w.hotline)
        text = client.get("/opinions/queue/").content.decode()
        assert f"/opinions/{newer[0].pk}/" in text and old.title not in text
        # the leader sees the whole body's reports, including the other committee's
        client.logout()
        login(client, w.leader)
        text = client.get("/opinions/queue/?state=all").content.decode()
        assert "page=2" in text


@pytest.mark.req("S0-16")
def test_the_filtered_queue_exports_to_excel_and_the_export_is_audited(client, w):
    reports = _cases(w, 3)
    services.forward_to_hotline(actor=w.staff, report=reports[0])
    submit(w, title='=HYPERLINK("http://x")', category="economy")
    login(client, w.staff)
    response = client.get("/opinions/queue/export.xlsx?state=all&category=sudden_problem")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    assert {r[1] for r in rows[1:]} == {r.title for r in reports}
    everything = load_workbook(io.BytesIO(client.get("/opinions/queue/export.xlsx?state=all").content)).active
    titles = [r[1] for r in everything.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://x")' in titles  # a formula is defused
    event = AuditEvent.objects.filter(event="opinions.report.export").latest("id")
    assert event.actor == w.staff and event.after["count"] == 4
    assert client.get("/api/v1/opinions/queue.xlsx?state=all").status_code == 200


@pytest.mark.req("S0-16", "S0-16.1", "S0-16.3")
def test_statistics_per_committee_and_period_with_aggregate_queries(client, w, django_assert_max_num_queries):
    with freeze_time("2026-03-02T09:00:00+08:00"):  # Monday
        a, b, c = _cases(w, 3)
        d = submit(w, w.loner)
        submit(w, w.co, category="culture")
    with freeze_time("2026-03-03T10:00:00+08:00"):
        a = services.forward_to_hotline(actor=w.staff, report=a)
        b = services.handle_in_committee(actor=w.staff, report=b)
    with freeze_time("2026-03-06T10:00:00+08:00"):
        c = services.forward_to_hotline(actor=w.staff, report=c)  # late
        a = services.report_hotline_result(actor=w.hotline, report=a, result="已办")
    with freeze_time("2026-03-09T10:00:00+08:00"):
        a = services.answer_member(actor=w.staff, report=a, answer="已办")
        b = services.answer_member(actor=w.staff, report=b, answer="已办")
        services.rate_report(actor=w.member, report=a, level="satisfied")
        services.rate_report(actor=w.member, report=b, level="unsatisfied", comment="没解决")
    with freeze_time("2026-03-31T10:00:00+08:00"):
        login(client, w.leader)
        reset_queries()
        with django_assert_max_num_queries(25) as few:
            page = client.get("/opinions/statistics/?date_from=2026-03-01&date_to=2026-03-31")
        first = len(few.captured_queries)
        assert page.status_code == 200
        api = client.get("/api/v1/opinions/statistics?date_from=2026-03-01&date_to=2026-03-31").json()
        rows = {r["committee"]["name"]: r for r in api["rows"]}
        econ = rows["经济委员会"]
        assert econ["received"] == 3 and econ["forwarded"] == 2 and econ["forwarded_on_time"] == 1
        assert econ["handled"] == 2 and econ["closed"] == 1
        assert econ["avg_route"] == 1.0 and econ["avg_total"] == 5.0  # Mon 2 → Mon 9 March: 5 working days
        assert econ["rated"] == 2 and econ["satisfied"] == 1 and econ["unsatisfied"] == 1
        assert econ["overdue"] >= 1  # c: the hotline's 15 days are not up, but b's new round is overdue
        assert rows["委员联络委员会"]["received"] == 1 and rows["社会和法制委员会"]["received"] == 1
        # more data, same number of queries
        _cases(w, 10)
        reset_queries()
        with django_assert_max_num_queries(first):
            client.get("/opinions/statistics/?date_from=2026-03-01&date_to=2026-03-31")
        xlsx = client.get("/opinions/statistics/export.xlsx?date_from=2026-03-01&date_to=2026-03-31")
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert any(row[0] == "经济委员会" and row[1] == 13 for row in sheet.iter_rows(values_only=True))
        # a committee office sees its own committee only; the other body's leader nothing of this one
        client.logout()
        login(client, w.social_staff)
        names = [r["committee"]["name"] for r in client.get("/api/v1/opinions/statistics").json()["rows"]]
        assert names == ["社会和法制委员会"]
        client.logout()
        login(client, w.leader_b2)
        names = [r["committee"]["name"] for r in client.get("/api/v1/opinions/statistics").json()["rows"]]
        assert "经济委员会" in names and all(
            r["received"] == 0
            for r in client.get("/api/v1/opinions/statistics?date_from=2026-03-01&date_to=2026-03-31").json()["rows"]
        )
    assert d.committee == w.liaison
    assert timezone.now() > dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.req("S0-16")
def test_the_transferring_office_follows_what_it_transferred(client, w):
    report = submit(w, category="politics_law", title="社区矫正工作建议")
    services.transfer_report(actor=w.staff, report=report, to_committee=w.social, reason="属社法委业务范围")
    login(client, w.staff)
    assert "社区矫正工作建议" not in client.get("/opinions/queue/").content.decode()
    assert "社区矫正工作建议" in client.get("/opinions/queue/?state=transferred").content.decode()
    assert client.get(f"/opinions/{report.pk}/").status_code == 200
    client.logout()
    login(client, w.social_staff)
    assert "社区矫正工作建议" in client.get("/opinions/queue/").content.decode()
    assert "社区矫正工作建议" not in client.get("/opinions/queue/?state=transferred").content.decode()
