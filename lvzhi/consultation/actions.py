"""The steps a user can take on a meeting: one table for the web page and the API
(`POST /api/v1/consultation/meetings/{id}/steps/{name}`). Each step says who may take it now and which service
it calls; the services check again."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound

from . import services
from .workflows import MEETING_FLOW


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    run: Callable  # (actor, meeting, data) -> object
    available: Callable  # (user, meeting) -> bool
    text: object = None
    text_required: bool = False
    style: str = ""
    confirm: object = None


def _step(name):
    step = MEETING_FLOW.get(name)

    def available(user, obj):
        return MEETING_FLOW.state_of(obj) in step.sources and step.may(user, obj)

    return available


MEETING_ACTIONS = [
    Action(
        "approve",
        _("Approve the application"),
        lambda a, m, d: services.decide_application(actor=a, meeting=m, approve=True, note=d.get("text")),
        _step("approve"),
        text=_("Note (optional)"),
    ),
    Action(
        "refuse",
        _("Refuse the application"),
        lambda a, m, d: services.decide_application(actor=a, meeting=m, approve=False, note=d.get("text")),
        _step("refuse"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    Action(
        "end",
        _("End the meeting"),
        lambda a, m, d: services.end_meeting(actor=a, meeting=m),
        _step("end"),
        confirm=_("End the meeting? The attendance goes to the members' duty records."),
    ),
    Action(
        "cancel",
        _("Cancel the meeting"),
        lambda a, m, d: services.cancel_meeting(actor=a, meeting=m, reason=d.get("text")),
        _step("cancel"),
        text=_("Reason (optional)"),
        style="secondary",
        confirm=_("Cancel the meeting? The invitees are told."),
    ),
]


def available_actions(user, meeting) -> list[Action]:
    return [a for a in MEETING_ACTIONS if a.available(user, meeting)]


def perform(*, actor, meeting, name: str, data: dict):
    action = next((a for a in MEETING_ACTIONS if a.name == name), None)
    if action is None:
        raise NotFound()
    clean = {k: (v if v is not None else "") for k, v in (data or {}).items()}
    return action.run(actor, meeting, clean)
