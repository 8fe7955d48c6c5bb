import datetime as dt
import json

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.timeutil import start_of_day
from lvzhi.inspections import jobs, services
from lvzhi.inspections.models import Indicator, SchemeVersion, SelfInspection
from lvzhi.inspections.services.scheme import DEFAULT_FILE
from lvzhi.inspections.workflows import REPORT
from lvzhi.orgs import services as org_services
from lvzhi.workdays import calendar
from lvzhi.workflow.selectors import deadline_of

pytestmark = pytest.mark.django_db


@pytest.mark.req("S1-A", "S2-40")
def test_the_2019_scheme_loads_as_data_with_its_source_once():
    version = services.load_scheme()
    assert version.version == "2019" and "国办秘函〔2019〕19号" in version.source and version.pass_mark == 60
    assert services.load_scheme().pk == version.pk  # the same file again: nothing new
    assert Indicator.objects.filter(version=version, kind="veto", applies_to="website").count() == 6
    assert Indicator.objects.filter(version=version, kind="veto", applies_to="newmedia").count() == 3
    for scope in ("website", "newmedia"):
        points = Indicator.objects.filter(version=version, kind="deduction", applies_to=scope)
        assert sum(i.points for i in points) == 100
    assert AuditEvent.objects.filter(event="inspections.scheme.load").count() == 1
    data = json.loads(DEFAULT_FILE.read_text("utf-8"))
    data["items"][6]["points"] = 11
    with pytest.raises(ValidationFailed) as exc:
        services.load_scheme(raw=json.dumps(data).encode())
    assert exc.value.code == "scheme_invalid"
    data["items"][6]["points"], data["items"][7]["points"] = 11, 9  # still 100, other content, same version
    with pytest.raises(Conflict) as exc:
        services.load_scheme(raw=json.dumps(data).encode())
    assert exc.value.code == "scheme_version_exists"
    with pytest.raises(ValidationFailed):
        services.load_scheme(raw=b"\xff not json")


@pytest.mark.req("S2-40")
def test_a_later_version_applies_from_its_year_and_earlier_years_keep_theirs():
    v2019 = services.load_scheme()
    data = json.loads(DEFAULT_FILE.read_text("utf-8"))
    data.update(version="2027", valid_from=2027, title="2027 本地版")
    v2027 = services.load_scheme(raw=json.dumps(data, ensure_ascii=False).encode())
    assert services.scheme_for(2026) == v2019
    assert services.scheme_for(2027) == v2027 and services.scheme_for(2030) == v2027
    assert SchemeVersion.objects.count() == 2


@pytest.mark.req("S1-5.3")
def test_q3_2026_report_due_after_national_day(w):
    """Q3 ends on Wed 30 Sep 2026. 1–7 Oct are the National Day holiday; Sat 10 Oct is an adjusted working day.
    Five working days after 30 Sep: 8, 9, 10, 12, 13 Oct → due Tue 13 Oct 2026."""
    expected = calendar.due_date(calendar.add_working_days(start_of_day(dt.date(2026, 9, 30)), 5))
    assert expected == dt.date(2026, 10, 13)
    assert calendar.is_workday(dt.date(2026, 10, 10)) and not calendar.is_workday(dt.date(2026, 10, 7))
    with freeze_time("2026-10-02T09:00:00+08:00"):  # the tick opens it during the holiday: counted from 30 Sep
        assert jobs.open_quarters() == 3  # 住建局 and 教育局, and the other city's 文旅局 under its own office
        assert jobs.open_quarters() == 0
    report = SelfInspection.objects.get(unit=w.housing, year=2026, quarter=3)
    deadline = deadline_of(report, REPORT)
    assert calendar.due_date(deadline.due_at) == dt.date(2026, 10, 13)
    assert report.outlet_ids == sorted([w.site.pk, w.wechat.pk])
    assert "住建之声" in report.report
    with freeze_time("2026-10-13T17:00:00+08:00"):
        report = services.submit_report(actor=w.op, report=report)
    assert report.status == "submitted" and report.on_time is True
    late = SelfInspection.objects.get(unit=w.edu, year=2026, quarter=3)
    with freeze_time("2026-10-14T09:00:00+08:00"):
        late = services.submit_report(actor=w.edu_op, report=late, text="第三季度自查：未发现问题。")
    assert late.on_time is False and late.report == "第三季度自查：未发现问题。"


@pytest.mark.req("S1-5.3")
def test_a_body_may_ask_for_the_report_sooner_never_later(w):
    org_services.set_body_setting(actor=None, body=w.body, key="inspections.self_report_working_days", value=2)
    with pytest.raises(ValidationFailed):
        org_services.set_body_setting(actor=None, body=w.body, key="inspections.self_report_working_days", value=6)
    with freeze_time("2026-10-02T09:00:00+08:00"):
        jobs.open_quarters()
    report = SelfInspection.objects.get(unit=w.housing, year=2026, quarter=3)
    assert calendar.due_date(deadline_of(report, REPORT).due_at) == dt.date(2026, 10, 9)
