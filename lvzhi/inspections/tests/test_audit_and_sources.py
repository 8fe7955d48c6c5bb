import datetime as dt
import json

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.inspections import services, sources
from lvzhi.inspections.models import Rectification, SelfInspection

pytestmark = pytest.mark.django_db
MARK = "甲乙丙标记"


@pytest.mark.req("S1-5.3", "S1-3.3")
def test_the_draft_report_is_generated_from_the_quarters_facts(w):
    def provider(outlet_ids, start, end):
        return [{"outlet_id": w.wechat.pk, "kind": "no_update", "veto": True, "found_on": "2026-08-14",
                 "due_on": "2026-08-21", "fixed_on": "2026-08-18", "status": "fixed", "summary": "连续14天未更新",
                 "link": "/monitoring/findings/1/"},
                {"outlet_id": w.wechat.pk, "kind": "no_update", "veto": False, "found_on": "2026-06-30",
                 "summary": "上季度的问题"}]  # fmt: skip

    sources.register(provider)
    try:
        with freeze_time("2026-10-02T09:00:00+08:00"):
            services.open_quarter(office=w.body, year=2026, quarter=3)
    finally:
        sources.unregister(provider)
    report = SelfInspection.objects.get(unit=w.housing)
    assert [f["summary"] for f in report.findings] == ["连续14天未更新"]  # the quarter's only
    assert "连续14天未更新" in report.report and "2026-08-18" in report.report
    assert "本季度未发现问题" in SelfInspection.objects.get(unit=w.edu).report


@pytest.mark.req("S2-32", "S2-41", "S1-3.4")
def test_no_free_text_reaches_the_audit_log(w):
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with freeze_time("2026-10-02T09:00:00+08:00"):
        services.open_quarter(office=w.body, year=2026, quarter=3)
        report = SelfInspection.objects.get(unit=w.housing)
        services.save_report(actor=w.op, report=report, text=f"报告{MARK}")
        report = services.submit_report(actor=w.op, report=report)
        services.review_report(actor=w.office, report=report, accept=False, note=f"退回{MARK}")
        r = services.create_round(actor=w.office, office=w.body, kind="spot", year=2026, period=3, title=f"抽查{MARK}",
                                  checked_on=dt.date(2026, 9, 30), outlet_ids=[w.site.pk])  # fmt: skip
        services.score_outlet(actor=w.office, check=r.checks.get(), items={"W-D1": {"deduction": "1", "note": MARK}})
        services.publish_round(actor=w.office, round_=r)
        fix = Rectification.objects.get()
        fix = services.report_fixed(actor=w.op, fix=fix, note=f"整改{MARK}")
        services.confirm_fix(actor=w.office, fix=fix, accept=False, note=f"未改{MARK}")
        services.record_action(actor=w.office, office=w.body, unit=w.housing, reason="unfixed", kind="talk",
                               taken_on=dt.date(2026, 10, 2), note=f"约谈{MARK}")  # fmt: skip
        services.record_duty(actor=w.op, outlet=w.site, kind="emergency", done_on=dt.date(2026, 10, 1),
                             responsible_id=w.op.pk, note=f"预案{MARK}")  # fmt: skip
    rows = AuditEvent.objects.filter(id__gt=start)
    assert rows.count() >= 10
    leaks = [e.event for e in rows if MARK in e.object_repr + json.dumps([e.before, e.after], ensure_ascii=False)]
    assert leaks == []
