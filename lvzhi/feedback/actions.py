"""The steps the information office can take on a feedback: one table for the web page and the API
(`POST /api/v1/feedback/{id}/steps/{name}`). Each says who may take it now and which service it calls; the
services check again."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound

from . import services
from .workflows import FEEDBACK_FLOW


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    run: Callable  # (actor, feedback, data) -> Feedback
    fields: tuple  # the form's fields: ("answer",), ("note", "answer"), ("reason", "answer")


def _available(name):
    step = FEEDBACK_FLOW.get(name)
    return lambda user, obj: FEEDBACK_FLOW.state_of(obj) in step.sources and step.may(user, obj)


ACTIONS = [
    Action(
        "answer",
        _("Answer"),
        lambda a, f, d: services.answer_feedback(actor=a, feedback=f, answer=d.get("answer")),
        ("answer",),
    ),
    Action(
        "record_change",
        _("Record the change made"),
        lambda a, f, d: services.record_change(actor=a, feedback=f, note=d.get("note"), answer=d.get("answer", "")),
        ("note", "answer"),
    ),
    Action(
        "close",
        _("Close"),
        lambda a, f, d: services.close_feedback(
            actor=a, feedback=f, reason=d.get("reason"), answer=d.get("answer", "")
        ),
        ("reason", "answer"),
    ),
]


def available_actions(user, feedback) -> list[Action]:
    return [a for a in ACTIONS if _available(a.name)(user, feedback)]


def perform(*, actor, feedback, name: str, data: dict):
    action = next((a for a in ACTIONS if a.name == name), None)
    if action is None:
        raise NotFound()
    return action.run(actor, feedback, {k: (v if v is not None else "") for k, v in (data or {}).items()})
