"""The state machine of a filing (opening, change, closing, cancellation: S1-3.2, S2-16, S2-17).

    decided ──file──▶ filed ──accept──▶ accepted ──report──▶ reported
       ▲                 │
       └──(refile) rejected ◀──reject (a reasoned written document)

Deadlines: `file` — the host unit files within the body's limit (`rules.filing_days`: seed 001 2, seed 002 7
working days, a body may only tighten) counted from the collective decision (the service moves the due date back
to the decision day), restarted from a rejection; `report` — the office reports an accepted filing upward within
1 working day (S1-3.2). Both are reminded and escalated by `lvzhi tick`; an overdue `file` deadline is also sent
to the competent office (`jobs.escalate_to_office`).
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.workflow import DeadlineRule, Transition, Workflow
from lvzhi.workflow.declaration import DENY_FORBIDDEN

from . import permissions as perm
from . import rules
from .models import Filing

F = Filing.Status
FILE = "file"
REPORT = "report"


FILE_RULE = DeadlineRule(
    FILE,
    setting=rules.FILING_DAYS,
    at_most=rules.filing_ceiling,  # the body's own seed's number
    responsible=lambda f: f.unit,
    notify_roles=(Role.NM_OPERATOR, Role.NM_EDITOR),
    escalate_roles=(Role.HEAD,),
    label=_("File the new-media account with the government office"),
)
REPORT_RULE = DeadlineRule(
    REPORT,
    working_days=rules.REPORT_WORKING_DAYS,
    responsible=lambda f: f.office,
    notify_roles=(Role.NM_COMPETENT,),
    escalate_roles=(Role.HEAD, Role.NM_COMPETENT),
    label=_("Report the filing to the provincial filing system"),
)


def _manage(user, filing) -> bool:
    return perm.may_manage(user, filing.outlet)


def _review(user, filing) -> bool:
    return perm.may_review(user, filing.outlet)


FILING_FLOW = Workflow(
    "newmedia.filing",
    model=Filing,
    states=F,
    initial=F.DECIDED,
    starts=[FILE_RULE],
    transitions=[
        Transition(
            "file",
            sources=[F.DECIDED, F.REJECTED],
            target=F.FILED,
            allowed=_manage,
            denied=DENY_FORBIDDEN,
            ends=[FILE],
            label=_("File with the government office"),
        ),
        Transition(
            "reject",
            sources=[F.FILED],
            target=F.REJECTED,
            allowed=_review,
            denied=DENY_FORBIDDEN,
            starts=[FILE_RULE],
            label=_("Reject in writing"),
        ),
        Transition(
            "accept",
            sources=[F.FILED],
            target=F.ACCEPTED,
            allowed=_review,
            denied=DENY_FORBIDDEN,
            starts=[REPORT_RULE],
            label=_("Accept the filing"),
        ),
        Transition(
            "report",
            sources=[F.ACCEPTED],
            target=F.REPORTED,
            allowed=_review,
            denied=DENY_FORBIDDEN,
            ends=[REPORT],
            label=_("Record the upward report"),
        ),
    ],
    org_unit=lambda f: f.unit,
    link=lambda f: f"/newmedia/filings/{f.pk}/",
    title=lambda f: f"{f.get_kind_display()}: {f.outlet.name}",
    label=_("New-media filing"),
    due_field="next_due_at",
)
