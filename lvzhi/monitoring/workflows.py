"""The finding case: open → fixed by the host unit (within `monitoring.fix_working_days`, reminded and escalated by
`lvzhi tick`) → verified and closed by the competent office (within `monitoring.verify_working_days`), or reopened;
dismissed with a reason by the office."""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .kinds import label
from .models import Finding

S = Finding.Status
FIX, VERIFY = "fix", "verify"

FIX_RULE = DeadlineRule(
    FIX,
    setting=rules.FIX_DAYS,
    responsible=lambda f: f.host_unit,
    notify_roles=(Role.NM_OPERATOR, Role.NM_EDITOR),
    escalate_roles=(Role.HEAD,),
    label=_("Fix the monitoring finding"),
)
VERIFY_RULE = DeadlineRule(
    VERIFY,
    setting=rules.VERIFY_DAYS,
    responsible=lambda f: f.office,
    notify_roles=(Role.NM_COMPETENT,),
    escalate_roles=(Role.HEAD,),
    label=_("Verify the fix"),
)

FINDING_FLOW = Workflow(
    "monitoring.finding",
    model=Finding,
    states=S,
    initial=S.OPEN,
    starts=[FIX_RULE],
    transitions=[
        Transition(
            "fix",
            sources=[S.OPEN],
            target=S.FIXED,
            allowed=perm.may_fix,
            denied=DENY_FORBIDDEN,
            ends=[FIX],
            starts=[VERIFY_RULE],
            label=_("Report as fixed"),
        ),
        Transition(
            "verify",
            sources=[S.FIXED],
            target=S.CLOSED,
            allowed=perm.may_verify,
            denied=DENY_FORBIDDEN,
            ends=[VERIFY],
            label=_("Verify and close"),
        ),
        Transition(
            "reopen",
            sources=[S.FIXED],
            target=S.OPEN,
            allowed=perm.may_verify,
            denied=DENY_FORBIDDEN,
            ends=[VERIFY],
            starts=[FIX_RULE],
            label=_("Reopen"),
        ),
        Transition(
            "dismiss",
            sources=[S.OPEN, S.FIXED],
            target=S.DISMISSED,
            allowed=perm.may_verify,
            denied=DENY_FORBIDDEN,
            ends=[FIX, VERIFY],
            label=_("Dismiss"),
        ),
    ],
    org_unit=lambda f: f.host_unit,
    link=lambda f: f"/monitoring/findings/{f.pk}/",
    title=lambda f: f"{label(f.kind)}: {f.summary}",
    label=_("Monitoring finding"),
    due_field="next_due_at",
)
