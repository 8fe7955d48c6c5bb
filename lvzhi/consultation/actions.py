"""The steps a user can take on a meeting: one table for the web page and the API
(`POST /api/v1/consultation/meetings/{id}/steps/{name}`), on the shared `lvzhi.workflow.steps` kit. Each step says
who may take it now and which service it calls; the services check again."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import StepTable, from_flow

from . import services
from .workflows import MEETING_FLOW

MEETING_STEPS = StepTable(
    from_flow(
        MEETING_FLOW,
        "approve",
        lambda a, m, d: services.decide_application(actor=a, meeting=m, approve=True, note=d.get("text")),
        label=_("Approve the application"),
        text=_("Note (optional)"),
    ),
    from_flow(
        MEETING_FLOW,
        "refuse",
        lambda a, m, d: services.decide_application(actor=a, meeting=m, approve=False, note=d.get("text")),
        label=_("Refuse the application"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        MEETING_FLOW,
        "end",
        lambda a, m, d: services.end_meeting(actor=a, meeting=m),
        label=_("End the meeting"),
        confirm=_("End the meeting? The attendance goes to the members' duty records."),
    ),
    from_flow(
        MEETING_FLOW,
        "cancel",
        lambda a, m, d: services.cancel_meeting(actor=a, meeting=m, reason=d.get("text")),
        label=_("Cancel the meeting"),
        text=_("Reason (optional)"),
        style="secondary",
        confirm=_("Cancel the meeting? The invitees are told."),
    ),
)


def available_actions(user, meeting):
    return MEETING_STEPS.available(user, meeting)


def perform(*, actor, meeting, name: str, data: dict):
    return MEETING_STEPS.perform(actor=actor, obj=meeting, name=name, data=data)
