"""The monitor's findings reach the inspections: a finding raised by the website monitor (here: two weeks without an
update, a single-veto item) is a fact of the outlet's year for the self-inspection report and the assessment."""

import datetime as dt

import pytest

from lvzhi.core.timeutil import local_date
from lvzhi.inspections import sources
from lvzhi.monitoring.services import raise_finding

from .conftest import build_world


@pytest.mark.req("S2-39", "S2-40", "S1-5.3")
def test_a_monitoring_finding_is_a_fact_of_the_outlets_year(db):
    w = build_world()
    finding, created = raise_finding(kind="not_updated_14_days", summary="两周未更新", outlet=w.wechat)
    assert created
    today = local_date()
    facts = sources.facts([w.wechat.pk, w.site.pk], dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    mine = [f for f in facts if f.source == "lvzhi.monitoring.selectors.assessment_facts"]
    assert len(mine) == 1
    assert mine[0].outlet_id == w.wechat.pk and mine[0].indicator == "not_updated_14_days" and mine[0].veto
    assert mine[0].link == f"/monitoring/findings/{finding.pk}/"
    # another outlet's findings are not this one's
    assert not [f for f in sources.facts([w.site.pk], dt.date(today.year, 1, 1), today) if f.source.endswith("facts")]
