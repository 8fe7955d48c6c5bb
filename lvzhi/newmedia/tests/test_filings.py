import datetime as dt
import json

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.newmedia import jobs, present, rules, selectors, services
from lvzhi.newmedia.models import Filing, FilingKind, Rejection, Status
from lvzhi.orgs import services as org_services
from lvzhi.orgs.models import BodyType, Level
from lvzhi.testing import make_body
from lvzhi.workflow.models import Deadline

from .conftest import register

pytestmark = pytest.mark.django_db
F = Filing.Status


def _open(w, when="2026-06-08T10:00:00+08:00", **kw):
    with freeze_time(when):
        outlet = register(w, **kw)
        filing = outlet.filings.get()
        services.file_filing(actor=w.op, filing=filing)
        services.accept_filing(actor=w.office, filing=filing)
    outlet.refresh_from_db()
    return outlet


@pytest.mark.req("S1-3.2", "S2-16")
def test_third_working_day_late_under_seed_001_on_time_under_seed_002(w):
    # Decision on Monday 8 June 2026; Tue 9 is the 1st working day, Wed 10 the 2nd, Thu 11 the 3rd.
    with freeze_time("2026-06-08T10:00:00+08:00"):
        outlet = register(w)
    filing = outlet.filings.get()
    assert rules.filing_rule(w.housing) == "S1" and rules.filing_days(w.housing) == 2
    assert filing.file_by == dt.date(2026, 6, 10)
    deadline = Deadline.objects.get(object_id=filing.pk, workflow="newmedia.filing", kind="file")
    assert deadline.last_day == dt.date(2026, 6, 10)
    with freeze_time("2026-06-11T09:00:00+08:00"):
        late = services.file_filing(actor=w.op, filing=filing)
    assert late.on_time is False and late.status == F.FILED
    assert outlet.pk in [o.pk for o in selectors.accountability(w.office)]
    ev = AuditEvent.objects.filter(event="newmedia.filing.file").latest("pk")
    assert ev.after["on_time"] is False


@pytest.mark.req("S1-3.2", "S2-16")
def test_seed_002_body_files_on_the_third_working_day_on_time(w):
    org_services.set_body_setting(actor=None, body=w.body, key=rules.FILING_RULE, value="S2")
    with freeze_time("2026-06-08T10:00:00+08:00"):
        outlet = register(w)
    filing = outlet.filings.get()
    assert filing.file_by == dt.date(2026, 6, 17)  # 7 working days after Monday 8 June
    with freeze_time("2026-06-11T09:00:00+08:00"):
        filed = services.file_filing(actor=w.op, filing=filing)
    assert filed.on_time is True
    assert outlet.pk not in [o.pk for o in selectors.accountability(w.office)]


@pytest.mark.req("S1-3.2", "S2-16")
def test_a_body_may_tighten_never_relax_its_seed(w):
    from lvzhi.core.errors import ValidationFailed as VF

    with pytest.raises(VF):
        org_services.set_body_setting(actor=None, body=w.body, key=rules.FILING_DAYS, value=8)
    org_services.set_body_setting(actor=None, body=w.body, key=rules.FILING_DAYS, value=7)
    assert rules.filing_days(w.housing) == 2  # seed 001's body: still 2 (its ceiling)
    org_services.set_body_setting(actor=None, body=w.body, key=rules.FILING_RULE, value="S2")
    assert rules.filing_days(w.housing) == 7
    org_services.set_body_setting(actor=None, body=w.body, key=rules.FILING_DAYS, value=3)
    assert rules.filing_days(w.housing) == 3
    # a body below a seed-001 body cannot adopt seed 002: the strictest rule along the chain applies
    org_services.set_body_setting(actor=None, body=w.body, key=rules.FILING_RULE, value="S1")
    county = make_body("江海市东湖区人民政府", body_type=BodyType.GOVERNMENT, level=Level.COUNTY, parent=w.body)
    org_services.set_body_setting(actor=None, body=county, key=rules.FILING_RULE, value="S2")
    assert rules.filing_rule(county) == "S1" and rules.filing_days(county) == 2


