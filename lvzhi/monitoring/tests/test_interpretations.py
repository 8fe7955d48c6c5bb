"""S1-4.1 in the monitor: a published policy interpretation that names no policy document is a finding of the
website it appears on (from the day after publication), and it reaches the unit's quarterly self-inspection."""

import datetime as dt

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.content import services as content
from lvzhi.content.tests.conftest import build_body, publish_article
from lvzhi.content.tests.test_policy_links import _categorise
from lvzhi.core.timeutil import local_date
from lvzhi.inspections import services as inspections
from lvzhi.inspections.models import SelfInspection
from lvzhi.monitoring import services
from lvzhi.monitoring.models import Finding
from lvzhi.testing import make_user

from .conftest import outlet, watch

pytestmark = pytest.mark.django_db


@pytest.mark.req("S1-4.1")
def test_an_unlinked_published_interpretation_is_a_finding_and_part_of_the_self_inspection():
    w = build_body()
    policy_column = _categorise(w, "notices", "policy")
    reading_column = _categorise(w, "work_info", "policy_reading")
    document = publish_article(w, title="关于加强委员履职管理的规定", column=policy_column)
    linked = publish_article(w, title="《履职管理规定》解读", column=reading_column)
    content.set_policy_documents(actor=w.author, article=linked, document_ids=[document.pk])
    unlinked = publish_article(w, title="提案工作新规一图读懂", column=reading_column)
    content.create_draft(actor=w.author, column=reading_column, title="草稿解读", body_html="<p>草稿</p>")
    make_user(w.body, roles=[Role.NM_COMPETENT], real_name="邱主管")
    site = outlet(w.body, w.general, "site", "办公厅网站")
    portal = outlet(w.body, w.body, "portal", "江海市政协门户")
    account = outlet(w.body, w.general, "wechat", "办公厅微信")
    for o in (site, portal, account):
        watch(o, since=local_date() - dt.timedelta(days=3))
    today = local_date()
    services.run_checks(today)  # published today: the editor still has the day
    assert not Finding.objects.filter(kind="interpretation_unlinked").exists()
    tomorrow = today + dt.timedelta(days=1)
    services.run_checks(tomorrow)
    services.run_checks(tomorrow)  # twice: nothing new
    found = Finding.objects.filter(kind="interpretation_unlinked").order_by("outlet_id")
    assert [(f.outlet_id, f.url) for f in found] == [
        (site.pk, f"/content/a/{unlinked.pk}/"),
        (portal.pk, f"/content/a/{unlinked.pk}/"),
    ]  # the department's site and the body's portal; never the account, never the linked or draft ones
    finding = found[0]
    assert finding.veto is False and finding.status == "open" and finding.evidence["article"] == unlinked.pk
    assert "提案工作新规一图读懂" in finding.summary and finding.occurrences == 2
    # the quarterly self-inspection of the host unit is drafted from it
    quarter = (tomorrow.month - 1) // 3 + 1
    reports = inspections.open_quarter(office=w.body, year=tomorrow.year, quarter=quarter)
    report = SelfInspection.objects.get(pk=next(r.pk for r in reports if r.unit_id == w.general.pk))
    assert any(f["indicator"] == "interpretation_unlinked" for f in report.findings)
    assert "interpretation_unlinked" in report.report
    # linked now: the next check raises nothing new for it
    content.set_policy_documents(actor=w.author, article=unlinked, document_ids=[document.pk])
    services.run_checks(tomorrow + dt.timedelta(days=1))
    finding.refresh_from_db()
    assert finding.occurrences == 2  # no longer seen
    assert Finding.objects.filter(kind="interpretation_unlinked").count() == 2
