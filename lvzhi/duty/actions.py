"""The steps a user can take on a duty record, an objection or an event: one table each for the web pages and the
API (`POST /api/v1/duty/<records|objections|events>/{id}/steps/{name}`), on the shared `lvzhi.workflow.steps` kit.
Each step says who may take it now and which service it calls; the services check again. A step with the
"outcome" field asks for a corrected outcome and quantity."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import Step, StepTable, from_flow

from . import permissions as perm
from . import services
from .models import Event, Record
from .workflows import EVENT_FLOW, OBJECTION_FLOW, RECORD_FLOW

R = Record.Status


def _may_correct(user, record):
    return record.status == R.COUNTED and perm.works_at(user, record.unit)


RECORD_STEPS = StepTable(
    from_flow(
        RECORD_FLOW,
        "review",
        lambda a, r, d: services.review_record(actor=a, record=r, comment=d.get("text")),
        text=_("Comment (optional)"),
    ),
    from_flow(
        RECORD_FLOW,
        "reject",
        lambda a, r, d: services.reject_record(actor=a, record=r, reason=d.get("text")),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        RECORD_FLOW,
        "approve_late",
        lambda a, r, d: services.approve_late_entry(actor=a, record=r, note=d.get("text")),
        text=_("Note"),
    ),
    from_flow(
        RECORD_FLOW,
        "refuse_late",
        lambda a, r, d: services.refuse_late_entry(actor=a, record=r, reason=d.get("text")),
        text=_("Reason"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        RECORD_FLOW,
        "withdraw",
        lambda a, r, d: services.withdraw_record(actor=a, record=r, reason=d.get("text")),
        text=_("Reason (optional)"),
        style="secondary",
    ),
    Step(
        "correct",
        _("Enter a correction"),
        run=lambda a, r, d: services.correct_record(
            actor=a, record=r, outcome=d.get("outcome"), quantity=d.get("quantity") or None
        ),
        available=_may_correct,
        fields=("outcome",),
        style="secondary",
    ),
)

OBJECTION_STEPS = StepTable(
    from_flow(
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
        fields=("outcome",),
    ),
    from_flow(
        OBJECTION_FLOW,
        "reject",
        lambda a, o, d: services.answer_objection(actor=a, objection=o, uphold=False, answer=d.get("text")),
        text=_("Answer to the member"),
        text_required=True,
        style="danger",
    ),
)

EVENT_STEPS = StepTable(
    Step(
        "remind",
        _("Remind those not yet checked in"),
        run=lambda a, e, d: services.remind_invitees(actor=a, event=e),
        available=lambda u, e: e.status == Event.Status.OPEN and perm.works_at(u, e.organiser),
        style="secondary",
    ),
    from_flow(
        EVENT_FLOW,
        "close",
        lambda a, e, d: services.close_event(actor=a, event=e),
        confirm=_("Close the check-in? Those not checked in are recorded absent."),
    ),
    from_flow(
        EVENT_FLOW,
        "enter",
        lambda a, e, d: services.enter_event_records(actor=a, event=e),
    ),
)

TABLES = {"record": RECORD_STEPS, "objection": OBJECTION_STEPS, "event": EVENT_STEPS}


def available_actions(user, obj, table: str):
    return TABLES[table].available(user, obj)


def perform(*, actor, obj, table: str, name: str, data: dict):
    return TABLES[table].perform(actor=actor, obj=obj, name=name, data=data)
