"""The steps a user can take on a duty record, an objection or an event: one table for the web pages and the API
(`POST /api/v1/duty/<records|objections|events>/{id}/steps/{name}`). Each step says who may take it now and
which service it calls; the services check again."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound

from . import permissions as perm
from . import services
from .models import Event, Objection, Record
from .workflows import EVENT_FLOW, OBJECTION_FLOW, RECORD_FLOW

R = Record.Status


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    run: Callable  # (actor, obj, data) -> object
    available: Callable  # (user, obj) -> bool
    text: object = None
    text_required: bool = False
    outcome: bool = False
    style: str = ""
    confirm: object = None


def _step(flow, name):
    step = flow.get(name)

    def available(user, obj):
        return flow.state_of(obj) in step.sources and step.may(user, obj)

    return available


def step(flow, name: str, run: Callable, **options) -> Action:
    """The action of the workflow transition `name`: its label and who may take it come from the declaration in
    `workflows.py` (one source for both), `run` calls the service."""
    return Action(name, flow.get(name).label, run, _step(flow, name), **options)


def _may_correct(user, record):
    return record.status == R.COUNTED and perm.works_at(user, record.unit)


RECORD_ACTIONS = [
    step(
        RECORD_FLOW,
        "review",
        lambda a, r, d: services.review_record(actor=a, record=r, comment=d.get("text")),
        text=_("Comment (optional)"),
    ),
    step(
        RECORD_FLOW,
        "reject",
        lambda a, r, d: services.reject_record(actor=a, record=r, reason=d.get("text")),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    step(
        RECORD_FLOW,
        "approve_late",
        lambda a, r, d: services.approve_late_entry(actor=a, record=r, note=d.get("text")),
        text=_("Note"),
    ),
    step(
        RECORD_FLOW,
        "refuse_late",
        lambda a, r, d: services.refuse_late_entry(actor=a, record=r, reason=d.get("text")),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    step(
        RECORD_FLOW,
        "withdraw",
        lambda a, r, d: services.withdraw_record(actor=a, record=r, reason=d.get("text")),
        text=_("Reason (optional)"),
        style="secondary",
    ),
    Action(
        "correct",
        _("Enter a correction"),
        lambda a, r, d: services.correct_record(
            actor=a, record=r, outcome=d.get("outcome"), quantity=d.get("quantity") or None
        ),
        _may_correct,
        outcome=True,
        style="secondary",
    ),
]

OBJECTION_ACTIONS = [
    step(
        OBJECTION_FLOW,
        "uphold",
        lambda a, o, d: services.answer_objection(
            actor=a,
            objection=o,
            uphold=True,
            answer=d.get("text"),
            outcome=d.get("outcome") or "",
            quantity=d.get("quantity") or None,
        ),
        text=_("Answer to the member"),
        text_required=True,
        outcome=True,
    ),
    step(
        OBJECTION_FLOW,
        "reject",
        lambda a, o, d: services.answer_objection(actor=a, objection=o, uphold=False, answer=d.get("text")),
        text=_("Answer to the member"),
        text_required=True,
        style="danger",
    ),
]

EVENT_ACTIONS = [
    Action(
        "remind",
        _("Remind those not yet checked in"),
        lambda a, e, d: services.remind_invitees(actor=a, event=e),
        lambda u, e: e.status == Event.Status.OPEN and perm.works_at(u, e.organiser),
        style="secondary",
    ),
    step(
        EVENT_FLOW,
        "close",
        lambda a, e, d: services.close_event(actor=a, event=e),
        confirm=_("Close the check-in? Those not checked in are recorded absent."),
    ),
    step(
        EVENT_FLOW,
        "enter",
        lambda a, e, d: services.enter_event_records(actor=a, event=e),
    ),
]

TABLES = {"record": RECORD_ACTIONS, "objection": OBJECTION_ACTIONS, "event": EVENT_ACTIONS}
MODELS = {"record": Record, "objection": Objection, "event": Event}


def available_actions(user, obj, table: str) -> list[Action]:
    return [a for a in TABLES[table] if a.available(user, obj)]


def perform(*, actor, obj, table: str, name: str, data: dict):
    action = next((a for a in TABLES[table] if a.name == name), None)
    if action is None:
        raise NotFound()
    clean = {k: (v if v is not None else "") for k, v in (data or {}).items()}
    return action.run(actor, obj, clean)
