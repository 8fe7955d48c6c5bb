"""The feedback case: given → answered (within the body's working-day limit, reminded and escalated to the office's
head by `lvzhi tick`) → changed as a result, or closed (duplicate, no change needed, not actionable)."""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .models import Feedback

S = Feedback.Status
ANSWER = "answer"


def information_office(feedback):
    return unit_by_function(feedback.body, UnitFunction.INFO_OFFICE) or feedback.body


FEEDBACK_FLOW = Workflow(
    "feedback.feedback",
    model=Feedback,
    states=S,
    initial=S.NEW,
    starts=[
        DeadlineRule(
            ANSWER,
            setting=rules.ANSWER_DAYS,
            capped=True,
            responsible=information_office,
            notify_roles=(Role.INFO_OFFICE,),
            escalate_roles=(Role.HEAD, Role.LEADER),
            label=_("Answer the feedback"),
        )
    ],
    transitions=[
        Transition(
            "answer",
            sources=[S.NEW],
            target=S.ANSWERED,
            allowed=perm.handles,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Answer"),
        ),
        Transition(
            "record_change",
            sources=[S.NEW, S.ANSWERED],
            target=S.CHANGED,
            allowed=perm.handles,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Record the change made"),
        ),
        Transition(
            "close",
            sources=[S.NEW, S.ANSWERED],
            target=S.CLOSED,
            allowed=perm.handles,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Close"),
        ),
    ],
    org_unit=lambda f: f.body,
    link=lambda f: f"/feedback/{f.pk}/",
    title=lambda f: f.get_kind_display(),
    label=_("Feedback"),
    due_field="next_due_at",
)
