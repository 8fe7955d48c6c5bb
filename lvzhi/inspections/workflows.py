"""The inspection cases on `lvzhi.workflow`.

- `inspections.self`: a unit's quarterly self-inspection report. Opened when the quarter ends (tick job), due
  within `inspections.self_report_working_days` (5) working days counted from the quarter's last day (S1-5.3;
  reminded, then escalated to the unit's head); submitted → accepted by the competent office, or returned and
  submitted again within `inspections.revise_working_days` working days of the return (the office reviews within
  5 working days).
- `inspections.fix`: a finding of a check for the host unit: fixed within `inspections.fix_working_days`, then
  confirmed by the office (or sent back, when the clock starts again).
"""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.core.timeutil import start_of_day
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .models import Rectification, SelfInspection

S = SelfInspection.Status
R = Rectification.Status
REPORT, REVISE, REVIEW, FIX, CONFIRM = "report", "revise", "review", "fix", "confirm"


def quarter_end(year: int, quarter: int) -> dt.date:
    if quarter == 4:
        return dt.date(year, 12, 31)
    return dt.date(year, quarter * 3 + 1, 1) - dt.timedelta(days=1)


def _quarter_end_moment(report) -> dt.datetime:
    """The quarter's last day (not counted, like every start day): the report is due within n working days after."""
    return start_of_day(quarter_end(report.year, report.quarter))


def _review_rule():
    return DeadlineRule(
        REVIEW,
        responsible=lambda r: r.office,
        working_days=rules.REVIEW_WORKING_DAYS,
        notify_roles=(Role.NM_COMPETENT,),
        escalate_roles=(Role.HEAD, Role.LEADER),
        label=_("Review the self-inspection report"),
    )


def _revise_rule():
    return DeadlineRule(
        REVISE,
        responsible=lambda r: r.unit,
        setting=rules.REVISE_DAYS,
        setting_from=lambda r: r.office,
        capped=True,
        notify_roles=(Role.NM_OPERATOR, Role.NM_EDITOR),
        escalate_roles=(Role.HEAD,),
        label=_("Submit the revised self-inspection report"),
    )


SELF_FLOW = Workflow(
    "inspections.self",
    model=SelfInspection,
    states=S,
    initial=S.DUE,
    starts=[
        DeadlineRule(
            REPORT,
            responsible=lambda r: r.unit,
            setting=rules.SELF_REPORT_DAYS,
            start_from=_quarter_end_moment,
            notify_roles=(Role.NM_OPERATOR, Role.NM_EDITOR),
            escalate_roles=(Role.HEAD,),
            label=_("Submit the quarterly self-inspection report"),
        )
    ],
    transitions=[
        Transition(
            "submit",
            sources=[S.DUE, S.RETURNED],
            target=S.SUBMITTED,
            allowed=perm.may_edit_report,
            ends=[REPORT, REVISE],
            starts=[_review_rule()],
            label=_("Submit the report"),
        ),
        Transition(
            "accept",
            sources=[S.SUBMITTED],
            target=S.ACCEPTED,
            allowed=perm.may_review_report,
            ends=[REVIEW],
            label=_("Accept the report"),
        ),
        Transition(
            "return",
            sources=[S.SUBMITTED],
            target=S.RETURNED,
            allowed=perm.may_review_report,
            denied=DENY_FORBIDDEN,
            ends=[REVIEW],
            starts=[_revise_rule()],
            label=_("Return for revision"),
        ),
    ],
    org_unit=lambda r: r.unit,
    link=lambda r: f"/inspections/self/{r.pk}/",
    title=lambda r: f"{r.year}年第{r.quarter}季度自查报告",
    label=_("Quarterly self-inspection"),
    due_field="next_due_at",
)


def _fix_rule():
    return DeadlineRule(
        FIX,
        responsible=lambda f: f.unit,
        setting=rules.FIX_DAYS,
        setting_from=lambda f: f.office,
        notify_roles=(Role.NM_OPERATOR, Role.NM_EDITOR),
        escalate_roles=(Role.HEAD,),
        label=_("Fix the inspection finding"),
    )


FIX_FLOW = Workflow(
    "inspections.fix",
    model=Rectification,
    states=R,
    initial=R.OPEN,
    starts=[_fix_rule()],
    transitions=[
        Transition(
            "report_fixed",
            sources=[R.OPEN],
            target=R.FIXED,
            allowed=perm.may_report_fixed,
            ends=[FIX],
            label=_("Report it fixed"),
        ),
        Transition(
            "confirm",
            sources=[R.FIXED],
            target=R.CLOSED,
            allowed=perm.may_confirm_fix,
            label=_("Confirm the fix"),
        ),
        Transition(
            "send_back",
            sources=[R.FIXED],
            target=R.OPEN,
            allowed=perm.may_confirm_fix,
            denied=DENY_FORBIDDEN,
            starts=[_fix_rule()],
            label=_("Not fixed: send back"),
        ),
    ],
    org_unit=lambda f: f.unit,
    link=lambda f: f"/inspections/fixes/{f.pk}/",
    title=lambda f: f.item.indicator.name[:60],
    label=_("Inspection finding"),
    due_field="next_due_at",
)
