"""Review: the S0-8 checklist, submitting an article and deciding each review step."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify
from lvzhi.orgs.models import OrgUnit
from lvzhi.orgs.selectors import unit_by_function
from lvzhi.screening import services as screening
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import users_with_roles

from ..models import GRADE_RANK, AppliesTo, Article, Grade, ReviewStep, Revision, StepKind, StepScope
from ..sanitize import check_body_size
from ..selectors import host_office
from ..workflows import ARTICLE_FLOW
from .common import COMMENT_MAX, REASON_MAX, S, _check_decider, _lock, _role_label, _screen
from .disclosure import check_repost
from .drafting import _editable
from .urgent import expedite, tell_office_submitted

# The review checklist of S0-8: (key, question, the answer that lets the item pass).
CHECKLIST = [
    ("secrets", "no"),
    ("policy", "yes"),
    ("copyright", "yes"),
    ("harm", "no"),
    ("image", "yes"),
    ("timing", "yes"),
    ("sensitive", "no"),
    ("statistics", "yes"),
    ("other", "no"),
]


CHECKLIST_KEYS = [key for key, _safe in CHECKLIST]


NA_ALLOWED = {"statistics"}  # "no statistics in it"


def checklist_questions() -> list[tuple[str, str]]:
    """(key, question) of the nine items of S0-8, in order, translated."""
    return [
        ("secrets", _("1. Does it involve state secrets?")),
        ("policy", _("2. Is it consistent with policy and law?")),
        ("copyright", _("3. Are intellectual-property rights respected?")),
        ("harm", _("4. Could it harm other units or persons?")),
        ("image", _("5. Is it good for the city's image and development?")),
        ("timing", _("6. Is it suitable to publish now?")),
        ("sensitive", _("7. Does it touch a sensitive issue or a work secret?")),
        ("statistics", _("8. Are the statistics in it accurate?")),
        ("other", _("9. Are there other concerns?")),
    ]


def _resolve_unit(article: Article, scope, function, unit_id, chain_label=""):
    if scope == StepScope.HOST:
        return article.unit
    if scope == StepScope.HOST_OFFICE:
        return host_office(article.unit)
    if scope == StepScope.BODY:
        return article.body
    if scope == StepScope.UNIT:
        unit = OrgUnit.objects.filter(pk=unit_id, is_active=True).first()
    else:
        unit = unit_by_function(article.body, function)
    if unit is None:
        label = dict(OrgUnit._meta.get_field("function").choices).get(function, function)
        raise ValidationFailed(
            _(
                "The approval chain of this column names the %(office)s, which this body does not have; "
                "ask the information office to correct the chain."
            )
            % {"office": label or _("a unit")},
            code="chain_unit_missing",
        )
    return unit


def _graded_spec(article: Article) -> tuple[str, OrgUnit] | None:
    """Graded review (S2-24): important → the host unit's leader; major or sensitive → the body's leader."""
    if article.grade == Grade.MAJOR:
        return Role.LEADER, article.body
    if article.grade == Grade.IMPORTANT:
        return Role.LEADER, article.unit
    return None


def _step_specs(article: Article) -> list[dict]:
    applies = {AppliesTo.ALL, AppliesTo.REPOST if article.is_repost else AppliesTo.ORIGINAL}
    specs = []
    for step in article.column.chain.all():
        if step.applies_to not in applies:
            continue
        unit = _resolve_unit(article, step.scope, step.function, step.unit_id)
        specs.append({"kind": step.kind, "role": step.role, "unit": unit, "graded": False})
    if len(specs) < 2 or specs[-1]["kind"] != StepKind.PUBLISH:
        raise ValidationFailed(
            _("This column has no complete approval chain; ask the information office."), code="chain_incomplete"
        )
    graded = _graded_spec(article)
    if graded is not None:
        role, unit = graded
        specs.insert(len(specs) - 1, {"kind": StepKind.APPROVE, "role": role, "unit": unit, "graded": True})
    return specs


def _check_holders(article: Article, specs, excluded: set) -> None:
    for spec in specs:
        holders = [u for u in users_with_roles(spec["unit"], [spec["role"]]) if u.pk not in excluded]
        if not holders:
            raise ValidationFailed(
                _("Nobody but you can take the step “%(role)s at %(unit)s” yet; ask the information office.")
                % {"role": _role_label(spec["role"]), "unit": spec["unit"].name},
                code="no_step_holder",
            )


def _holders(step: ReviewStep, article: Article) -> list:
    return [
        u for u in users_with_roles(step.unit, [step.role]) if u.pk not in {article.author_id, article.submitted_by_id}
    ]


@transaction.atomic
def submit(*, actor, article: Article, expected_version: int | None = None) -> Article:
    """Submit the working copy for review: a new revision with the column's chain (and graded steps) resolved."""
    article = _editable(actor, article, expected_version)
    check_body_size(article.body_html, article.body)
    findings = _screen(article)
    if article.findings_blocking:
        # S2-34: a security incident for the security administrators (references only), kept after the rollback
        screening.report_blocked(actor=actor, findings=findings, obj=article, org_unit=article.body)
        raise ValidationFailed(
            _(
                "The screening found secret-list terms, adverts or gambling spam, links to commercial sites or a "
                "repost without its source; remove them before submitting."
            ),
            code="blocked_by_screening",
        )
    if not article.column.is_active:
        raise ValidationFailed(_("This column is retired."), code="column_retired")
    check_repost(article)
    specs = expedite(article, _step_specs(article))
    _check_holders(article, specs, {actor.pk, article.author_id} if actor else {article.author_id})
    number = article.revision_no + 1
    revision = Revision.objects.create(
        article=article,
        number=number,
        title=article.title,
        summary=article.summary,
        body_html=article.body_html,
        source=article.source,
        is_repost=article.is_repost,
        grade=article.grade,
        topic=article.topic,
        findings=article.findings,
        created_by=actor,
    )
    steps = ReviewStep.objects.bulk_create(
        ReviewStep(
            article=article,
            revision=revision,
            position=(i + 1) * 10,
            kind=s["kind"],
            role=s["role"],
            unit=s["unit"],
            graded=s["graded"],
        )
        for i, s in enumerate(specs)
    )
    first = ReviewStep.objects.get(revision=revision, position=steps[0].position)
    floor = max(article.grade, article.grade_floor, key=lambda g: GRADE_RANK[g])
    article = wf.transition(
        article,
        "submit",
        actor=actor,
        workflow=ARTICLE_FLOW,
        data={"revision": number},
        changes={
            "revision_no": number,
            "current_step": first,
            "submitted_by": actor,
            "submitted_at": timezone.now(),
            "grade_floor": floor,
            "findings": article.findings,
            "findings_blocking": False,
            "version": article.version + 1,
        },
        audit_after={"revision": number, "grade": article.grade, "steps": len(specs)},
    )
    _notify_step(article, first)
    tell_office_submitted(article)
    return article


