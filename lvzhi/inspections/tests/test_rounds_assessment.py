import datetime as dt
from decimal import Decimal

import pytest
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.inspections import services, sources
from lvzhi.inspections.models import Assessment, Rectification
from lvzhi.notify.models import Message

from .conftest import deductions

pytestmark = pytest.mark.django_db


def _round(w, kind="monthly", period=3, day=dt.date(2026, 3, 20), **kw):
    return services.create_round(actor=w.office, office=w.body, kind=kind, year=day.year, period=period,
                                 checked_on=day, **kw)  # fmt: skip


def _checks(r):
    return {c.outlet_id: c for c in r.checks.select_related("outlet", "round__version")}


@freeze_time("2026-04-01T10:00:00+08:00")
@pytest.mark.req("S1-5.3", "S2-40")
def test_a_monthly_round_is_scored_on_the_scheme_and_published_with_findings_for_the_units(w):
    r = _round(w)
    checks = _checks(r)
    assert set(checks) == {w.site.pk, w.wechat.pk, w.edu_wechat.pk}  # the office's outlets only
    site = services.score_outlet(actor=w.office, check=checks[w.site.pk], items=deductions(None, W_D2=4, W_D3=6))
    assert site.items_checked == 16 and site.deductions == Decimal("10.00") and site.score == Decimal("90.00")
    assert site.passed is True and site.veto is False
    wechat = services.score_outlet(actor=w.office, check=checks[w.wechat.pk], items=deductions(None, N_V2=True))
    assert wechat.veto and wechat.score == 0 and wechat.passed is False
    with pytest.raises(ValidationFailed) as exc:
        services.score_outlet(actor=w.office, check=checks[w.edu_wechat.pk], items=deductions(None, N_D1=31))
    assert exc.value.code == "deduction_too_high"
    with pytest.raises(ValidationFailed) as exc:
        services.score_outlet(actor=w.office, check=checks[w.edu_wechat.pk], items=deductions(None, W_D1=1))
    assert exc.value.code == "indicator_unknown"  # a website indicator on an account
    with pytest.raises(ValidationFailed) as exc:
        services.score_outlet(actor=w.office, check=checks[w.edu_wechat.pk], items={"N-D1": {"deduction": "5"}})
    assert exc.value.code == "note_required"
    with pytest.raises(ValidationFailed) as exc:
        services.publish_round(actor=w.office, round_=r)
    assert exc.value.code == "not_all_scored"
    edu = services.score_outlet(actor=w.office, check=checks[w.edu_wechat.pk], items=deductions(None, N_D1=30, N_D2=15))
    assert edu.score == Decimal("55.00") and edu.passed is False  # under 60 fails
    with pytest.raises(NotFound):
        services.publish_round(actor=w.op, round_=r)
    services.publish_round(actor=w.office, round_=r)
    fixes = Rectification.objects.filter(unit=w.housing)
    assert fixes.count() == 3  # two deductions on the site, the veto on the account
    fix = fixes.get(item__indicator__code="N-V2")
    assert fix.due_on == dt.date(2026, 4, 16)  # 10 working days after 1 Apr (Qingming 4–6 Apr skipped)
    assert Message.objects.filter(recipient=w.op, event="inspections.round.publish").exists()
    with pytest.raises(Conflict):
        services.score_outlet(actor=w.office, check=checks[w.site.pk], items={})
    with pytest.raises(Conflict) as exc:
        _round(w)
    assert exc.value.code == "round_exists"
    assert AuditEvent.objects.filter(event="inspections.round.publish").count() == 1


@pytest.mark.req("S1-5.3")
def test_a_finding_is_fixed_confirmed_or_sent_back(w):
    with freeze_time("2026-04-01T10:00:00+08:00"):
        r = _round(w)
        for c in r.checks.all():
            items = deductions(None, W_D1=2) if c.outlet_id == w.site.pk else {}
            services.score_outlet(actor=w.office, check=c, items=items)
        services.publish_round(actor=w.office, round_=r)
    fix = Rectification.objects.get()
    with freeze_time("2026-04-08T10:00:00+08:00"):
        with pytest.raises(NotFound):
            services.report_fixed(actor=w.edu_op, fix=fix, note="已改")
        fix = services.report_fixed(actor=w.op, fix=fix, note="首页已恢复")
        assert fix.status == "fixed" and fix.fixed_on == dt.date(2026, 4, 8)
        fix = services.confirm_fix(actor=w.office, fix=fix, accept=False, note="仍有错链")
        assert fix.status == "open" and fix.fixed_on is None and fix.due_on == dt.date(2026, 4, 22)
        fix = services.report_fixed(actor=w.op, fix=fix, note="错链已全部修复")
        fix = services.confirm_fix(actor=w.office, fix=fix, accept=True)
    assert fix.status == "closed"