@pytest.mark.req("S1-3.2", "S2-16")
def test_reject_in_writing_refile_accept_report(w):
    with freeze_time("2026-06-08T10:00:00+08:00"):
        outlet = register(w)
        filing = services.file_filing(actor=w.op, filing=outlet.filings.get())
        with pytest.raises(ValidationFailed) as exc:
            services.reject_filing(actor=w.office, filing=filing, reasons="不行")
        assert exc.value.code == "reasons_too_short"
        with pytest.raises(PermissionDenied):
            services.reject_filing(actor=w.op, filing=filing, reasons="认证主体与主办单位不一致，请更正。")
        with pytest.raises(NotFound):
            services.reject_filing(actor=w.office2, filing=filing, reasons="认证主体与主办单位不一致，请更正。")
        doc = services.reject_filing(actor=w.office, filing=filing, reasons="总编辑未填写联系电话，请补正后重新备案。")
    assert doc.number == "2026-0001" and doc.issued_by == w.office
    filing.refresh_from_db()
    assert filing.status == F.REJECTED
    assert Deadline.objects.filter(object_id=filing.pk, kind="file", met_at__isnull=True).exists()
    with freeze_time("2026-06-09T10:00:00+08:00"):
        with pytest.raises(Conflict):
            services.accept_filing(actor=w.office, filing=filing)
        services.file_filing(actor=w.op, filing=filing)
        accepted = services.accept_filing(actor=w.office, filing=filing)
    assert accepted.status == F.ACCEPTED and accepted.times_filed == 2 and accepted.on_time is True
    report = Deadline.objects.get(object_id=filing.pk, kind="report")
    assert report.last_day == dt.date(2026, 6, 10)  # S1-3.2: within 1 working day
    outlet.refresh_from_db()
    assert outlet.status == Status.OPEN
    with freeze_time("2026-06-10T09:00:00+08:00"):
        reported = services.report_filing(actor=w.office, filing=filing)
    assert reported.status == F.REPORTED and reported.reported_by == w.office
    assert reported.reported_at.isoformat().startswith("2026-06-10T01:00")
    events = list(AuditEvent.objects.filter(event__startswith="newmedia.").values_list("event", flat=True))
    for name in ("newmedia.filing.start", "newmedia.filing.file", "newmedia.filing.reject", "newmedia.filing.accept",
                 "newmedia.filing.report", "newmedia.filing.rejection"):  # fmt: skip
        assert name in events
    assert "总编辑" not in json.dumps(list(AuditEvent.objects.values_list("after", flat=True)), ensure_ascii=False)