def _notify_step(article: Article, step: ReviewStep) -> None:
    if step.kind == StepKind.PUBLISH:
        title = _("To publish: %(title)s") % {"title": article.title}
    else:
        title = _("To review: %(title)s") % {"title": article.title}
    urgent = article.grade == Grade.MAJOR or bool(article.topic) or bool(article.urgency)
    notify(
        _holders(step, article),
        title=title,
        body=_("Column: %(column)s") % {"column": article.column.name},
        link=ARTICLE_FLOW.link(article),
        event="content.article.step",
        obj=article,
        sms=urgent,  # emergencies and sensitive items are reviewed promptly (S2-24, S2-29)
    )


def _clean_checklist(checklist: dict, *, approving: bool) -> dict:
    checklist = dict(checklist or {})
    answers = {}
    for key in CHECKLIST_KEYS:
        value = str(checklist.get(key) or "").strip().lower()
        if value not in ("yes", "no") and not (value == "na" and key in NA_ALLOWED):
            if approving:
                raise ValidationFailed(
                    _("Answer every item of the review checklist before approving."), code="checklist_incomplete"
                )
            continue
        answers[key] = value
    note = clean_text(
        checklist.get("note", ""), field="note", max_length=COMMENT_MAX, required=False, label=_("The note")
    )
    if answers.get("other") == "yes" and not note:
        raise ValidationFailed(_("Describe the other concerns."), code="checklist_note_required")
    if approving:
        if answers["secrets"] == "yes":
            raise ValidationFailed(
                _("It involves state secrets: it cannot be approved (S0-9). Return it instead."),
                code="checklist_secret",
            )
        failing = [key for key, safe in CHECKLIST if answers[key] not in (safe, "na")]
        if failing:
            questions = dict(checklist_questions())
            raise ValidationFailed(
                _("Not approvable with these answers: %(items)s. Return it for changes instead.")
                % {"items": "；".join(str(questions[k]) for k in failing)},
                code="checklist_failed",
            )
    if note:
        answers["note"] = note
    return answers


def _return_for_changes(actor, article: Article, step: ReviewStep, *, comment: str, answers: dict, now) -> Article:
    """The step's decider returns the article to its author: the comment says what must change."""
    if not comment:
        raise ValidationFailed(_("Say what must be changed."), code="comment_required")
    ReviewStep.objects.filter(pk=step.pk).update(
        status=ReviewStep.Status.RETURNED, decided_by=actor, decided_at=now, checklist=answers, comment=comment
    )
    ReviewStep.objects.filter(revision_id=step.revision_id, status=ReviewStep.Status.PENDING).update(
        status=ReviewStep.Status.CANCELLED
    )
    article = wf.transition(
        article,
        "return",
        actor=actor,
        comment=comment,
        workflow=ARTICLE_FLOW,
        data={"step": step.pk},
        changes={"current_step": None, "version": article.version + 1},
    )
    notify(
        [u for u in (article.author, article.submitted_by) if u is not None],
        title=_("Returned for changes: %(title)s") % {"title": article.title},
        body=comment,
        link=ARTICLE_FLOW.link(article),
        event="content.article.return",
        obj=article,
    )
    return article


