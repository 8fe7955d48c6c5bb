"""Services no other test ran (issue 8): changing a draft, removing a co-signer, withdrawing an item."""

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound
from lvzhi.notify.models import Message
from lvzhi.proposals import services
from lvzhi.proposals.models import CoSigner, Proposal
from lvzhi.proposals.workflows import PROPOSAL_FLOW
from lvzhi.workflow.models import WorkflowEvent

from .conftest import draft, submitted
from .helpers import Api

pytestmark = pytest.mark.django_db
S = Proposal.Status


@pytest.mark.req("S4-2.2.4")
def test_the_proposer_changes_a_draft_and_the_audit_keeps_sizes_not_text(w):
    p = draft(w)
    changed = services.update_draft(
        actor=w.deputy, proposal=p, title="关于加快城中村改造的建议", content="城中村改造滞后。", category="社会建设",
        keywords="城中村", disclosure_consent=False,
    )  # fmt: skip
    stored = Proposal.objects.get(pk=p.pk)
    assert (stored.title, stored.content, stored.keyword_list) == (
        "关于加快城中村改造的建议",
        "城中村改造滞后。",
        ["城中村"],
    )
    assert stored.disclosure_consent is False and changed.status == S.DRAFT
    row = AuditEvent.objects.filter(event="proposals.proposal.edit").get()
    assert row.after["title_length"] == len("关于加快城中村改造的建议") and "城中村" not in str(row.after)
    # another deputy cannot see it, let alone change it; a submitted item is no longer a draft
    with pytest.raises(NotFound):
        services.update_draft(actor=w.other_deputy, proposal=p, title="篡改", content="篡改", category="社会建设")
    sent = services.submit(actor=w.deputy, proposal=stored)
    with pytest.raises(Conflict) as late:
        services.update_draft(actor=w.deputy, proposal=sent, title="改", content="改", category="社会建设")
    assert late.value.code == "not_a_draft"
    assert Proposal.objects.get(pk=p.pk).title == "关于加快城中村改造的建议"


@pytest.mark.req("S4-2.2.4")
def test_the_proposer_removes_an_invited_cosigner_from_a_draft_only(w):
    p = draft(w)
    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.cosigner)
    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.deputies[1])
    with pytest.raises(NotFound):
        services.remove_cosigner(actor=w.other_deputy, proposal=p, user_id=w.cosigner.pk)
    services.remove_cosigner(actor=w.deputy, proposal=p, user_id=w.cosigner.pk)
    assert list(CoSigner.objects.filter(proposal=p).values_list("user_id", flat=True)) == [w.deputies[1].pk]
    assert AuditEvent.objects.filter(event="proposals.cosigner.remove", object_id=str(p.pk)).count() == 1
    with pytest.raises(NotFound):  # removed already
        services.remove_cosigner(actor=w.deputy, proposal=p, user_id=w.cosigner.pk)
    # through the API, and not after submission
    api = Api(w.deputy)
    assert api.delete(f"/{p.pk}/cosigners/{w.deputies[1].pk}")[0] == 204
    assert not CoSigner.objects.filter(proposal=p).exists()
    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.cosigner)
    services.submit(actor=w.deputy, proposal=Proposal.objects.get(pk=p.pk))
    status, data = api.delete(f"/{p.pk}/cosigners/{w.cosigner.pk}")
    assert (status, data["code"]) == (409, "not_a_draft")
    assert CoSigner.objects.filter(proposal=p, user=w.cosigner).exists()


@pytest.mark.req("S4-2.2.4")
def test_the_proposer_withdraws_an_item_under_review_and_the_office_is_told(w):
    p = submitted(w)
    status, data = Api(w.other_deputy).post(f"/{p.pk}/withdraw", {"reason": "无权撤回"})
    assert status == 404 and Proposal.objects.get(pk=p.pk).status == S.SUBMITTED
    status, data = Api(w.deputy).post(f"/{p.pk}/withdraw", {"reason": "情况已变化"})
    assert status == 200, data
    stored = Proposal.objects.get(pk=p.pk)
    assert stored.status == S.WITHDRAWN and stored.closed_at is not None
    assert WorkflowEvent.objects.filter(workflow=PROPOSAL_FLOW.name, object_id=p.pk, transition="withdraw").count() == 1
    told = set(Message.objects.filter(event="proposals.proposal.withdraw").values_list("recipient_id", flat=True))
    assert {w.clerk.pk, w.clerk2.pk, w.office_head.pk} <= told and w.deputy.pk not in told
    sent = Message.objects.filter(event="proposals.proposal.withdraw").count()
    status, data = Api(w.deputy).post(f"/{p.pk}/withdraw", {"reason": "再撤一次"})
    assert status == 409 and Proposal.objects.get(pk=p.pk).status == S.WITHDRAWN
    # a draft is withdrawn without telling the office
    quiet = draft(w, title="草稿撤回")
    services.withdraw(actor=w.deputy, proposal=quiet)
    assert Proposal.objects.get(pk=quiet.pk).status == S.WITHDRAWN
    assert Message.objects.filter(event="proposals.proposal.withdraw").count() == sent