@pytest.mark.req("S1-A", "S1-3.2")
def test_provincial_form_fields_json_and_excel(w):
    outlet = _open(w)
    filing = outlet.filings.get()
    data = present.form_json(filing)
    assert data["form"] == "S1-A"
    keys = [f["key"] for f in data["fields"]]
    assert keys == [k for k, _l in present.FORM_FIELDS]
    values = {f["key"]: f["value"] for f in data["fields"]}
    assert values["account_name"] == "住建之声"
    assert values["host_unit"] == "市住建局" and values["verification_subject"] == "市住建局"
    assert values["competent_office"] == "江海市人民政府"
    assert values["chief_editor"] == "秦总编" and "蒋运营" in values["editors"] and values["technical_staff"]
    assert values["decision"] == "局党组会议纪要〔2026〕5号" and values["decision_date"] == "2026-06-08"
    assert values["filed_on"] == "2026-06-08" and values["accepted_on"] == "2026-06-08"
    from io import BytesIO

    from openpyxl import load_workbook

    from lvzhi.newmedia.exports import form_workbook

    sheet = load_workbook(BytesIO(form_workbook(filing))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == len(present.FORM_FIELDS) + 1
    assert ("住建之声" in [r[1] for r in rows]) and ("市住建局" in [r[1] for r in rows])


@pytest.mark.req("S2-17", "S1-3.2")
def test_closing_notice_of_15_working_days_across_national_day_2026(w):
    outlet = _open(w)
    with freeze_time("2026-09-22T10:00:00+08:00"):
        with pytest.raises(ValidationFailed) as exc:
            services.propose(actor=w.op, outlet=outlet, kind=FilingKind.CLOSE, decision_date=dt.date(2026, 9, 22),
                             decision_ref="", reason="功能整合")  # fmt: skip
        assert exc.value.code == "decision_ref_required"
        filing = services.propose(actor=w.op, outlet=outlet, kind=FilingKind.CLOSE, decision_date=dt.date(2026, 9, 22),
                                  decision_ref="局务会〔2026〕9号", reason="功能整合，并入部门网站")  # fmt: skip
    outlet.refresh_from_db()
    assert outlet.status == Status.CLOSING
    with freeze_time("2026-09-23T10:00:00+08:00"):
        services.file_filing(actor=w.op, filing=filing)
        accepted = services.accept_filing(actor=w.office, filing=filing)
    # Published Wed 23 Sep. Working days: 24 Sep (1); 25–27 Mid-autumn; 28, 29, 30 Sep (2–4); 1–7 Oct National Day;
    # 8, 9 Oct (5, 6); Sat 10 Oct is a working day (调休, 7); 12–16 Oct (8–12); 19, 20, 21 Oct (13–15).
    assert accepted.notice_from == dt.date(2026, 9, 23)
    assert accepted.notice_until == dt.date(2026, 10, 21)
    assert accepted.effective_on == dt.date(2026, 10, 22)
    assert [f.pk for f in selectors.public_notices(today=dt.date(2026, 10, 1))] == [filing.pk]
    assert services.apply_due_notices(dt.date(2026, 10, 21)) == 0
    outlet.refresh_from_db()
    assert outlet.status == Status.CLOSING
    assert services.apply_due_notices(dt.date(2026, 10, 22)) == 1
    assert services.apply_due_notices(dt.date(2026, 10, 23)) == 0  # idempotent
    outlet.refresh_from_db()
    assert outlet.status == Status.CLOSED


@pytest.mark.req("S2-17", "S1-3.2")
def test_change_of_host_unit_applies_after_notice(w):
    outlet = _open(w)
    with freeze_time("2026-06-15T10:00:00+08:00"):
        with pytest.raises(ValidationFailed) as exc:
            services.propose(actor=w.op, outlet=outlet, kind=FilingKind.CHANGE, decision_date=dt.date(2026, 6, 15),
                             decision_ref="纪要", reason="机构改革", changes={})  # fmt: skip
        assert exc.value.code == "changes_required"
        filing = services.propose(actor=w.op, outlet=outlet, kind=FilingKind.CHANGE, decision_date=dt.date(2026, 6, 15),
                                  decision_ref="纪要", reason="机构改革", changes={"host_unit": w.edu.pk})  # fmt: skip
        with pytest.raises(Conflict):
            services.propose(actor=w.op, outlet=outlet, kind=FilingKind.CLOSE, decision_date=dt.date(2026, 6, 15),
                             decision_ref="纪要", reason="再关停")  # fmt: skip
        services.file_filing(actor=w.op, filing=filing)
        accepted = services.accept_filing(actor=w.office, filing=filing)
    assert services.apply_due_notices(accepted.effective_on) == 1
    outlet.refresh_from_db()
    assert outlet.host_unit == w.edu and outlet.verification_subject == "市教育局" and outlet.status == Status.OPEN


@pytest.mark.req("S1-3.2", "S2-16")
def test_overdue_filing_reminded_and_escalated_to_the_office(w):
    from lvzhi.notify.models import Message
    from lvzhi.workflow.jobs import escalate_overdue

    with freeze_time("2026-06-08T10:00:00+08:00"):
        outlet = register(w)
    with freeze_time("2026-06-11T09:00:00+08:00"):
        assert escalate_overdue() >= 1
        assert jobs.escalate_to_office() == 1
        assert jobs.escalate_to_office() == 0  # once
    assert Message.objects.filter(recipient=w.office, event="newmedia.filing.overdue").exists()
    assert Message.objects.filter(recipient=w.head).exists()
    assert outlet.pk in [o.pk for o in selectors.accountability(w.office)]
    assert Rejection.objects.count() == 0
