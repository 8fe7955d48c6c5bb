"""Helpers shared by the opinions services: text cleaning, row locks, telling the people concerned."""

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.duty.services import source_changed
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit
from lvzhi.workdays.calendar import working_days_between
from lvzhi.workflow.selectors import users_with_roles

from .. import rules
from ..models import Category, Report
from ..workflows import REPORT_FLOW

logger = logging.getLogger("lvzhi.opinions")


S = Report.Status


CLOSED_STATES = (S.CLOSED, S.WITHDRAWN)


NOT_YET_ACCEPTED = (S.DRAFT, S.RETURNED, S.WITHDRAWN)


def _reason(value, *, required=True) -> str:
    return clean_text(
        value, field="reason", max_length=rules.REASON_MAX, required=required, label=_("The reason"), multiline=True
    )


def _note(value) -> str:
    return clean_text(
        value, field="note", max_length=rules.REASON_MAX, required=False, label=_("The note"), multiline=True
    )


def _category(value, *, required=True) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if value not in Category.values:
        raise ValidationFailed(_("Choose one of the listed categories."), code="invalid_category")
    return value


def _lock(report: Report) -> Report:
    """The report's row, locked for this transaction, with the units the checks need."""
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("author", "body", "committee", "origin_committee", "hotline")
        .filter(pk=report.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def _link(report: Report) -> str:
    return REPORT_FLOW.link(report)


def _people(report: Report) -> list[User]:
    """The author and the co-reporters: the member side, told at every step."""
    return [report.author, *User.objects.filter(pk__in=report.co_reporters.values("pk"), is_active=True)]


def _tell_member(report: Report, title: str, body: str = "", *, event: str, sms=False):
    notify(_people(report), title=title, body=body, link=_link(report), event=event, obj=report, sms=sms)


def _tell_unit(unit: OrgUnit | None, roles, report: Report, title: str, body: str = "", *, event: str, skip=None):
    recipients = [u for u in users_with_roles(unit, roles) if skip is None or u.pk != skip.pk]
    notify(recipients, title=title, body=body, link=_link(report), event=event, obj=report)


def _now():
    return timezone.now()


def _wd(a, b) -> int | None:
    if a is None or b is None:
        return None
    return max(working_days_between(a, b), 0)


def duty_changed(report) -> None:
    """The duty module's automatic records follow the report (seed 003, S3-6): called where its outcome changes."""
    source_changed(obj=report)
