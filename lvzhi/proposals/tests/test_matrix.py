"""The permission matrix of the item's steps: every part × every step × every state, including another body's
office and the administrators. The expected table below is written from the rules of S4-2.2 (who proposes,
who reviews, who evaluates), not from the code. For each cell where the step is allowed, the step is offered on
the page and in the API, and succeeds both through the API and through the page's form; where it is not, the
API refuses it and the item stays as it was."""

import pytest
from django.db import transaction
from django.utils import timezone

from lvzhi.proposals import actions, selectors, services
from lvzhi.proposals.models import Assignment, Proposal
from lvzhi.proposals.permissions import may_view

from .conftest import assigned, draft, lead_of
from .helpers import Api, client_for

pytestmark = pytest.mark.django_db

ROLES = [
    "deputy",  # the proposer
    "cosigner",  # invited to co-sign the draft; confirmed once it is submitted
    "other_deputy",  # a deputy of the same body, nothing to do with the item
    "member",  # a CPPCC member: another body
    "clerk",  # staff of the body's proposals office
    "office_head",
    "cppcc_clerk",  # another body's proposals office
    "leader",
    "lead_staff",
    "lead_head",
    "co_staff",
    "other_unit",
    "sysadmin",
]
STATES = ["draft", "submitted", "accepted", "handling", "replied", "closed"]
OFFICE = {"clerk", "office_head"}
ACCEPTED_ON = {"accepted", "handling", "replied", "closed"}

# (step, state) -> the parts that may take it; every other cell is refused.
ALLOWED = {
    ("submit", "draft"): {"deputy"},
    ("withdraw", "draft"): {"deputy"},
    ("withdraw", "submitted"): {"deputy"},
    ("cosign", "draft"): {"cosigner"},
    ("accept", "submitted"): OFFICE,
    ("not_accept", "submitted"): OFFICE,
    ("convert", "submitted"): OFFICE,
    ("assign", "accepted"): OFFICE,
    **{("supervise", state): OFFICE for state in ACCEPTED_ON},
    **{("publish", state): OFFICE for state in ACCEPTED_ON},
    ("evaluate", "replied"): {"deputy"},
    ("rehandle_again", "closed"): OFFICE,  # closed without an evaluation
}
STEPS = sorted({step for step, _state in ALLOWED})
PERSONAL = {"submit", "cosign"}


def make_state(w, state) -> Proposal:
    if state == "draft":
        p = draft(w)
        services.invite_cosigner(actor=w.deputy, proposal=p, user=w.cosigner)
        return p
    p = draft(w)
    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.cosigner)
    services.respond_cosign(actor=w.cosigner, proposal=p, confirm=True)  # a confirmed co-signer follows the item
    p = services.submit(actor=w.deputy, proposal=p)
    if state == "submitted":
        return p
    p = services.accept(actor=w.clerk, proposal=p)
    if state == "accepted":
        return p
    p = services.assign(actor=w.clerk, proposal=p, lead_unit=w.unit_a, co_units=[w.unit_b])
    if state == "handling":
        return p
    lead = lead_of(p)
    co = p.assignments.get(role=Assignment.Role.CO)  # the co-handling unit's opinion comes before the reply
    services.send_opinion(actor=w.co_staff, assignment=co, opinion="同意主办单位意见。")
    services.record_contact(
        actor=w.lead_staff, assignment=lead, method="phone", contacted_on=timezone.localdate(), note="电话联系"
    )
    reply = services.save_reply(actor=w.lead_staff, assignment=lead, content="答复如下", classification="A")
    services.sign_off_reply(actor=w.lead_head, reply=reply)
    services.send_reply(actor=w.lead_staff, reply=reply)
    p.refresh_from_db()
    if state == "replied":
        return p
    services.record_missing_evaluation(proposal=p)
    p.refresh_from_db()
    assert p.status == Proposal.Status.CLOSED
    return p


