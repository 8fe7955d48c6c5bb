"""The state machine of a remote-consultation meeting (S0-5.3).

A member's meeting is scheduled at once (`start`); a department's application waits for a leader's decision
(`approve`/`refuse`); the host cancels a live meeting or ends a scheduled one. Every step is audited by
`lvzhi.workflow` as `consultation.meeting.<step>`.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow import Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from .models import Meeting

S = Meeting.Status

MEETING_FLOW = Workflow(
    "consultation.meeting",
    model=Meeting,
    states=S,
    initial=None,
    transitions=[
        Transition(
            "approve",
            sources=[S.APPLIED],
            target=S.SCHEDULED,
            allowed=perm.may_decide,
            denied=DENY_FORBIDDEN,
            label=_("Approve the application"),
        ),
        Transition(
            "refuse",
            sources=[S.APPLIED],
            target=S.REFUSED,
            allowed=perm.may_decide,
            denied=DENY_FORBIDDEN,
            label=_("Refuse the application"),
        ),
        Transition(
            "cancel",
            sources=[S.APPLIED, S.SCHEDULED],
            target=S.CANCELLED,
            allowed=perm.may_cancel,
            denied=DENY_FORBIDDEN,
            label=_("Cancel the meeting"),
        ),
        Transition(
            "end",
            sources=[S.SCHEDULED],
            target=S.ENDED,
            allowed=perm.may_end,
            denied=DENY_FORBIDDEN,
            label=_("End the meeting"),
        ),
    ],
    org_unit=lambda m: m.unit or m.body,
    link=lambda m: f"/consultation/{m.pk}/",
    title=lambda m: m.title,
    label=_("Remote consultation meeting"),
)
