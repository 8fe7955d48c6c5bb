"""The state machines of online deliberation: topics, special reports (专报) and follow-ups.

Topic: draft → pending (staff submit) → approved (the committee head, the S0-7.1 chain role) → open (published, at
least `deliberation.topic_notice_days` = 15 calendar days before its meeting, S0-12.1) → closed → held (the meeting
took place; follow-ups are tracked). The head may return a pending topic to draft.
专报: draft → pending → approved (head) → sent (staff); returned to draft by the head.
Follow-up: open (a working-day deadline, reminded and escalated to the committee head by `lvzhi tick`) → done.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lvzhi.accounts.roles import Role
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .models import FollowUp, SpecialReport, Topic

T = Topic.Status
S = SpecialReport.Status
F = FollowUp.Status


def _staff(user, topic) -> bool:
    return perm.works_at(user, topic.committee)


def _head(user, topic) -> bool:
    return perm.is_head(user, topic.committee)


TOPIC_FLOW = Workflow(
    "deliberation.topic",
    model=Topic,
    states=T,
    initial=T.DRAFT,
    transitions=[
        Transition("submit", [T.DRAFT], T.PENDING, _staff, denied=DENY_FORBIDDEN, label=_("Submit for approval")),
        Transition("approve", [T.PENDING], T.APPROVED, _head, denied=DENY_FORBIDDEN, label=_("Approve")),
        Transition("return", [T.PENDING, T.APPROVED], T.DRAFT, _head, denied=DENY_FORBIDDEN, label=_("Return")),
        Transition("publish", [T.APPROVED], T.OPEN, _staff, denied=DENY_FORBIDDEN, label=_("Publish")),
        Transition("close", [T.OPEN], T.CLOSED, _staff, denied=DENY_FORBIDDEN, label=_("Close the discussion")),
        Transition("held", [T.CLOSED], T.HELD, _staff, denied=DENY_FORBIDDEN, label=_("The meeting was held")),
    ],
    org_unit=lambda t: t.committee,
    link=lambda t: f"/deliberation/topics/{t.pk}/",
    title=lambda t: t.title,
    label=_("Deliberation topic"),
)


def _report_staff(user, report) -> bool:
    return perm.works_at(user, report.topic.committee)


def _report_head(user, report) -> bool:
    return perm.is_head(user, report.topic.committee)


REPORT_FLOW = Workflow(
    "deliberation.report",
    model=SpecialReport,
    states=S,
    initial=S.DRAFT,
    transitions=[
        Transition(
            "submit", [S.DRAFT], S.PENDING, _report_staff, denied=DENY_FORBIDDEN, label=_("Submit for approval")
        ),
        Transition("approve", [S.PENDING], S.APPROVED, _report_head, denied=DENY_FORBIDDEN, label=_("Approve")),
        Transition("return", [S.PENDING], S.DRAFT, _report_head, denied=DENY_FORBIDDEN, label=_("Return")),
        Transition(
            "send",
            [S.APPROVED],
            S.SENT,
            _report_staff,
            denied=DENY_FORBIDDEN,
            label=pgettext_lazy("deliberation report", "Send"),
        ),
    ],
    org_unit=lambda r: r.topic.committee,
    link=lambda r: f"/deliberation/topics/{r.topic_id}/report/",
    title=lambda r: r.title,
    label=_("Special report"),
)

FOLLOW = "follow_up"
FOLLOW_RULE = DeadlineRule(
    FOLLOW,
    setting=rules.FOLLOWUP_DAYS,
    responsible=lambda f: f.topic.committee,
    notify_roles=(Role.STAFF,),
    escalate_roles=(Role.HEAD,),
    label=_("Record the outcome and tell the members"),
)


def _followup_staff(user, followup) -> bool:
    return perm.works_at(user, followup.topic.committee)


FOLLOWUP_FLOW = Workflow(
    "deliberation.followup",
    model=FollowUp,
    states=F,
    initial=F.OPEN,
    starts=[FOLLOW_RULE],
    transitions=[
        Transition(
            "done",
            [F.OPEN],
            F.DONE,
            _followup_staff,
            denied=DENY_FORBIDDEN,
            ends=[FOLLOW],
            label=_("Record the outcome"),
        ),
    ],
    org_unit=lambda f: f.topic.committee,
    link=lambda f: f"/deliberation/topics/{f.topic_id}/work/",
    title=lambda f: f.source,
    label=_("Deliberation follow-up"),
    due_field="next_due_at",
)
