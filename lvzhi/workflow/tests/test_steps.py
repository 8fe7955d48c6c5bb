"""The shared step-table kit: a step derived from a transition is offered exactly when the transition may be taken,
unknown names are NotFound, and perform only dispatches with missing values read as ""."""

from types import SimpleNamespace

import pytest
from django.http import QueryDict

from lvzhi.core.errors import NotFound
from lvzhi.workflow.steps import Step, StepTable, from_flow


class _Transition:
    def __init__(self, sources, allowed):
        self.sources, self.allowed, self.label = sources, allowed, "Answer it"

    def may(self, user, obj):
        return self.allowed(user, obj)


class _Flow:
    def __init__(self, **transitions):
        self.transitions = transitions

    def get(self, name):
        return self.transitions[name]

    def state_of(self, obj):
        return obj.status


FLOW = _Flow(answer=_Transition({"open"}, lambda user, obj: user == "clerk"))


def _table(calls):
    return StepTable(
        from_flow(FLOW, "answer", lambda a, o, d: calls.append((a, o.status, d)) or "done", fields=("answer",)),
        Step("mark", "Mark", run=lambda a, o, d: "marked", available=lambda user, obj: user == "head"),
    )


@pytest.mark.req("S0-16.1")
def test_a_flow_step_is_offered_only_in_its_source_states_and_to_whom_the_transition_allows():
    table = _table([])
    assert [s.name for s in table.available("clerk", SimpleNamespace(status="open"))] == ["answer"]
    assert table.available("clerk", SimpleNamespace(status="closed")) == []
    assert [s.name for s in table.available("head", SimpleNamespace(status="open"))] == ["mark"]
    assert table.get("answer").label == "Answer it"  # the label comes from the declaration
    assert table.get("answer").has("answer") and not table.get("mark").has("answer")


@pytest.mark.req("S0-16.1")
def test_when_narrows_a_flow_step():
    step = from_flow(FLOW, "answer", lambda a, o, d: None, when=lambda user, obj: obj.rated)
    assert step.available("clerk", SimpleNamespace(status="open", rated=True))
    assert not step.available("clerk", SimpleNamespace(status="open", rated=False))


@pytest.mark.req("S0-16.1")
def test_perform_dispatches_by_name_and_refuses_an_unknown_one():
    calls = []
    table = _table(calls)
    post = QueryDict("answer=ok&answer=final")
    assert table.perform(actor="clerk", obj=SimpleNamespace(status="open"), name="answer", data=post) == "done"
    assert calls == [("clerk", "open", {"answer": "final"})]  # a form's last value, never a list
    assert table.perform(actor="x", obj=SimpleNamespace(status="open"), name="mark", data={"text": None}) == "marked"
    with pytest.raises(NotFound):
        table.perform(actor="clerk", obj=SimpleNamespace(status="open"), name="drop_table", data={})


@pytest.mark.req("S0-16.1")
def test_two_steps_may_not_share_a_name():
    with pytest.raises(ValueError):
        StepTable(Step("a", "A", run=None, available=None), Step("a", "B", run=None, available=None))
