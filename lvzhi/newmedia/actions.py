"""The steps a user can take on a filing: one table for the web pages and the API
(`POST /api/v1/newmedia/filings/{id}/steps/{name}`). Each step says who may take it now and which service it
calls; the services check again."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound

from . import services
from .workflows import FILING_FLOW


@dataclass(frozen=True)
class Action:
    name: str
    label: object
    run: Callable  # (actor, obj, data) -> object
    available: Callable  # (user, obj) -> bool
    text: object = None
    text_required: bool = False
    style: str = ""
    confirm: object = None


def _step(name):
    step = FILING_FLOW.get(name)

    def available(user, obj):
        return FILING_FLOW.state_of(obj) in step.sources and step.may(user, obj)

    return available


FILING_ACTIONS = [
    Action(
        "file",
        _("File with the government office"),
        lambda a, f, d: services.file_filing(actor=a, filing=f),
        _step("file"),
    ),  # fmt: skip
    Action(
        "reject",
        _("Reject in writing"),
        lambda a, f, d: services.reject_filing(actor=a, filing=f, reasons=d.get("text")),
        _step("reject"),
        text=_("Reasons (the written answer to the unit)"),
        text_required=True,
        style="danger",
    ),
    Action(
        "accept", _("Accept the filing"), lambda a, f, d: services.accept_filing(actor=a, filing=f), _step("accept")
    ),  # fmt: skip
    Action(
        "report",
        _("Record the upward report"),
        lambda a, f, d: services.report_filing(actor=a, filing=f),
        _step("report"),
    ),  # fmt: skip
]


def available_actions(user, obj) -> list[Action]:
    return [a for a in FILING_ACTIONS if a.available(user, obj)]


def perform(*, actor, obj, name: str, data: dict):
    action = next((a for a in FILING_ACTIONS if a.name == name), None)
    if action is None:
        raise NotFound()
    clean = {k: (v if v is not None else "") for k, v in (data or {}).items()}
    return action.run(actor, obj, clean)
