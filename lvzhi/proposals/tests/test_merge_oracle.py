"""Finding 13: merging into a missing item and into another body's item give one answer (no existence oracle)."""

import pytest

from lvzhi.proposals.models import Kind, Proposal

from .conftest import submitted
from .helpers import Api

pytestmark = pytest.mark.django_db


@pytest.mark.req("S2-34", "S4-2.2.4")
def test_a_missing_id_and_another_bodys_id_answer_the_same(w):
    p = submitted(w)
    other = submitted(w, kind=Kind.PROPOSAL, proposer=w.member, body=w.cppcc, title="政协提案")
    missing = Proposal.objects.order_by("-pk").first().pk + 1000
    clerk = Api(w.clerk)
    answers = [clerk.post(f"/{p.pk}/merge", {"into_id": target}) for target in (other.pk, missing, -1)]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 400 and answers[0][1]["code"] == "merge_other_body"
    assert Proposal.objects.get(pk=p.pk).status == Proposal.Status.SUBMITTED
