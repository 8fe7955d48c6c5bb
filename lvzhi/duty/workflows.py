"""The state machines of the duty module: records, events (QR check-in) and objections.

Deadlines (seed 003): records entered within 5 working days after the activity (art. 6: the event's `enter`
deadline, reminded and escalated to the organiser's head); each submitted record reviewed within the body's
review period (art. 7, `review`: 5 working days by default, 10 at most; a late entry's clock runs first at the
members' work committee and restarts at the entering unit when approved); objections answered within 5 working
days (art. 11). A body may set fewer days, never more (`rules.days`, bounds in `orgs.limits`).
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .models import Event, Objection, Record

R = Record.Status
E = Event.Status
O = Objection.Status  # noqa: E741

ENTER = "enter"
ANSWER = "answer"
REVIEW = "review"


def _system_or(predicate):
    """Steps the platform itself takes (an automatic record following its source) have no actor."""

    def allowed(user, obj):
        return user is None or predicate(user, obj)

    return allowed


# ---- records --------------------------------------------------------------------------------------------------


def _review_responsible(record):
    """Who must act on a submitted record now: the members' work committee for a late entry awaiting its
    approval, else the entering unit (its head reviews)."""
    if record.status == R.NEEDS_APPROVAL:
        return perm.liaison_of(record.body) or record.unit
    return record.unit


REVIEW_RULE = DeadlineRule(
    REVIEW,
    setting=rules.REVIEW_DAYS,
    capped=True,
    responsible=_review_responsible,
    notify_roles=(Role.STAFF, Role.HEAD),
    escalate_roles=(Role.HEAD,),
    label=_("Review the duty record"),
)

RECORD_FLOW = Workflow(
    "duty.record",
    model=Record,
    states=R,
    initial=None,
    starts=[REVIEW_RULE],
    transitions=[
        Transition(
            "approve_late",
            sources=[R.NEEDS_APPROVAL],
            target=R.PENDING,
            allowed=perm.may_approve_late,
            denied=DENY_FORBIDDEN,
            starts=[REVIEW_RULE],
            label=_("Approve the late entry"),
        ),
        Transition(
            "refuse_late",
            sources=[R.NEEDS_APPROVAL],
            target=R.REJECTED,
            allowed=perm.may_approve_late,
            denied=DENY_FORBIDDEN,
            ends=[REVIEW],
            label=_("Refuse the late entry"),
        ),
        Transition(
            "review",
            sources=[R.PENDING],
            target=R.COUNTED,
            allowed=_system_or(perm.may_review),
            denied=DENY_FORBIDDEN,
            ends=[REVIEW],
            label=_("Review and archive"),
        ),
        Transition(
            "reject",
            sources=[R.PENDING],
            target=R.REJECTED,
            allowed=perm.may_review,
            denied=DENY_FORBIDDEN,
            ends=[REVIEW],
            label=_("Reject"),
        ),
        Transition(
            "withdraw",
            sources=[R.PENDING, R.NEEDS_APPROVAL],
            target=R.WITHDRAWN,
            allowed=_system_or(perm.may_withdraw),
            denied=DENY_FORBIDDEN,
            ends=[REVIEW],
            label=_("Withdraw the entry"),
        ),
        # Only ever taken inside the review of the correcting record (or an upheld objection).
        Transition("supersede", sources=[R.COUNTED], target=R.SUPERSEDED, allowed=lambda u, r: True),
    ],
    org_unit=lambda r: r.unit,
    link=lambda r: f"/duty/records/{r.pk}/",
    title=lambda r: r.title,
    label=_("Duty record"),
    due_field="next_due_at",
)

# ---- events ---------------------------------------------------------------------------------------------------

ENTER_RULE = DeadlineRule(
    ENTER,
    setting=rules.ENTRY_DAYS,
    capped=True,
    responsible=lambda e: e.organiser,
    notify_roles=(Role.STAFF,),
    escalate_roles=(Role.HEAD,),
    label=_("Enter the duty records of the activity"),
)


def _organiser(user, event) -> bool:
    return perm.works_at(user, event.organiser)


EVENT_FLOW = Workflow(
    "duty.event",
    model=Event,
    states=E,
    initial=E.OPEN,
    transitions=[
        Transition(
            "close",
            sources=[E.OPEN],
            target=E.CLOSED,
            allowed=_organiser,
            denied=DENY_FORBIDDEN,
            starts=[ENTER_RULE],
            label=_("Close the check-in"),
        ),
        Transition(
            "enter",
            sources=[E.CLOSED],
            target=E.ENTERED,
            allowed=_organiser,
            denied=DENY_FORBIDDEN,
            ends=[ENTER],
            label=_("Enter the records"),
        ),
    ],
    org_unit=lambda e: e.organiser,
    link=lambda e: f"/duty/events/{e.pk}/",
    title=lambda e: e.title,
    label=_("Activity with check-in"),
    due_field="next_due_at",
)

# ---- objections -----------------------------------------------------------------------------------------------

ANSWER_RULE = DeadlineRule(
    ANSWER,
    setting=rules.OBJECTION_DAYS,
    capped=True,
    responsible=lambda o: o.unit,
    notify_roles=(Role.STAFF,),
    escalate_roles=(Role.HEAD,),
    label=_("Answer the objection"),
)

OBJECTION_FLOW = Workflow(
    "duty.objection",
    model=Objection,
    states=O,
    initial=O.OPEN,
    starts=[ANSWER_RULE],
    transitions=[
        Transition(
            "uphold",
            sources=[O.OPEN],
            target=O.UPHELD,
            allowed=perm.may_answer,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Uphold"),
        ),
        Transition(
            "reject",
            sources=[O.OPEN],
            target=O.REJECTED,
            allowed=perm.may_answer,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Do not uphold"),
        ),
    ],
    org_unit=lambda o: o.unit,
    link=lambda o: f"/duty/objections/{o.pk}/",
    title=lambda o: o.get_target_display(),
    label=_("Objection to duty points"),
    due_field="next_due_at",
)
