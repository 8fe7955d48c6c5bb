"""Publication: publishing (now or scheduled), expiry, withdrawal, revising and discarding."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core import hooks
from lvzhi.core.errors import Conflict, PermissionDenied, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.orgs.models import UnitFunction
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.screening import services as screening
from lvzhi.search import services as search
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from .. import permissions as perms
from ..models import Article, RegisterEntry, ReviewStep, Revision, StepKind
from ..sanitize import html_to_text
from ..workflows import ARTICLE_FLOW
from .common import S, _check_decider, _lock, _name, _reason
from .urgent import record_response_time


def _names(steps, kind) -> str:
    return "、".join(dict.fromkeys(_name(s.decided_by) for s in steps if s.kind == kind and s.decided_by))


def _register(article: Article, revision: Revision, publisher, at, status) -> RegisterEntry:
    steps = list(
        ReviewStep.objects.filter(revision=revision, status=ReviewStep.Status.DONE).select_related("decided_by")
    )
    RegisterEntry.objects.filter(article=article, status=RegisterEntry.Status.LIVE).update(
        status=RegisterEntry.Status.REPLACED, ended_at=at, ended_by=_name(publisher)
    )
    return RegisterEntry.objects.create(
        article=article,
        revision=revision,
        body=article.body,
        unit=article.unit,
        column_name=article.column.name,
        category_name=article.column.disclosure_category.name if article.column.disclosure_category_id else "",
        title=revision.title,
        grade=revision.grade,
        drafted_by=_name(article.author) or _name(revision.created_by),
        drafted_at=article.created_at,
        reviewed_by=_names(steps, StepKind.REVIEW),
        approved_by=_names(steps, StepKind.APPROVE),
        published_by=_name(publisher),
        published_by_user=publisher,
        published_at=at,
        status=status,
    )


def _live_changed(article: Article) -> None:
    """Tell the listeners (the public portal's page cache) that what the public sees of the article's body changed,
    once the transaction commits."""
    body_id, column_id = article.body_id, article.column_id
    transaction.on_commit(lambda: hooks.fire("content.live_changed", body_id=body_id, column_id=column_id), robust=True)


def _go_live(article: Article, revision: Revision, publisher, at) -> None:
    search.index(article, title=revision.title, text=html_to_text(revision.body_html))
    _live_changed(article)
    entry = _register(article, revision, publisher, at, RegisterEntry.Status.LIVE)
    record_response_time(article, at)
    hooks.fire("content.published", entry=entry, article=article)  # e.g. the monitoring module's item log
    notify(
        [article.author],
        title=_("Published: %(title)s") % {"title": revision.title},
        link=ARTICLE_FLOW.link(article),
        event="content.article.publish",
        obj=article,
    )


def _live_changes(article: Article, revision: Revision, publisher, at) -> dict:
    return {
        "is_live": True,
        "published_title": revision.title,
        "published_summary": revision.summary or html_to_text(revision.body_html)[:120],
        "published_revision": revision,
        "published_at": article.published_at if article.is_live and article.published_at else at,
        "published_by": publisher,
        "withdrawn_at": None,
        "withdrawn_by": None,
        "withdraw_reason": "",
        "current_step": None,
    }


@transaction.atomic
def check_publishable(article: Article, revision, *, actor=None) -> None:
    """S2-21 at publication: the revision is screened again (the lists may have changed since it was submitted);
    secrecy terms, adverts, gambling spam and commercial links refuse it, and so does personal data (ID-card
    numbers, home addresses, contact details) until it is masked (the author masks it after a return)."""
    findings = screening.scan_article(
        title=revision.title,
        body_html=revision.body_html,
        source=revision.source,
        is_repost=revision.is_repost,
        body=article.body,
    )
    if screening.has_blocking(findings):
        # S2-34: a security incident for the security administrators (references only), kept after the rollback
        screening.report_blocked(actor=actor, findings=findings, obj=article, org_unit=article.body)
        raise ValidationFailed(
            _(
                "The screening found secret-list terms, adverts or gambling spam, links to commercial sites or a "
                "repost without its source; it cannot be published. Return it to the author."
            ),
            code="blocked_by_screening",
        )
    if any(f.is_personal for f in findings):
        raise ValidationFailed(
            _(
                "It contains personal data (ID-card numbers, home addresses, contact details): return it to the "
                "author to mask them before it is published."
            ),
            code="personal_data_unmasked",
        )


@transaction.atomic
def publish(*, actor, article: Article, publish_at: dt.datetime | None = None, expected_step: int | None = None):
    """The publisher publishes the approved revision now, or schedules it (`publish_at` in the future). Who
    publishes answers for it (S0-7): they are named in the register."""
    article = _lock(article)
    step = article.current_step
    if expected_step is not None and (step is None or step.pk != int(expected_step)):
        raise Conflict(_("This step was already decided; reload the page."), code="already_decided")
    if article.status != S.APPROVED or step is None or step.kind != StepKind.PUBLISH:
        raise Conflict(_("This article is not awaiting publication."), code="not_approved")
    _check_decider(actor, article, step)
    revision = step.revision
    if not ReviewStep.objects.filter(revision=revision, status=ReviewStep.Status.DONE, secrecy_reviewed=True).exists():
        raise Conflict(_("No secrecy review is on record for this revision (S0-9)."), code="no_secrecy_review")
    check_publishable(article, revision, actor=actor)
    now = timezone.now()
    publish_at = publish_at or article.publish_at
    if article.expires_at is not None and article.expires_at <= now:
        raise ValidationFailed(_("The expiry has passed; correct it first."), code="expiry_in_past")
    ReviewStep.objects.filter(pk=step.pk).update(
        status=ReviewStep.Status.DONE, decided_by=actor, decided_at=now, secrecy_reviewed=True
    )
    if publish_at is not None and publish_at > now:
        return wf.transition(
            article,
            "schedule",
            actor=actor,
            workflow=ARTICLE_FLOW,
            data={"publish_at": publish_at.isoformat()},
            changes={"publish_at": publish_at, "published_by": actor, "version": article.version + 1},
            audit_after={"publish_at": publish_at.isoformat(), "revision": revision.number},
        )
    changes = _live_changes(article, revision, actor, now)
    changes["version"] = article.version + 1
    article = wf.transition(
        article,
        "publish",
        actor=actor,
        workflow=ARTICLE_FLOW,
        data={"revision": revision.number},
        changes=changes,
        audit_after={"revision": revision.number, "title_length": len(revision.title)},
    )
    _go_live(article, revision, actor, now)
    return article


@transaction.atomic
def unschedule(*, actor, article: Article) -> Article:
    article = _lock(article)
    if article.status != S.SCHEDULED:
        raise Conflict(_("This article is not scheduled."), code="not_scheduled")
    step = ReviewStep.objects.filter(
        revision__article=article, revision__number=article.revision_no, kind=StepKind.PUBLISH
    ).first()
    if step is None or not perms.holds_step(actor, step):
        raise PermissionDenied(code="not_step_holder")
    ReviewStep.objects.filter(pk=step.pk).update(status=ReviewStep.Status.PENDING, decided_by=None, decided_at=None)
    article.current_step = step
    return wf.transition(
        article,
        "unschedule",
        actor=actor,
        workflow=ARTICLE_FLOW,
        changes={"current_step": step, "publish_at": None, "version": article.version + 1},
    )


def publish_due(now=None) -> int:
    """Tick job: scheduled articles whose go-live time has come are published (each exactly once)."""
    now = now or timezone.now()
    ids = list(Article.objects.filter(status=S.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True)[:200])
    done = 0
    for pk in ids:
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=pk, status=S.SCHEDULED).first()
            if article is None:
                continue
            revision = Revision.objects.get(article=article, number=article.revision_no)
            publisher = article.published_by
            changes = _live_changes(article, revision, publisher, now)
            changes["published_by"] = publisher
            article = wf.transition(
                article, "go_live", actor=None, workflow=ARTICLE_FLOW, changes=changes,
                audit_after={"revision": revision.number, "publisher": getattr(publisher, "pk", None)},
            )  # fmt: skip
            _go_live(article, revision, publisher, now)
            done += 1
    return done


def expire_due(now=None) -> int:
    """Tick job: live articles past their expiry leave the feeds and the search; published ones are archived."""
    now = now or timezone.now()
    ids = list(Article.objects.filter(is_live=True, expires_at__lte=now).values_list("pk", flat=True)[:200])
    done = 0
    for pk in ids:
        with transaction.atomic():
            article = Article.objects.select_for_update().filter(pk=pk, is_live=True).first()
            if article is None:
                continue
            if article.status == S.PUBLISHED:
                wf.transition(article, "expire", actor=None, workflow=ARTICLE_FLOW, changes={"is_live": False})
            else:
                Article.objects.filter(pk=pk).update(is_live=False)
                record("content.article.expire", obj=article, org_unit=article.unit, after={"is_live": False})
            RegisterEntry.objects.filter(article_id=pk, status=RegisterEntry.Status.LIVE).update(
                status=RegisterEntry.Status.EXPIRED, ended_at=now
            )
            search.remove(article)
            _live_changed(article)
            done += 1
    return done


@transaction.atomic
def withdraw(*, actor, article: Article, reason: str, secrecy: bool = False) -> Article:
    """Take a live article down at once with a reason (S0-11); the author and the approvers are told. It stays
    in the register, marked withdrawn. `secrecy`: taken down because it may contain secret content — then it is
    reported at once, with the item's record, to the leaders in charge and the secrecy committee (S0-11)."""
    reason = _reason(reason)
    locked = _lock(article)
    if not locked.is_live:
        raise Conflict(_("This article is not published (any more)."), code="not_live")
    now = timezone.now()
    ReviewStep.objects.filter(article=locked, status=ReviewStep.Status.PENDING).update(
        status=ReviewStep.Status.CANCELLED
    )
    article = wf.transition(
        locked,
        "withdraw",
        actor=actor,
        comment=reason,
        workflow=ARTICLE_FLOW,
        changes={
            "is_live": False,
            "withdrawn_at": now,
            "withdrawn_by": actor,
            "withdraw_reason": reason,
            "current_step": None,
            "version": locked.version + 1,
        },
        audit_after={"reason_length": len(reason or ""), "secrecy": bool(secrecy)},
    )
    entry_ids = list(
        RegisterEntry.objects.filter(article=article, status=RegisterEntry.Status.LIVE).values_list("pk", flat=True)
    )
    RegisterEntry.objects.filter(article=article, status=RegisterEntry.Status.LIVE).update(
        status=RegisterEntry.Status.WITHDRAWN, ended_at=now, ended_by=_name(actor), end_reason=reason
    )
    search.remove(article)
    _live_changed(article)
    approvers = ReviewStep.objects.filter(revision_id=article.published_revision_id, decided_by__isnull=False)

    recipients = [article.author, *User.objects.filter(pk__in=approvers.values("decided_by"))]
    notify(
        [u for u in recipients if u is not None and u.pk != actor.pk],
        title=_("Withdrawn: %(title)s") % {"title": article.display_title},
        body=_("Reason: %(reason)s") % {"reason": reason},
        link=ARTICLE_FLOW.link(article),
        event="content.article.withdraw",
        obj=article,
    )
    if secrecy:
        _report_secrecy_takedown(actor, article, entry_ids, reason)
    return article


def _report_secrecy_takedown(actor, article: Article, entry_ids: list[int], reason: str) -> None:
    """S0-11: report a takedown for secrecy at once (inbox and SMS) to the body's leaders in charge (分管领导) and
    the secrecy committee's office (保密委: the secrecy office), with the item's record: the register entry, the
    revision, who drafted, reviewed, approved and published it and when."""
    revision = article.published_revision
    steps = (
        ReviewStep.objects.filter(revision=revision, decided_by__isnull=False)
        .select_related("decided_by")
        .order_by("position")
    )
    lines = [
        _("Register entries: %(ids)s") % {"ids": ", ".join(str(i) for i in entry_ids) or "-"},
        _("Revision %(number)s, published %(at)s by %(by)s")
        % {
            "number": revision.number if revision else "-",
            "at": timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M") if article.published_at else "-",
            "by": _name(article.published_by),
        },
        _("Drafted by %(name)s") % {"name": _name(article.author)},
        *(
            f"{step.get_kind_display()}: {_name(step.decided_by)} {timezone.localtime(step.decided_at):%Y-%m-%d %H:%M}"
            for step in steps
            if step.decided_at
        ),
        _("Taken down by %(name)s: %(reason)s") % {"name": _name(actor), "reason": reason},
    ]
    leaders = users_with_roles(article.body, [Role.LEADER])
    secrecy = users_with_roles(article.body, [Role.SECRECY_OFFICE])
    office = unit_by_function(article.body, UnitFunction.SECRECY_OFFICE)
    if office is not None:
        secrecy = list(dict.fromkeys([*secrecy, *users_with_roles(office, [Role.SECRECY_OFFICE, Role.HEAD])]))
    recipients = [u for u in dict.fromkeys([*leaders, *secrecy]) if u.pk != actor.pk]
    notify(
        recipients,
        title=_("Taken down for secrecy: %(title)s") % {"title": article.display_title},
        body="\n".join(str(line) for line in lines),
        link=ARTICLE_FLOW.link(article),
        event="content.article.secrecy_report",
        obj=article,
        sms=True,
    )
    record(
        "content.article.secrecy_report",
        actor=actor,
        obj=article,
        org_unit=article.body,
        after={
            "register_entries": entry_ids,
            "revision": revision.number if revision else None,
            "leaders": sorted(u.pk for u in leaders),
            "secrecy_office": sorted(u.pk for u in secrecy),
        },
    )


@transaction.atomic
def revise(*, actor, article: Article) -> Article:
    """Open a correction of a published (or withdrawn, archived) article: the working copy becomes a draft again
    and goes through review as a new revision; readers keep the published revision meanwhile."""
    return wf.transition(
        article,
        "revise",
        actor=actor,
        workflow=ARTICLE_FLOW,
        changes={"current_step": None, "version": article.version + 1, "publish_at": None},
    )


@transaction.atomic
def discard(*, actor, article: Article) -> Article:
    if article.published_revision_id:
        raise Conflict(_("A published article cannot be discarded; withdraw it instead."), code="was_published")
    return wf.transition(article, "discard", actor=actor, workflow=ARTICLE_FLOW)