# step -> (API path after /{id}, API body, web action, web form data)
CALLS = {
    "submit": ("/submit", {}, "submit", {}),
    "withdraw": ("/withdraw", {"reason": "不再提出"}, "withdraw", {"reason": "不再提出"}),
    "cosign": ("/cosign", {"confirm": True}, "cosign_confirm", {}),
    "accept": ("/accept", {"note": "同意立案"}, "accept", {"note": "同意立案"}),
    "not_accept": ("/not-accept", {"reason": "不属于职权范围"}, "not_accept", {"reason": "不属于职权范围"}),
    "convert": ("/convert", {"reason": "作为意见处理"}, "convert", {"reason": "作为意见处理"}),
    "assign": ("/assign", None, "assign", None),  # filled in with the units of the world
    "supervise": ("/supervision", {"on": True, "note": "重点督办"}, "supervise", {"on": "on", "note": "重点督办"}),
    "publish": ("/publish", {"public": True}, "publish", {"public": "on"}),
    "evaluate": ("/evaluate", {"rating": "satisfied"}, "evaluate", {"rating": "satisfied"}),
    "rehandle_again": ("/rehandle", {"reason": "再办一次"}, "rehandle_again", {"reason": "再办一次"}),
}


def _call(w, step):
    path, body, web_action, form = CALLS[step]
    if step == "assign":
        body = {"lead_unit_id": w.unit_a.pk, "co_unit_ids": [w.unit_b.pk]}
        form = {"lead_unit": w.unit_a.pk, "co_units": [w.unit_b.pk]}
    return path, body, web_action, form


def _snapshot(pk):
    p = Proposal.objects.get(pk=pk)
    cosigners = tuple(p.cosigners.values_list("status", flat=True))
    return (p.status, p.key_supervision, p.is_public, p.rating, p.rehandle_count, cosigners)


# Who sees the item in each state (S4-2.2.4): the proposer and the invited co-signer always; once submitted the
# office and the body's leaders; once assigned the handling units. Nobody else, and no administrator.
SEES = {"draft": {"deputy", "cosigner"}}
SEES["submitted"] = SEES["draft"] | OFFICE | {"leader"}
SEES["accepted"] = SEES["submitted"]
SEES["handling"] = SEES["replied"] = SEES["closed"] = SEES["submitted"] | {"lead_staff", "lead_head", "co_staff"}


def refusal(role, step, state) -> int:
    """Who cannot see the item: not found. The proposer's own submission and the invitee's answer are nobody
    else's business: not found too. Who may take the step, but not in this state: conflict. Who may never take
    it: forbidden."""
    ever = any(role in parts for (name, _state), parts in ALLOWED.items() if name == step)
    if role not in SEES[state] or (step in PERSONAL and not ever):
        return 404
    return 409 if ever else 403


def offered(user, proposal, step) -> bool:
    fresh = Proposal.objects.get(pk=proposal.pk)
    if not may_view(user, fresh):
        return False
    return step in actions.available(user, fresh, selectors.detail_data(fresh))["item"]


@pytest.mark.req("S4-2.2.4", "S0-4")
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", STEPS)
def test_part_by_step_by_state(w, step, state):
    p = make_state(w, state)
    allowed = ALLOWED.get((step, state), set())
    path, body, web_action, form = _call(w, step)
    before = _snapshot(p.pk)
    outcomes = {}
    for role in ROLES:
        user = getattr(w, role)
        assert offered(user, p, step) == (role in allowed), (role, "offered")
        with transaction.atomic():
            status, data = Api(user).post(f"/{p.pk}{path}", body)
            changed = _snapshot(p.pk) != before
            transaction.set_rollback(True)
        outcomes[role] = status
        if role in allowed:
            assert status == 200 and changed, (role, status, data)
            with transaction.atomic():
                response = client_for(user).post(f"/proposals/{p.pk}/do/{web_action}/", form)
                assert response.status_code == 302, (role, response.status_code)
                assert response["Location"] == f"/proposals/{p.pk}/"
                assert _snapshot(p.pk) != before, role
                transaction.set_rollback(True)
        else:
            assert not changed, role
    expected = {role: 200 if role in allowed else refusal(role, step, state) for role in ROLES}
    wrong = {role: (outcomes[role], expected[role]) for role in ROLES if outcomes[role] != expected[role]}
    if wrong:
        pytest.fail(f"(got, expected): {wrong}")


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_parts_who_cannot_see_the_item_are_told_not_found(w):
    p = assigned(w)
    for role in ("other_deputy", "member", "cppcc_clerk", "other_unit", "sysadmin"):
        for step in ("accept", "supervise", "publish", "evaluate", "withdraw"):
            path, body, _web, _form = _call(w, step)
            status, data = Api(getattr(w, role)).post(f"/{p.pk}{path}", body)
            assert status == 404, (role, step, status, data)
            assert data["code"] == "not_found"
