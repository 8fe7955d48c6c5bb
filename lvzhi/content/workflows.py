"""The state machines of content: the article lifecycle, monitoring reports and column changes.

Article: draft → in review (one transition per review/approval step: `pass` while steps remain, `approve` at the
last) → approved → published (or scheduled → published by `lvzhi tick`) → withdrawn / archived; `return` sends it
back for changes from any review step; `revise` opens a correction of a live, withdrawn or archived item, which
goes through review as a new revision while readers keep the last approved one.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.workflow.declaration import DENY_FORBIDDEN, DeadlineRule, Transition, Workflow

from . import permissions as perms
from .models import Article, ColumnChange, MonitorReport

S = Article.Status


def _system(user, obj) -> bool:
    return user is None


def _may_submit(user, article) -> bool:
    return perms.may_edit(user, article)


def _may_revise(user, article) -> bool:
    return perms.may_edit(user, article)


def _may_withdraw(user, article) -> bool:
    return article.is_live and perms.may_take_down(user, article)


ARTICLE_FLOW = Workflow(
    "content.article",
    model=Article,
    states=S,
    initial=S.DRAFT,
    org_unit=lambda a: a.unit,
    link=lambda a: reverse("content:work", args=[a.pk]),
    title=lambda a: a.title,
    label=_("Article"),
    transitions=[
        Transition("submit", [S.DRAFT, S.RETURNED], S.IN_REVIEW, allowed=_may_submit, label=_("Submit for review")),
        Transition("pass", [S.IN_REVIEW], S.IN_REVIEW, allowed=perms.may_review, label=_("Pass to the next step")),
        Transition("approve", [S.IN_REVIEW], S.APPROVED, allowed=perms.may_review, label=_("Approve")),
        Transition("return", [S.IN_REVIEW, S.APPROVED], S.RETURNED, allowed=perms.may_return, label=_("Return")),
        Transition("publish", [S.APPROVED], S.PUBLISHED, allowed=perms.may_publish, label=_("Publish")),
        Transition("schedule", [S.APPROVED], S.SCHEDULED, allowed=perms.may_publish, label=_("Schedule")),
        Transition("unschedule", [S.SCHEDULED], S.APPROVED, allowed=perms.may_unschedule, label=_("Cancel schedule")),
        Transition("go_live", [S.SCHEDULED], S.PUBLISHED, allowed=_system, label=_("Went live")),
        Transition(
            "withdraw",
            [S.PUBLISHED, S.DRAFT, S.IN_REVIEW, S.RETURNED, S.APPROVED, S.SCHEDULED],
            S.WITHDRAWN,
            allowed=_may_withdraw,
            label=_("Withdraw"),
            denied=DENY_FORBIDDEN,
        ),
        Transition("expire", [S.PUBLISHED], S.ARCHIVED, allowed=_system, label=_("Expired")),
        Transition("revise", [S.PUBLISHED, S.WITHDRAWN, S.ARCHIVED], S.DRAFT, allowed=_may_revise, label=_("Correct")),
        Transition("discard", [S.DRAFT, S.RETURNED], S.ARCHIVED, allowed=_may_submit, label=_("Discard")),
    ],
)

R = MonitorReport.Status
REPORT_DEADLINE = "handle_report"


def _may_handle(user, report) -> bool:
    return perms.may_handle_report(user, report)


REPORT_FLOW = Workflow(
    "content.report",
    model=MonitorReport,
    states=R,
    initial=R.OPEN,
    org_unit=lambda r: r.office,
    link=lambda r: reverse("content:report", args=[r.pk]),
    title=lambda r: r.article.display_title,
    label=_("Content report"),
    starts=[
        DeadlineRule(
            REPORT_DEADLINE,
            setting="content.report_working_days",
            responsible=lambda r: r.office,
            notify_roles=(Role.INFO_OFFICE,),
            escalate_roles=(Role.HEAD, Role.INFO_OFFICE),
            label=_("Handle the content report"),
        )
    ],
    transitions=[
        Transition("contact", [R.OPEN], R.CONTACTED, allowed=_may_handle, denied=DENY_FORBIDDEN, label=_("Contact")),
        Transition(
            "correct",
            [R.OPEN, R.CONTACTED],
            R.CORRECTED,
            allowed=_may_handle,
            ends=[REPORT_DEADLINE],
            denied=DENY_FORBIDDEN,
            label=_("Corrected"),
        ),
        Transition(
            "remove",
            [R.OPEN, R.CONTACTED],
            R.REMOVED,
            allowed=_may_handle,
            ends=[REPORT_DEADLINE],
            denied=DENY_FORBIDDEN,
            label=_("Removed"),
        ),
        Transition(
            "dismiss",
            [R.OPEN, R.CONTACTED],
            R.DISMISSED,
            allowed=_may_handle,
            ends=[REPORT_DEADLINE],
            denied=DENY_FORBIDDEN,
            label=_("Dismissed"),
        ),
    ],
)

C = ColumnChange.Status


def _may_decide_change(user, change) -> bool:
    return perms.may_decide_column_change(user, change)


COLUMN_CHANGE_FLOW = Workflow(
    "content.column_change",
    model=ColumnChange,
    states=C,
    initial=C.PROPOSED,
    org_unit=lambda c: c.body,
    link=lambda c: reverse("content:column_change", args=[c.pk]),
    title=lambda c: str(c.get_action_display()),
    label=_("Column change"),
    transitions=[
        Transition(
            "approve", [C.PROPOSED], C.APPROVED, allowed=_may_decide_change, denied=DENY_FORBIDDEN, label=_("Approve")
        ),
        Transition(
            "reject", [C.PROPOSED], C.REJECTED, allowed=_may_decide_change, denied=DENY_FORBIDDEN, label=_("Reject")
        ),
    ],
)

__all__ = ["ARTICLE_FLOW", "COLUMN_CHANGE_FLOW", "REPORT_FLOW"]
