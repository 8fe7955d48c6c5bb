"""The steps a user can take on a topic, a 专报 or a follow-up: one table for the web pages and the API
(`POST /api/v1/deliberation/<topics|reports|followups>/{id}/steps/{name}`). Each step says who may take it now and
which service it calls; the services check again."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound

from . import permissions as perm
from . import services
from .models import FollowUp, SpecialReport, Topic
from .workflows import FOLLOWUP_FLOW, REPORT_FLOW, TOPIC_FLOW


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    run: Callable  # (actor, obj, data) -> object
    available: Callable  # (user, obj) -> bool
    text: object = None
    text_required: bool = False
    style: str = ""
    confirm: object = None


def _step(flow, name):
    step = flow.get(name)

    def available(user, obj):
        return flow.state_of(obj) in step.sources and step.may(user, obj)

    return available


TOPIC_ACTIONS = [
    Action(
        "submit",
        _("Submit for approval"),
        lambda a, t, d: services.submit_topic(actor=a, topic=t, note=d.get("text")),
        _step(TOPIC_FLOW, "submit"),
    ),
    Action(
        "approve",
        _("Approve the topic"),
        lambda a, t, d: services.approve_topic(actor=a, topic=t, note=d.get("text")),
        _step(TOPIC_FLOW, "approve"),
        text=_("Note (optional)"),
    ),
    Action(
        "return",
        _("Return for changes"),
        lambda a, t, d: services.return_topic(actor=a, topic=t, note=d.get("text")),
        _step(TOPIC_FLOW, "return"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    Action(
        "publish",
        _("Publish and invite the members"),
        lambda a, t, d: services.publish_topic(actor=a, topic=t),
        _step(TOPIC_FLOW, "publish"),
        confirm=_("Publish the topic and send the notice to every member?"),
    ),
    Action(
        "remind",
        _("Remind those who have not taken part"),
        lambda a, t, d: services.remind_absent(actor=a, topic=t),
        lambda u, t: perm.discussion_open(t) and perm.works_at(u, t.committee),
        style="secondary",
    ),
    Action(
        "close",
        _("Close the discussion"),
        lambda a, t, d: services.close_topic(actor=a, topic=t),
        _step(TOPIC_FLOW, "close"),
        style="secondary",
    ),
    Action(
        "held",
        _("The meeting was held"),
        lambda a, t, d: services.meeting_held(actor=a, topic=t),
        _step(TOPIC_FLOW, "held"),
        style="secondary",
    ),
]

REPORT_ACTIONS = [
    Action(
        "submit",
        _("Submit to the committee head"),
        lambda a, r, d: services.submit_report(actor=a, report=r, note=d.get("text")),
        _step(REPORT_FLOW, "submit"),
    ),
    Action(
        "approve",
        _("Approve the special report"),
        lambda a, r, d: services.approve_report(actor=a, report=r, note=d.get("text")),
        _step(REPORT_FLOW, "approve"),
        text=_("Note (optional)"),
    ),
    Action(
        "return",
        _("Return for changes"),
        lambda a, r, d: services.return_report(actor=a, report=r, note=d.get("text")),
        _step(REPORT_FLOW, "return"),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    Action(
        "send",
        _("Send to the leaders"),
        lambda a, r, d: services.send_report(actor=a, report=r),
        _step(REPORT_FLOW, "send"),
    ),
]

FOLLOWUP_ACTIONS = [
    Action(
        "done",
        _("Record the outcome and tell the members"),
        lambda a, f, d: services.complete_followup(actor=a, followup=f, outcome=d.get("text")),
        _step(FOLLOWUP_FLOW, "done"),
        text=_("Outcome"),
        text_required=True,
    ),
]

TABLES = {"topic": TOPIC_ACTIONS, "report": REPORT_ACTIONS, "followup": FOLLOWUP_ACTIONS}
MODELS = {"topic": Topic, "report": SpecialReport, "followup": FollowUp}


def available_actions(user, obj, table: str) -> list[Action]:
    return [a for a in TABLES[table] if a.available(user, obj)]


def perform(*, actor, obj, table: str, name: str, data: dict):
    action = next((a for a in TABLES[table] if a.name == name), None)
    if action is None:
        raise NotFound()
    clean = {k: (v if v is not None else "") for k, v in (data or {}).items()}
    return action.run(actor, obj, clean)
