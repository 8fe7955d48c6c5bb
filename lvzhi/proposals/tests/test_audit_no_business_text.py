"""Finding 6: the audit rows of a full scenario (drafting, editing, review, supervision, handling, reply, a refusal)
carry references, numbers, states and lengths — never titles, keywords, notes, reasons or contents (三员)."""

import json

import pytest

from lvzhi.audit.models import AuditEvent
from lvzhi.proposals import services

from .conftest import draft, replied, submitted

pytestmark = pytest.mark.django_db

SECRETS = [
    "老旧小区",
    "城市更新",
    "设施陈旧",
    "督办说明甲乙丙",
    "不予立案理由丁戊",
    "电话联系代表",
    "答复如下",
    "修改后的题目",
]


@pytest.mark.req("S2-34", "S0-4")
def test_a_full_scenario_leaves_no_business_text_in_the_audit_log(w):
    p = replied(w)
    services.set_key_supervision(actor=w.clerk, proposal=p, on=True, note="督办说明甲乙丙")
    other = submitted(w, title="关于老旧小区加装电梯的建议")
    services.not_accept(actor=w.clerk, proposal=other, reason="不予立案理由丁戊")
    edited = draft(w, title="老旧小区草稿")
    services.update_draft(
        actor=edited.proposer,
        proposal=edited,
        title="修改后的题目老旧小区",
        content="老旧小区设施陈旧，建议加快改造进度。",
        category="社会建设",
        keywords="城市更新",
        disclosure_consent=False,
    )
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) > 15
    leaks = []
    for event in events:
        text = event.object_repr + json.dumps([event.before, event.after], ensure_ascii=False)
        leaks += [(event.event, s) for s in SECRETS if s in text]
    assert leaks == []
    edit = AuditEvent.objects.filter(event="proposals.proposal.edit").latest("id")
    assert edit.after["title_length"] == len("修改后的题目老旧小区")
    assert edit.object_repr.startswith("proposals.proposal#")
