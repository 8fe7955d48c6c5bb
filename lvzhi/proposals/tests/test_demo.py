"""The demo data: every stage present, loading twice changes nothing."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.proposals.demo import ITEMS, load_proposals_demo
from lvzhi.proposals.models import Proposal
from lvzhi.web.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.mark.req("S4-2.2.4")
def test_demo_items_load_once():
    assert load_proposals_demo() == 0  # without the demo units there is nothing to hang them on
    load_demo()  # the demo command loads the proposals' demo items too
    # (other modules' demos add drafts of their own: a deputy passing a public message on as a suggestion)
    mine = Proposal.objects.filter(title__in=[item[3] for item in ITEMS])
    assert mine.count() == 4 == len(ITEMS)
    statuses = set(mine.values_list("status", flat=True))
    assert statuses == {"draft", "submitted", "handling", "closed"}
    closed = mine.get(status="closed")
    assert closed.is_public and closed.key_supervision and closed.rating == "satisfied"
    events = AuditEvent.objects.count()
    assert load_proposals_demo() == 0
    assert AuditEvent.objects.count() == events
