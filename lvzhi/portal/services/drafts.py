"""Draft regulations for comment (S4-2.1.2): the office pastes the draft, which is split into its articles and
published for a period; visitors comment on an article or on the whole with a verified number (real name optional
to the public, kept by the office), every comment screened and moderated; once the period has closed the office
records for each shown comment whether it was adopted, partly adopted or not, with the reason, and publishes the
adoption report. Audit rows carry ids, codes and lengths only."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.masking import mask_name
from lvzhi.core.timeutil import start_of_day
from lvzhi.core.validation import clean_text
from lvzhi.orgs.selectors import body_setting
from lvzhi.screening import services as screening
from lvzhi.workdays.calendar import add_calendar_days, due_date

from .. import permissions as perm
from .. import rules
from ..models import Draft, DraftArticle, DraftComment
from ..pagecache import bump_bodies
from ..parsing import MAX_ARTICLES, split_articles
from .verification import count_post

C = DraftComment.Status
A = DraftComment.Adoption


def comment_period(opens_on: dt.date, days: int) -> tuple[dt.datetime, dt.date]:
    """(closes_at, last day) of a period of `days` calendar days from `opens_on` (the opening day not counted; a
    last day that is a holiday moves to the next working day — Civil Code arts. 201, 203)."""
    closes_at = add_calendar_days(start_of_day(opens_on), days)
    return closes_at, due_date(closes_at)


def _office(actor, body) -> None:
    if not perm.is_office(actor, body):
        raise NotFound()


def _period_days(body, days) -> int:
    minimum = int(body_setting(body, rules.COMMENT_DAYS) or 30)
    try:
        days = int(days) if days not in (None, "") else minimum
    except (TypeError, ValueError):
        raise ValidationFailed(_("Give the comment period in days."), code="period_invalid")
    if days < minimum or days > 365:
        raise ValidationFailed(
            _("The comment period is at least %(n)s days and at most 365.") % {"n": minimum}, code="period_invalid"
        )
    return days


@transaction.atomic
def create_draft(*, actor, body, title: str, text: str, opens_on: dt.date, period_days=None, introduction: str = ""):
    _office(actor, body)
    title = clean_text(title, field="title", max_length=rules.TITLE_MAX, label=_("Title"))
    introduction = clean_text(
        introduction, field="introduction", max_length=rules.TEXT_MAX, label=_("Explanation"), multiline=True,
        required=False,
    )  # fmt: skip
    text = clean_text(text, field="text", max_length=rules.DRAFT_MAX, label=_("Text of the draft"), multiline=True)
    preamble, articles = split_articles(text)
    if not articles:
        raise ValidationFailed(_("No articles (第…条) were found in the text."), code="no_articles")
    if len(articles) > MAX_ARTICLES:
        raise ValidationFailed(_("A draft has at most %(n)s articles.") % {"n": MAX_ARTICLES}, code="too_many_articles")
    if not isinstance(opens_on, dt.date):
        raise ValidationFailed(_("Give the day the comment period opens."), code="opens_on_required")
    days = _period_days(body, period_days)
    closes_at, closes_on = comment_period(opens_on, days)
    draft = Draft.objects.create(
        body=body, title=title, introduction=introduction or preamble[: rules.TEXT_MAX], text=text,
        opens_on=opens_on, period_days=days, closes_at=closes_at, closes_on=closes_on, created_by=actor,
    )  # fmt: skip
    DraftArticle.objects.bulk_create(
        DraftArticle(draft=draft, position=i + 1, label=a.label, chapter=a.chapter[:100], text=a.text)
        for i, a in enumerate(articles)
    )
    record(
        "portal.draft.create", actor=actor, obj=draft, org_unit=body,
        after={"articles": len(articles), "opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
    )  # fmt: skip
    return draft


def _lock(draft: Draft) -> Draft:
    return Draft.objects.select_for_update().select_related("body").get(pk=draft.pk)


@transaction.atomic
def publish_draft(*, actor, draft: Draft) -> Draft:
    _office(actor, draft.body)
    draft = _lock(draft)
    if draft.is_published:
        raise Conflict(_("The draft is already published."), code="already_published")
    draft.is_published = True
    draft.save(update_fields=["is_published"])
    record("portal.draft.publish", actor=actor, obj=draft, org_unit=draft.body, after={"published": True})
    bump_bodies([draft.body_id])
    return draft


def is_open(draft: Draft, now=None) -> bool:
    now = now or timezone.now()
    return draft.is_published and start_of_day(draft.opens_on) <= now < draft.closes_at


@transaction.atomic
def comment(
    *, draft: Draft, article_id=None, text: str, phone: str, name: str = "", show_name: bool = False, ip=None
) -> DraftComment:
    """A visitor's comment (their number verified beforehand), kept for moderation."""
    draft = _lock(draft)
    if not is_open(draft):
        raise Conflict(_("The comment period is not open."), code="period_closed")
    if not phone:
        raise ValidationFailed(_("Verify your mobile number first."), code="phone_unverified")
    article = None
    if article_id not in (None, "", "0", 0):
        article = DraftArticle.objects.filter(draft=draft, pk=_int(article_id)).first()
        if article is None:
            raise ValidationFailed(_("Choose an article of this draft."), code="article_invalid")
    text = clean_text(text, field="text", max_length=rules.TEXT_MAX, label=_("Your comment"), multiline=True)
    name = clean_text(name, field="name", max_length=rules.NAME_MAX, label=_("Name"), required=False)
    findings = screening.scan(text, body=draft.body)
    if screening.has_blocking(findings):
        screening.report_blocked(actor=None, findings=findings, org_unit=draft.body)
        raise ValidationFailed(_("The comment contains words that may not be sent."), code="text_blocked")
    count_post(phone=phone, ip=ip)
    item = DraftComment.objects.create(
        draft=draft, article=article, text=screening.mask(text, findings), name=name,
        show_name=bool(show_name and name), public_name=mask_name(name) if show_name and name else "",
        phone=phone, findings=[f.as_dict() for f in findings],
    )  # fmt: skip
    record(
        "portal.comment.create", obj=item, org_unit=draft.body,
        after={"draft": draft.pk, "article": getattr(article, "pk", None), "length": len(text),
               "findings": len(findings)},
    )  # fmt: skip
    return item


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose an article of this draft."), code="article_invalid")


