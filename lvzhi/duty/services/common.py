"""Shared pieces of the duty services: the entering unit of a kind (data per body), the year's state, text checks."""

from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.orgs.models import OrgUnit, UnitFunction

from ..models import EntryRule, Kind, Publication

# Seed 003 art. 5: who enters each kind. None: the organiser of the activity.
DEFAULT_ENTRY = {
    Kind.MEETING: None,
    Kind.ACTIVITY: None,
    Kind.TRAINING: None,
    Kind.PROPOSAL: UnitFunction.PROPOSALS_OFFICE,
    Kind.OPINION: UnitFunction.GENERAL_OFFICE,
    Kind.PLENARY_SPEECH: UnitFunction.GENERAL_OFFICE,  # the plenary speech group; a body names its own unit
    Kind.SPEECH: None,
    Kind.RESEARCH: None,
    Kind.ARTICLE: UnitFunction.GENERAL_OFFICE,
    Kind.HISTORY: UnitFunction.STUDY,
    Kind.SECTOR: None,  # the committee that liaises with the sector organises and enters
    Kind.STUDIO: UnitFunction.LIAISON_OFFICE,
    Kind.PLATFORM: UnitFunction.LIAISON_OFFICE,  # seed 000 art. 20: the liaison office runs the activity points
}


def entering_unit(body: OrgUnit, kind: str, organiser: OrgUnit | None) -> OrgUnit | None:
    """The unit that enters and reviews records of `kind` in `body`: the body's own entry rule, else seed 003's
    default (by unit function), else the organiser."""
    rule = EntryRule.objects.filter(body=body, kind=kind).select_related("unit").first()
    if rule is not None:
        return rule.unit or organiser
    function = DEFAULT_ENTRY.get(kind)
    if function:
        unit = OrgUnit.objects.filter(body=body, function=function, is_active=True).order_by("path").first()
        if unit is not None:
            return unit
    return organiser


def entry_table(body: OrgUnit) -> list[dict]:
    """Every kind with the unit that enters it in `body` and whether that is the body's own rule."""
    own = {r.kind: r for r in EntryRule.objects.filter(body=body).select_related("unit")}
    rows = []
    for kind in Kind:
        rule = own.get(kind.value)
        unit = entering_unit(body, kind.value, None)
        rows.append({"kind": kind, "unit": unit, "own": rule is not None, "by_organiser": unit is None})
    return rows


def check_year_open(body: OrgUnit, year: int) -> None:
    if Publication.objects.filter(body=body, year=year).exists():
        raise Conflict(
            _("The results of %(year)s are published; the year's records and rules are frozen.") % {"year": year},
            code="year_published",
        )


def text(value, *, field: str, label: str, max_length: int, required: bool = True, multiline: bool = False) -> str:
    return clean_text(value, field=field, label=label, max_length=max_length, required=required, multiline=multiline)


def choice(value, choices, *, code: str, message) -> str:
    value = str(value or "")
    if value not in {str(c) for c in choices.values}:
        raise ValidationFailed(message, code=code)
    return value


def body_of(unit: OrgUnit) -> OrgUnit:
    body = unit.body if unit.body_id else None
    if body is None:
        raise NotFound()
    return body
