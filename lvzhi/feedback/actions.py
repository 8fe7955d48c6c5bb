"""The steps the information office can take on a feedback: one table for the web page and the API
(`POST /api/v1/feedback/{id}/steps/{name}`), on the shared `lvzhi.workflow.steps` kit."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import StepTable, from_flow

from . import services
from .workflows import FEEDBACK_FLOW

STEPS = StepTable(
    from_flow(
        FEEDBACK_FLOW,
        "answer",
        lambda a, f, d: services.answer_feedback(actor=a, feedback=f, answer=d.get("answer")),
        label=_("Answer"),
        fields=("answer",),
    ),
    from_flow(
        FEEDBACK_FLOW,
        "record_change",
        lambda a, f, d: services.record_change(actor=a, feedback=f, note=d.get("note"), answer=d.get("answer", "")),
        label=_("Record the change made"),
        fields=("note", "answer"),
    ),
    from_flow(
        FEEDBACK_FLOW,
        "close",
        lambda a, f, d: services.close_feedback(
            actor=a, feedback=f, reason=d.get("reason"), answer=d.get("answer", "")
        ),
        label=_("Close"),
        fields=("reason", "answer"),
    ),
)


def available_actions(user, feedback):
    return STEPS.available(user, feedback)


def perform(*, actor, feedback, name: str, data: dict):
    return STEPS.perform(actor=actor, obj=feedback, name=name, data=data)
