"""The member's rating of the answer and closing reports left unrated."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.workflow import services as wf

from .. import rules
from ..models import Rating, Report, Satisfaction
from ..permissions import is_author, is_office_staff
from ..selectors import rating_period_over
from ..workflows import REPORT_FLOW
from .common import S, _lock, _now, _reason, _tell_member, _tell_unit


@transaction.atomic
def rate_report(*, actor: User, report: Report, level: str, comment: str = "") -> Rating:
    """The member's satisfaction: 满意 / 基本满意 close the case; 不满意 reopens it for another round."""
    report = _lock(report)
    if level not in Satisfaction.values:
        raise ValidationFailed(_("Choose satisfied, basically satisfied or unsatisfied."), code="invalid_level")
    comment = clean_text(
        comment,
        field="comment",
        max_length=rules.TEXT_MAX,
        required=level == Satisfaction.UNSATISFIED,
        label=_("The comment"),
        multiline=True,
    )
    if is_author(actor, report) and Rating.objects.filter(report=report, round=report.round).exists():
        raise Conflict(_("You have already rated this handling."), code="already_rated")
    if is_author(actor, report) and report.status != S.ANSWERED and report.ratings.exists():
        raise Conflict(_("You have already rated this handling."), code="already_rated")
    now = _now()
    rated_round, committee = report.round, report.committee
    if level == Satisfaction.UNSATISFIED:
        report = wf.transition(
            report,
            "reopen",
            actor=actor,
            workflow=REPORT_FLOW,
            comment=comment,
            data={"level": level, "round": rated_round},
            changes={
                "satisfaction": level,
                "round": rated_round + 1,
                "result": "",
                "answer": "",
                "last_submitted_at": now,
            },
            audit_after={"level": level, "round": rated_round + 1},
        )
    else:
        report = wf.transition(
            report,
            "rate",
            actor=actor,
            workflow=REPORT_FLOW,
            comment=comment,
            data={"level": level, "round": rated_round},
            changes={"satisfaction": level, "closed_at": now},
            audit_after={"level": level},
        )
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                report=report, round=rated_round, level=level, comment=comment, committee=committee, author=actor
            )
    except IntegrityError:
        raise Conflict(_("You have already rated this handling."), code="already_rated")
    label = Satisfaction(level).label
    if level == Satisfaction.UNSATISFIED:
        title = _("The member is unsatisfied; the report is reopened: %(title)s") % {"title": report.title}
    else:
        title = _("The member rated the handling %(level)s: %(title)s") % {"level": label, "title": report.title}
    _tell_unit(report.committee, [Role.STAFF], report, title, comment, event=f"opinions.report.{level}")
    if report.hotline_id:
        _tell_unit(report.hotline, [Role.HOTLINE], report, title, comment, event=f"opinions.report.{level}")
    return rating


@transaction.atomic
def close_unrated(*, actor: User, report: Report, note: str) -> Report:
    """Close a case the member has not rated within the rating period."""
    report = _lock(report)
    note = _reason(note)
    if report.status == S.ANSWERED and is_office_staff(actor, report) and not rating_period_over(report):
        raise Conflict(_("The member still has time to rate the handling."), code="rating_period_running")
    report = wf.transition(
        report, "close", actor=actor, workflow=REPORT_FLOW, comment=note, changes={"closed_at": _now()}
    )
    _tell_member(
        report,
        _("Your public-opinion report was closed: %(title)s") % {"title": report.title},
        note,
        event="opinions.report.close",
    )
    return report