def _accepted_findings(revision: Revision, findings_accepted: bool) -> list[dict]:
    """The screening findings the approver examined and accepted; approving without that decision is refused."""
    if not revision.findings:
        return []
    if not findings_accepted:
        raise ValidationFailed(
            _("The screening found possible problems: examine them and confirm your decision."),
            code="findings_decision_required",
        )
    return [{"kind": f.get("kind"), "label": f.get("label"), "excerpt": f.get("excerpt")} for f in revision.findings]


@transaction.atomic
def decide(
    *,
    actor,
    article: Article,
    approve: bool,
    checklist: dict | None = None,
    secrecy_reviewed: bool = False,
    secrecy_note: str = "",
    findings_accepted: bool = False,
    comment: str = "",
    raise_grade: str | None = None,
    expected_step: int | None = None,
) -> Article:
    """Take the current review or approval step: approve (with the S0-8 checklist, the S0-9 secrecy review and an
    explicit decision on any screening findings) or return for changes (with a comment)."""
    article = _lock(article)
    step = article.current_step
    if expected_step is not None and (step is None or step.pk != int(expected_step)):
        raise Conflict(_("This step was already decided; reload the page."), code="already_decided")
    if step is None or article.status not in (S.IN_REVIEW, S.APPROVED):
        raise Conflict(_("This article is not awaiting review."), code="not_in_review")
    if step.kind == StepKind.PUBLISH and approve:
        raise Conflict(_("This article is awaiting publication."), code="awaiting_publication")
    _check_decider(actor, article, step)
    comment = clean_text(comment, field="comment", max_length=COMMENT_MAX, required=False, label=_("The comment"))
    answers = _clean_checklist(checklist, approving=approve)
    now = timezone.now()
    if not approve:
        return _return_for_changes(actor, article, step, comment=comment, answers=answers, now=now)
    if not secrecy_reviewed:
        raise ValidationFailed(_("Confirm the secrecy review (S0-9) before approving."), code="secrecy_review_required")
    revision = step.revision
    accepted = _accepted_findings(revision, findings_accepted)
    ReviewStep.objects.filter(pk=step.pk).update(
        status=ReviewStep.Status.DONE,
        decided_by=actor,
        decided_at=now,
        checklist=answers,
        secrecy_reviewed=True,
        secrecy_note=clean_text(
            secrecy_note, field="secrecy_note", max_length=REASON_MAX, required=False, label=_("The note")
        ),
        findings_accepted=accepted,
        comment=comment,
    )
    if raise_grade and GRADE_RANK.get(raise_grade, -1) > GRADE_RANK[article.grade]:
        _raise_grade(actor, article, revision, raise_grade)
    following = (
        ReviewStep.objects.filter(revision=revision, status=ReviewStep.Status.PENDING, position__gt=step.position)
        .select_related("unit")
        .order_by("position")
        .first()
    )
    name = "approve" if following is None or following.kind == StepKind.PUBLISH else "pass"
    article = wf.transition(
        article,
        name,
        actor=actor,
        comment=comment,
        workflow=ARTICLE_FLOW,
        data={"step": step.pk, "checklist": answers, "secrecy_reviewed": True, "findings_accepted": len(accepted)},
        changes={"current_step": following, "version": article.version + 1},
        audit_after={"step": step.kind, "checklist": answers, "findings_accepted": len(accepted)},
    )
    if following is not None:
        _notify_step(article, following)
    return article


def _raise_grade(actor, article: Article, revision: Revision, grade: str) -> None:
    """A reviewer raises the grade during review: the leader's approval is added before publication."""
    Article.objects.filter(pk=article.pk).update(grade=grade, grade_floor=grade)
    article.grade = article.grade_floor = grade
    Revision.objects.filter(pk=revision.pk).update(grade=grade)
    role, unit = _graded_spec(article)
    pending_graded = ReviewStep.objects.filter(revision=revision, graded=True, status=ReviewStep.Status.PENDING)
    pending_graded.update(status=ReviewStep.Status.CANCELLED)
    publish = ReviewStep.objects.filter(revision=revision, kind=StepKind.PUBLISH).first()
    taken = set(ReviewStep.objects.filter(revision=revision).values_list("position", flat=True))
    position = publish.position - 1
    while position in taken:
        position -= 1
    ReviewStep.objects.create(
        article=article, revision=revision, position=position, kind=StepKind.APPROVE, role=role, unit=unit, graded=True
    )
    record(
        "content.article.grade",
        actor=actor,
        obj=article,
        org_unit=article.unit,
        after={"grade": grade, "leader_unit": unit.pk},
    )