def _publish(w, kind, period, day, scores):
    with freeze_time(f"{day.isoformat()}T18:00:00+08:00"):  # scored and published on the day of the check
        r = _round(w, kind=kind, period=period, day=day, outlet_ids=list(scores))
        for c in r.checks.all():
            services.score_outlet(actor=w.office, check=c, items=scores[c.outlet_id])
        return services.publish_round(actor=w.office, round_=r)


@pytest.mark.req("S1-5.3", "S2-40")
def test_a_veto_in_a_higher_level_check_zeroes_the_year_and_under_60_fails(w):
    _publish(w, "monthly", 5, dt.date(2026, 5, 20), {
        w.site.pk: deductions(None, W_D3=5), w.wechat.pk: {}, w.edu_wechat.pk: deductions(None, N_D1=30, N_D2=20),
    })  # fmt: skip
    _publish(w, "monthly", 6, dt.date(2026, 6, 20), {
        w.site.pk: deductions(None, W_D3=5), w.wechat.pk: deductions(None, N_D1=10),
        w.edu_wechat.pk: deductions(None, N_D1=30, N_D2=10),
    })  # fmt: skip
    # the provincial check samples 住建局's site and finds a veto item (home page not updated)
    _publish(w, "provincial", 9, dt.date(2026, 9, 15), {w.site.pk: deductions(None, W_V3=True)})
    fix = Rectification.objects.get(outlet=w.wechat)
    with freeze_time("2026-06-22T10:00:00+08:00"):
        services.report_fixed(actor=w.op, fix=fix, note="已整改")  # in time: no deduction for it
    with freeze_time("2027-01-10T10:00:00+08:00"):
        result = {a.outlet_id: a for a in services.compute_year(actor=w.office, office=w.body, year=2026)}
    site, wechat, edu = result[w.site.pk], result[w.wechat.pk], result[w.edu_wechat.pk]
    assert site.zeroed and site.veto and site.score == 0 and not site.passed  # 95 in both rounds, zeroed
    assert wechat.score == Decimal("95.00") and wechat.passed and not wechat.zeroed
    # (50 + 60) / 2 = 55, less 1 point for each of its 4 findings left unfixed past their day (N-D1 twice, N-D2 twice)
    assert edu.score == Decimal("51.00") and not edu.passed and not edu.veto
    assert site.version.version == "2019" and site.basis["higher_level_vetoes"]
    assert len(edu.basis["late_findings"]) == 4
    with pytest.raises(NotFound):
        services.compute_year(actor=w.office2, office=w.body, year=2026)
    services.publish_year(actor=w.office, office=w.body, year=2026)
    with pytest.raises(Conflict) as exc, freeze_time("2027-01-11T10:00:00+08:00"):
        services.compute_year(actor=w.office, office=w.body, year=2026)
    assert exc.value.code == "assessment_published"
    assert Assessment.objects.filter(published_at__isnull=False).count() == 3


@freeze_time("2027-01-10T10:00:00+08:00")
@pytest.mark.req("S2-40", "S1-3.3")
def test_facts_from_other_sources_count_a_monitoring_veto_not_fixed_in_time_fails_the_year(w):
    def provider(outlet_ids, start, end):
        return [
            {"outlet_id": w.wechat.pk, "indicator": "N-V2", "veto": True, "found_on": dt.date(2026, 8, 3),
             "due_on": dt.date(2026, 8, 10), "fixed_on": None, "status": "open", "summary": "两周未更新"},
            {"outlet_id": w.edu_wechat.pk, "indicator": "N-V2", "veto": True, "found_on": dt.date(2026, 8, 3),
             "due_on": dt.date(2026, 8, 10), "fixed_on": dt.date(2026, 8, 5), "status": "fixed", "summary": "已恢复"},
            {"outlet_id": w.other.pk, "indicator": "N-V2", "veto": True, "found_on": dt.date(2026, 8, 3),
             "due_on": None, "fixed_on": None, "status": "open", "summary": "not ours"},
        ]  # fmt: skip

    sources.register(provider)
    try:
        result = {a.outlet_id: a for a in services.compute_year(actor=w.office, office=w.body, year=2026)}
    finally:
        sources.unregister(provider)
    assert result[w.wechat.pk].veto and result[w.wechat.pk].score == 0 and not result[w.wechat.pk].zeroed
    assert result[w.edu_wechat.pk].passed and result[w.edu_wechat.pk].score == 100
    assert w.other.pk not in result