def _comment(actor, pk) -> DraftComment:
    item = DraftComment.objects.select_for_update().filter(pk=pk).first()
    if item is None:
        raise NotFound()
    item.draft = Draft.objects.select_related("body").get(pk=item.draft_id)
    _office(actor, item.draft.body)
    return item


@transaction.atomic
def moderate(*, actor, comment_id, show: bool) -> DraftComment:
    item = _comment(actor, comment_id)
    if item.adoption:
        raise Conflict(_("Its adoption is already recorded."), code="already_adopted")
    before = item.status
    item.status = C.APPROVED if show else C.REJECTED
    item.moderated_by = actor
    item.save(update_fields=["status", "moderated_by"])
    record(
        "portal.comment.moderate", actor=actor, obj=item, org_unit=item.draft.body,
        before={"status": before}, after={"status": item.status},
    )  # fmt: skip
    bump_bodies([item.draft.body_id])
    return item


@transaction.atomic
def record_adoption(*, actor, comment_id, adoption: str, reason: str) -> DraftComment:
    """After the period: whether and how a shown comment was adopted, with the reason (changeable until the report
    is published)."""
    item = _comment(actor, comment_id)
    if timezone.now() < item.draft.closes_at:
        raise Conflict(_("The comment period has not closed yet."), code="period_open")
    if item.draft.report_published_at is not None:
        raise Conflict(_("The adoption report is already published."), code="report_published")
    if item.status != C.APPROVED:
        raise Conflict(_("Only shown comments are answered in the report."), code="not_shown")
    if adoption not in A.values:
        raise ValidationFailed(_("Choose adopted, partly adopted or not adopted."), code="adoption_invalid")
    reason = clean_text(reason, field="reason", max_length=rules.REASON_MAX, label=_("Reason"), multiline=True)
    before = item.adoption
    item.adoption, item.adoption_reason, item.adopted_by = adoption, reason, actor
    item.save(update_fields=["adoption", "adoption_reason", "adopted_by"])
    record(
        "portal.comment.adoption", actor=actor, obj=item, org_unit=item.draft.body,
        before={"adoption": before}, after={"adoption": adoption, "reason_length": len(reason)},
    )  # fmt: skip
    return item


@transaction.atomic
def publish_report(*, actor, draft: Draft) -> Draft:
    _office(actor, draft.body)
    draft = _lock(draft)
    if timezone.now() < draft.closes_at:
        raise Conflict(_("The comment period has not closed yet."), code="period_open")
    if draft.report_published_at is not None:
        raise Conflict(_("The adoption report is already published."), code="report_published")
    missing = DraftComment.objects.filter(draft=draft, status=C.APPROVED, adoption="").count()
    if missing:
        raise Conflict(
            _("%(n)s shown comments have no adoption recorded yet.") % {"n": missing}, code="adoption_missing"
        )
    pending = DraftComment.objects.filter(draft=draft, status=C.PENDING).count()
    if pending:
        raise Conflict(_("%(n)s comments still await moderation.") % {"n": pending}, code="moderation_pending")
    draft.report_published_at = timezone.now()
    draft.save(update_fields=["report_published_at"])
    record("portal.draft.report", actor=actor, obj=draft, org_unit=draft.body, after={"published": True})
    bump_bodies([draft.body_id])
    return draft
