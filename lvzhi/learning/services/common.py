"""Shared pieces of the learning services: text cleaning, file names, the duty entry point."""

import os

from django.utils.translation import gettext as _

from lvzhi.core.validation import clean_text
from lvzhi.duty import services as duty
from lvzhi.orgs.models import UnitFunction
from lvzhi.orgs.selectors import unit_by_function

from .. import rules


def text(value, *, field, label, max_length, required=True, multiline=False) -> str:
    return clean_text(
        value if value is not None else "",
        field=field,
        label=label,
        max_length=max_length,
        required=required,
        multiline=multiline,
    )


def filename(value, default: str) -> str:
    name = os.path.basename(str(value or "").replace("\\", "/")).strip() or default
    return clean_text(name, field="filename", label=_("The file name"), max_length=rules.TITLE_MAX)


def organiser(body):
    """The unit that organises a body's study and training: its study section, else its liaison office."""
    return unit_by_function(body, UnitFunction.STUDY) or unit_by_function(body, UnitFunction.LIAISON_OFFICE) or body


def to_duty(*, kind: str, member, source, day, quantity: int, body, title: str):
    """Study hours ("study") and trainings ("training": a completed course, an attended lecture) as the member's
    automatic duty records (S0-20, S3-5). Idempotent per source; None when the member is no member of a body."""
    return duty.record_from_source(
        kind=kind,
        member=member,
        source=source,
        occurred_on=day,
        quantity=quantity,
        body=body,
        title=title,
        organiser=organiser(body) if kind == "training" else None,
    )
