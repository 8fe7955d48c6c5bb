"""The self-inspection report's days: a returned report runs a new deadline in working days from the return
(National Day skipped), the list marks overdue reports, a late report shows its due day and how late it came."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import ValidationFailed
from lvzhi.core.timeutil import start_of_day
from lvzhi.inspections import present, services
from lvzhi.inspections.models import SelfInspection
from lvzhi.inspections.workflows import REPORT, REVISE
from lvzhi.orgs import services as org_services
from lvzhi.testing import login
from lvzhi.workdays import calendar
from lvzhi.workflow.models import Deadline
from lvzhi.workflow.selectors import deadline_of

pytestmark = pytest.mark.django_db


def _open_q2(w):
    with freeze_time("2026-07-01T09:00:00+08:00"):
        services.open_quarter(office=w.body, year=2026, quarter=2)
    return (
        SelfInspection.objects.get(unit=w.housing, year=2026, quarter=2),
        SelfInspection.objects.get(unit=w.edu, year=2026, quarter=2),
    )


@pytest.mark.req("S1-5.3")
def test_a_returned_report_gets_a_new_deadline_in_working_days_from_the_return_across_national_day(w):
    report, _edu = _open_q2(w)
    assert report.due_on == dt.date(2026, 7, 7)  # 5 working days after 30 June
    with freeze_time("2026-07-07T16:00:00+08:00"):
        report = services.submit_report(actor=w.op, report=report)
    assert report.on_time is True and report.late_days == 0
    with freeze_time("2026-09-29T10:00:00+08:00"):  # returned on Tuesday before the National Day holiday
        report = services.review_report(actor=w.office, report=report, accept=False, note="补充错链整改情况")
    revise = deadline_of(report, REVISE)
    # 30 Sep (1), 1–7 Oct holiday, 8 Oct (2), 9 Oct (3), Saturday 10 Oct a working day (4), 12 Oct (5)
    expected = calendar.due_date(calendar.add_working_days(start_of_day(dt.date(2026, 9, 29)), 5))
    assert calendar.due_date(revise.due_at) == expected == dt.date(2026, 10, 12)
    assert revise.met_at is None and report.next_due_at == revise.due_at
    assert Deadline.objects.filter(object_id=report.pk, kind="review", met_at__isnull=True).count() == 0
    assert present.self_dict(report)["revise_due_on"] == "2026-10-12"
    assert present.self_dict(report)["due_on"] == "2026-07-07"  # the quarterly deadline stays what it was
    with freeze_time("2026-10-12T23:00:00+08:00"):
        assert present.self_dates(report)["overdue"] is False
    with freeze_time("2026-10-13T09:00:00+08:00"):
        assert present.self_dates(report)["overdue"] is True
        report = services.submit_report(actor=w.op, report=report, text="第二季度自查（修改稿）")
    revise.refresh_from_db()
    assert revise.met_at is not None and report.status == "submitted"
    assert report.on_time is True and report.late_days == 0  # the quarterly judgement is the first submission's
    event = AuditEvent.objects.filter(event="inspections.self.submit").order_by("-pk").first()
    assert event.after["revision"] is True and event.after["late_days"] == 1 and event.after["on_time"] is False
    # a review deadline runs again, the revision's is closed
    assert present.self_dict(report)["review_due_on"] and present.self_dict(report)["revise_due_on"] is None


@pytest.mark.req("S1-5.3")
def test_a_body_sets_the_revision_days_within_the_ceiling(w):
    org_services.set_body_setting(actor=None, body=w.body, key="inspections.revise_working_days", value=2)
    with pytest.raises(ValidationFailed):
        org_services.set_body_setting(actor=None, body=w.body, key="inspections.revise_working_days", value=11)
    report, _edu = _open_q2(w)
    with freeze_time("2026-07-06T10:00:00+08:00"):
        report = services.submit_report(actor=w.op, report=report)
        report = services.review_report(actor=w.office, report=report, accept=False, note="补充")
    assert calendar.due_date(deadline_of(report, REVISE).due_at) == dt.date(2026, 7, 8)


@pytest.mark.req("S1-5.3")
def test_the_list_marks_overdue_reports_and_a_late_report_shows_its_due_day_and_lateness(client, w):
    report, edu = _open_q2(w)
    login(client, w.office)
    with freeze_time("2026-07-07T20:00:00+08:00"):
        page = client.get("/inspections/").content.decode()
        assert 'data-testid="self-overdue"' not in page and page.count("2026-07-07") == 2
    with freeze_time("2026-07-08T09:00:00+08:00"):
        page = client.get("/inspections/").content.decode()
        assert page.count('data-testid="self-overdue"') == 2  # both units' reports are past their day
    with freeze_time("2026-07-10T09:00:00+08:00"):  # 8, 9 and 10 July: three working days late
        edu = services.submit_report(actor=w.edu_op, report=edu, text="第二季度自查：未发现问题。")
    assert edu.on_time is False and edu.late_days == 3
    assert deadline_of(edu, REPORT).met_at is not None
    with freeze_time("2026-07-10T10:00:00+08:00"):
        page = client.get("/inspections/").content.decode()
        assert page.count('data-testid="self-overdue"') == 1  # 住建局's is still due; 教育局's came, late
        assert "2026-07-10 报送，逾期 3 个工作日" in page
        detail = client.get(f"/inspections/self/{edu.pk}/").content.decode()
    assert 'data-testid="due-on">2026-07-07' in detail
    assert "2026-07-10" in detail and "逾期 3 个工作日" in detail
    review_due = calendar.due_date(edu.next_due_at).isoformat()
    assert f'data-testid="self-review-due">审核期限 {review_due}' in detail  # the office's day, named as such
    assert present.self_dict(edu)["late_days"] == 3 and present.self_dict(edu)["due_on"] == "2026-07-07"
    with freeze_time("2026-07-10T10:00:00+08:00"):
        api = client.get(f"/api/v1/inspections/self/{edu.pk}").json()
        listed = client.get("/api/v1/inspections/self").json()["items"]
    assert api["due_on"] == "2026-07-07" and api["late_days"] == 3 and api["on_time"] is False
    assert api["review_due_on"] == review_due and api["overdue"] is False
    assert [r["overdue"] for r in listed if r["unit_id"] == w.housing.pk] == [True]
    client.logout()
    login(client, w.op)
    with freeze_time("2026-07-10T10:00:00+08:00"):
        mine = client.get("/inspections/").content.decode()
    assert mine.count('data-testid="self-overdue"') == 1 and "市教育局" not in mine
