"""The office's steps on a topic the public proposed: one table for the web page (and any later API door), on the
shared `lvzhi.workflow.steps` kit."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import StepTable, from_flow

from . import services
from .workflows import TOPIC_FLOW

STEPS = StepTable(
    from_flow(
        TOPIC_FLOW,
        "answer",
        lambda a, t, d: services.answer_topic(
            actor=a, topic=t, answer=d.get("answer"), publish=d.get("publish") in (True, "1", "on")
        ),
        label=_("Answer"),
        fields=("answer", "publish"),
    ),
    from_flow(
        TOPIC_FLOW,
        "close",
        lambda a, t, d: services.close_topic(actor=a, topic=t, reason=d.get("reason")),
        label=_("Close"),
        fields=("reason",),
    ),
)
