"""A legislation or supervision topic from the public: new → answered (within the body's working-day limit, reminded
and escalated by `lvzhi tick`) → closed; or closed at once (a duplicate, out of scope) with the reason as answer."""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .models import LegislationTopic

S = LegislationTopic.Status
ANSWER = "answer"

TOPIC_FLOW = Workflow(
    "portal.topic",
    model=LegislationTopic,
    states=S,
    initial=S.NEW,
    starts=[
        DeadlineRule(
            ANSWER,
            setting=rules.TOPIC_ANSWER_DAYS,
            responsible=lambda t: t.body,
            notify_roles=(Role.STAFF,),
            escalate_roles=(Role.HEAD, Role.LEADER),
            label=_("Answer the proposed topic"),
        )
    ],
    transitions=[
        Transition(
            "answer",
            sources=[S.NEW],
            target=S.ANSWERED,
            allowed=perm.handles_topic,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Answer"),
        ),
        Transition(
            "close",
            sources=[S.NEW, S.ANSWERED],
            target=S.CLOSED,
            allowed=perm.handles_topic,
            denied=DENY_FORBIDDEN,
            ends=[ANSWER],
            label=_("Close"),
        ),
    ],
    org_unit=lambda t: t.body,
    link=lambda t: f"/portal/office/topics/{t.pk}/",
    title=lambda t: t.title,
    label=_("Legislation topic"),
    due_field="next_due_at",
)
