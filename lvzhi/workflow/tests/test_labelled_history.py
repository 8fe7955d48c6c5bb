"""`Workflow.labelled_history`: the one helper that puts a case's history into words for every presenter."""

import pytest

from lvzhi.datachange.models import DataChangeRequest
from lvzhi.testing import make_body, make_unit, make_user
from lvzhi.workflow.declaration import Transition, Workflow
from lvzhi.workflow.selectors import history_of
from lvzhi.workflow.services import start, transition

S = DataChangeRequest.Status

LABELLED_FLOW = Workflow(
    "test.labelled",
    model=None,
    states=S,
    initial=S.SUBMITTED,
    transitions=[
        Transition("approve", sources=[S.SUBMITTED], target=S.DONE, label="批准"),
        Transition("close", sources=[S.DONE], target=S.REJECTED),  # no label: the entry label stands in
    ],
)


@pytest.mark.req("S0-16")
def test_each_entry_gets_its_step_and_state_in_words(db):
    body = make_body()
    office = make_unit(body, "委员联络室", function="liaison_office")
    member = make_user(body, roles=["member"], real_name="委员")
    staff = make_user(office, roles=["staff"], real_name="干事")
    obj = DataChangeRequest.objects.create(user=member, unit=office, changes={"title": "x"}, reason="r")
    obj = start(obj, actor=member, workflow=LABELLED_FLOW)
    obj = transition(obj, "approve", actor=staff, workflow=LABELLED_FLOW)
    transition(obj, "close", actor=staff, workflow=LABELLED_FLOW)
    history = LABELLED_FLOW.labelled_history(history_of(obj), entry_label="已提交")
    assert [(e.transition, e.label, e.to_label) for e in history] == [
        ("start", "已提交", str(S.SUBMITTED.label)),
        ("approve", "批准", str(S.DONE.label)),
        ("close", "已提交", str(S.REJECTED.label)),
    ]
    assert LABELLED_FLOW.labelled_history([]) == []
