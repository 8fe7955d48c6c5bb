"""Helpers shared by the content services: text cleaning, row locks, screening and grading checks."""

import dataclasses

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.screening import services as screening

from .. import permissions as perms
from ..models import GRADE_RANK, Article, Grade, ReviewStep, StepKind, Topic

S = Article.Status


TITLE_MAX, SUMMARY_MAX, SOURCE_MAX, REASON_MAX, COMMENT_MAX = 200, 500, 200, 300, 1000


def _reason(reason: str) -> str:
    return clean_text(reason, field="reason", max_length=REASON_MAX, label=_("The reason"))


def _name(user) -> str:
    return getattr(user, "real_name", "") or ""


def _lock(article: Article) -> Article:
    locked = Article.objects.select_for_update().filter(pk=article.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _finding_dict(finding) -> dict:
    if hasattr(finding, "as_dict"):
        data = finding.as_dict()
    else:
        data = dataclasses.asdict(finding) if dataclasses.is_dataclass(finding) else dict(finding)
    return {k: v for k, v in data.items() if isinstance(v, str | int | bool | float) or v is None}


def _screen(article: Article) -> list:
    """Screen the working copy (S2-21, S2-26, S2-27): word lists, personal data, links, unsourced reposts; the
    findings."""
    findings = screening.scan_article(
        title=article.title,
        body_html=article.body_html,
        source=article.source,
        is_repost=article.is_repost,
        body=article.body,
    )
    article.findings = [_finding_dict(f) for f in findings]
    article.findings_blocking = any(f.blocking for f in findings)
    return findings


def _check_grade(article: Article, grade: str, topic: str, *, by_author: bool) -> tuple[str, str]:
    if grade not in Grade.values:
        raise ValidationFailed(_("Unknown grade."), code="unknown_grade")
    if topic not in Topic.values:
        raise ValidationFailed(_("Unknown topic."), code="unknown_topic")
    if topic:
        grade = max(grade, Grade.MAJOR, key=lambda g: GRADE_RANK[g])  # S2-24: never without the leader's review
    if by_author and GRADE_RANK[grade] < GRADE_RANK[article.grade_floor]:
        raise ValidationFailed(
            _("The grade cannot be lowered below %(grade)s.") % {"grade": Grade(article.grade_floor).label},
            code="grade_cannot_be_lowered",
        )
    return grade, topic


def _times(publish_at, expires_at):
    now = timezone.now()
    if publish_at is not None and expires_at is not None and expires_at <= publish_at:
        raise ValidationFailed(_("The expiry must come after the go-live time."), code="expiry_before_go_live")
    if expires_at is not None and expires_at <= now:
        raise ValidationFailed(_("The expiry must lie in the future."), code="expiry_in_past")
    return publish_at, expires_at


def _role_label(role) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return str(role)


def _check_decider(actor, article: Article, step: ReviewStep) -> None:
    if perms.is_own_article(actor, article):
        raise PermissionDenied(_("You cannot review or approve your own article."), code="self_approval")
    if not perms.holds_step(actor, step):
        raise PermissionDenied(
            _("You do not hold the role this step needs (%(role)s at %(unit)s); it may have been withdrawn from you.")
            % {"role": _role_label(step.role), "unit": step.unit.name},
            code="not_step_holder",
        )
    if step.kind != StepKind.PUBLISH and actor.pk in perms._other_deciders(article, step):
        raise PermissionDenied(
            _("You already approved an earlier step of this article; another person must take this one."),
            code="second_approval",
        )
