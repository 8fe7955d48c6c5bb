"""Monitoring reports on published articles (S0-28, S0-29)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perms
from ..models import Article, MonitorReport
from ..workflows import ARTICLE_FLOW, REPORT_FLOW
from .publication import withdraw


@transaction.atomic
def report_article(*, actor, article: Article, kind: str, reason: str) -> MonitorReport:
    """A volunteer monitor or a reader reports a published item; the information office gets a case with a
    deadline."""
    if not perms.may_report(actor, article):
        raise NotFound()
    if kind not in MonitorReport.Kind.values:
        raise ValidationFailed(_("Choose what is wrong."), code="unknown_kind")
    reason = clean_text(reason, field="reason", max_length=500, required=True, label=_("The reason"))
    office = unit_by_function(article.body, "info_office")
    if office is None:
        raise ValidationFailed(_("This body has no information office to receive reports yet."), code="no_info_office")
    if MonitorReport.objects.filter(
        article=article, reporter=actor, status__in=[MonitorReport.Status.OPEN, MonitorReport.Status.CONTACTED]
    ).exists():
        raise Conflict(_("You have already reported this article; it is being handled."), code="already_reported")
    try:
        with transaction.atomic():
            report = MonitorReport.objects.create(
                article=article,
                body=article.body,
                office=office,
                reporter=actor,
                kind=kind,
                reason=reason,
                article_revision=article.revision_no,
            )
    except IntegrityError:
        raise Conflict(_("You have already reported this article; it is being handled."), code="already_reported")
    wf.start(report, actor=actor, workflow=REPORT_FLOW, event="submit", audit_after={"kind": kind})
    notify(
        users_with_roles(office, [Role.INFO_OFFICE]),
        title=_("Content report: %(title)s") % {"title": article.display_title},
        body=f"{report.get_kind_display()}：{reason}",
        link=REPORT_FLOW.link(report),
        event="content.report.submit",
        obj=report,
    )
    return report


@transaction.atomic
def handle_report(*, actor, report: MonitorReport, action: str, note: str = "") -> MonitorReport:
    """The information office handles a report: contact the poster, close it as corrected (a correction has been
    submitted), remove the item (it is withdrawn) or dismiss it."""
    if action not in ("contact", "correct", "remove", "dismiss"):
        raise ValidationFailed(code="unknown_action")
    note = clean_text(
        note, field="note", max_length=500, required=action in ("contact", "remove", "dismiss"), label=_("The note")
    )
    if not perms.may_handle_report(actor, report):
        raise PermissionDenied()
    article = Article.objects.select_related("column", "author", "published_by").get(pk=report.article_id)
    if action == "correct" and article.revision_no <= report.article_revision:
        raise ValidationFailed(
            _("No correction of the article has been submitted yet; contact the poster first."),
            code="not_corrected",
        )
    closing = action != "contact"
    report = wf.transition(
        report,
        action,
        actor=actor,
        comment=note,
        workflow=REPORT_FLOW,
        changes={"resolution": note, "closed_at": timezone.now() if closing else None},
    )
    if action == "remove" and article.is_live:
        withdraw(actor=actor, article=article, reason=note)
    if action == "contact":
        notify(
            [u for u in (article.author, article.published_by) if u is not None],
            title=_("Please correct: %(title)s") % {"title": article.display_title},
            body=_("The information office received a report (%(kind)s): %(reason)s. %(note)s")
            % {"kind": report.get_kind_display(), "reason": report.reason, "note": note},
            link=ARTICLE_FLOW.link(article),
            event="content.report.contact",
            obj=article,
        )
    if closing and report.reporter is not None:
        notify(
            [report.reporter],
            title=_("Your report was handled: %(title)s") % {"title": article.display_title},
            body=f"{report.get_status_display()}{'：' + note if note else ''}",
            event="content.report.close",
            obj=report,
        )
    return report
