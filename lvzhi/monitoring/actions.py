"""The steps on a finding: one table for the web page and the API (`POST /api/v1/monitoring/findings/{id}/steps/
{name}`), on the shared `lvzhi.workflow.steps` kit."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import Step, StepTable, from_flow

from . import permissions as perm
from . import services
from .workflows import FINDING_FLOW


def _may_report(user, finding) -> bool:
    return (
        finding.reported_at is None
        and finding.kind in ("harmful_content", "counterfeit_account")
        and (perm.may_verify(user, finding))
    )


STEPS = StepTable(
    from_flow(
        FINDING_FLOW,
        "fix",
        lambda a, f, d: services.fix_finding(actor=a, finding=f, note=d.get("note")),
        text=_("What was fixed (for a counterfeit account: the takedown)"),
        text_required=True,
    ),
    from_flow(
        FINDING_FLOW,
        "verify",
        lambda a, f, d: services.verify_finding(actor=a, finding=f, note=d.get("note", "")),
        text=_("Note (optional)"),
    ),
    from_flow(
        FINDING_FLOW,
        "reopen",
        lambda a, f, d: services.reopen_finding(actor=a, finding=f, note=d.get("note")),
        text=_("Why it is reopened"),
        text_required=True,
        style="secondary",
    ),
    from_flow(
        FINDING_FLOW,
        "dismiss",
        lambda a, f, d: services.dismiss_finding(actor=a, finding=f, reason=d.get("note")),
        text=_("Why it is dismissed"),
        text_required=True,
        style="danger",
    ),
    Step(
        "report",
        _("Report upward"),
        run=lambda a, f, d: services.report_upward(actor=a, finding=f, note=d.get("note")),
        available=_may_report,
        text=_("Report to the level above"),
        text_required=True,
    ),
)


def available_actions(user, finding):
    return STEPS.available(user, finding)


def perform(*, actor, finding, name: str, data: dict):
    return STEPS.perform(actor=actor, obj=finding, name=name, data=data)
