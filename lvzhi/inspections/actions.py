"""The steps on inspection cases: one table per case kind for the web page and the API
(`POST /api/v1/inspections/self/{id}/steps/{name}`, `.../fixes/{id}/steps/{name}`, `.../rounds/{id}/steps/{name}`),
on the shared `lvzhi.workflow.steps` kit."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import Step, StepTable, from_flow

from . import permissions as perm
from . import services
from .models import Round
from .workflows import FIX_FLOW, SELF_FLOW


def _accept(value) -> bool:
    return str(value).lower() in ("1", "true", "on", "yes")


SELF_STEPS = StepTable(
    from_flow(
        SELF_FLOW,
        "submit",
        lambda a, r, d: services.submit_report(actor=a, report=r, text=d.get("text") or None),
        text=_("Report"),
    ),
    from_flow(
        SELF_FLOW,
        "accept",
        lambda a, r, d: services.review_report(actor=a, report=r, accept=True, note=d.get("text", "")),
        text=_("Note"),
    ),  # fmt: skip
    from_flow(
        SELF_FLOW,
        "return",
        lambda a, r, d: services.review_report(actor=a, report=r, accept=False, note=d.get("text")),
        text=_("What to revise"),
        text_required=True,
        style="secondary",
    ),
)

FIX_STEPS = StepTable(
    from_flow(
        FIX_FLOW,
        "report_fixed",
        lambda a, f, d: services.report_fixed(actor=a, fix=f, note=d.get("text")),
        text=_("What was done"),
        text_required=True,
    ),
    from_flow(
        FIX_FLOW,
        "confirm",
        lambda a, f, d: services.confirm_fix(actor=a, fix=f, accept=True, note=d.get("text", "")),
        text=_("Note"),
    ),
    from_flow(
        FIX_FLOW,
        "send_back",
        lambda a, f, d: services.confirm_fix(actor=a, fix=f, accept=False, note=d.get("text")),
        text=_("What is still wrong"),
        text_required=True,
        style="danger",
    ),
)

ROUND_STEPS = StepTable(
    Step(
        "publish",
        _("Publish the results"),
        run=lambda a, r, d: services.publish_round(actor=a, round_=r),
        available=lambda u, r: r.status == Round.Status.OPEN and perm.may_run_round(u, r),
        confirm=_("Publish the results? The scores can no longer change and findings go to the units."),
    ),
)
