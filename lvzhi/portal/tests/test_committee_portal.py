"""The standing committee's portal (S4-2.1.1): its columns installed with the site, each item through the approval
chain; deputies' bills and suggestions with their handling results from the proposals' public feed, masked; images,
audio and video of an article served from our storage."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.content.models import ChainStep, Column
from lvzhi.portal import services
from lvzhi.portal.columns import CONGRESS_PORTAL_COLUMNS
from lvzhi.proposals import services as proposals
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import replied, w  # noqa: F401  (their world: a congress, a deputy, a reply)


@pytest.mark.req("S4-2.1.1", "S4-2.4")
def test_the_committee_portal_columns_are_installed_with_the_site_each_with_its_approval_chain(client, w):  # noqa: F811
    services.install_site(body=w.congress, code="ceshi", name="测试人大")
    events = AuditEvent.objects.count()
    services.install_site(body=w.congress, code="ceshi", name="测试人大")  # again: nothing twice
    assert AuditEvent.objects.count() == events
    codes = [c["code"] for c in CONGRESS_PORTAL_COLUMNS]
    columns = Column.objects.filter(body=w.congress, code__in=codes)
    assert sorted(c.code for c in columns) == sorted(codes)
    assert {c.audience for c in columns} == {"public"}
    assert all(ChainStep.objects.filter(column=c, kind="publish").exists() for c in columns)
    menu = client.get("/site/ceshi/").content.decode().split('data-testid="site-nav"')[1].split("</nav>")[0]
    for name in (
        "立法工作",
        "监督工作",
        "决议决定",
        "人事任免",
        "机关工作",
        "新法解读",
        "一府一委两院报告",
        "代表风采",
    ):
        assert name in menu


@pytest.mark.req("S4-2.1.1")
def test_deputies_bills_and_their_handling_results_come_from_the_public_feed_masked(client, w):  # noqa: F811
    services.install_site(body=w.congress, code="ceshi", name="测试人大")
    shown = replied(w, title="关于规范停车收费的建议")
    Proposal.objects.filter(pk=shown.pk).update(content="请联系我 13812345678。")
    proposals.publish(actor=w.clerk, proposal=shown, public=True)
    replied(w, title="不公开的建议")
    html = client.get("/site/ceshi/bills/").content.decode()
    listed = html.split('data-testid="bills"')[1]
    assert "关于规范停车收费的建议" in listed and "不公开的建议" not in listed
    assert "鲁*强" in listed and "鲁志强" not in html
    assert "市住建局" in listed  # the handling unit and its reply
    assert "13812345678" not in html and "138****5678" in listed
