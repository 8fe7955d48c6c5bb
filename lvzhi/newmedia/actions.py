"""The steps a user can take on a filing: one table for the web pages and the API
(`POST /api/v1/newmedia/filings/{id}/steps/{name}`), on the shared `lvzhi.workflow.steps` kit. Each step says who
may take it now and which service it calls; the services check again."""

from django.utils.translation import gettext_lazy as _

from lvzhi.workflow.steps import StepTable, from_flow

from . import services
from .workflows import FILING_FLOW

FILING_STEPS = StepTable(
    from_flow(
        FILING_FLOW,
        "file",
        lambda a, f, d: services.file_filing(actor=a, filing=f),
        label=_("File with the government office"),
    ),
    from_flow(
        FILING_FLOW,
        "reject",
        lambda a, f, d: services.reject_filing(actor=a, filing=f, reasons=d.get("text")),
        label=_("Reject in writing"),
        text=_("Reasons (the written answer to the unit)"),
        text_required=True,
        style="danger",
    ),
    from_flow(
        FILING_FLOW,
        "accept",
        lambda a, f, d: services.accept_filing(actor=a, filing=f),
        label=_("Accept the filing"),
    ),
    from_flow(
        FILING_FLOW,
        "report",
        lambda a, f, d: services.report_filing(actor=a, filing=f),
        label=_("Record the upward report"),
    ),
)


def available_actions(user, obj):
    return FILING_STEPS.available(user, obj)


def perform(*, actor, obj, name: str, data: dict):
    return FILING_STEPS.perform(actor=actor, obj=obj, name=name, data=data)
