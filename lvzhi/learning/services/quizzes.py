"""Quizzes per lesson: results kept (every attempt), a pass mark, a bounded number of attempts."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date

from .. import permissions as perm
from ..models import QuizAttempt
from .study import _lock_clock, check_completion, progress_for


def _answers(values, count: int) -> list[int]:
    if not isinstance(values, list | tuple) or len(values) != count:
        raise ValidationFailed(_("Answer every question."), code="answers_incomplete")
    answers = []
    for value in values:
        try:
            answers.append(int(value))
        except (TypeError, ValueError):
            raise ValidationFailed(_("Answer every question."), code="answers_incomplete") from None
    return answers


@transaction.atomic
def submit_quiz(*, actor, lesson, answers) -> QuizAttempt:
    if not perm.may_study(actor, lesson.course):
        raise NotFound()
    questions = list(lesson.questions.all())
    if not questions:
        raise NotFound()
    _lock_clock(actor)  # one quiz submission of a user at a time
    previous = list(QuizAttempt.objects.filter(lesson=lesson, user=actor).values_list("passed", flat=True))
    if any(previous):
        raise Conflict(_("You have already passed this quiz."), code="already_passed")
    if len(previous) >= lesson.max_attempts:
        raise Conflict(_("No attempts at this quiz are left."), code="no_attempts_left")
    answers = _answers(answers, len(questions))
    correct = sum(1 for q, a in zip(questions, answers, strict=True) if q.answer == a)
    score = round(100 * correct / len(questions))
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                lesson=lesson,
                user=actor,
                number=len(previous) + 1,
                correct=correct,
                total=len(questions),
                score=score,
                passed=score >= lesson.pass_mark,
                answers=answers,
            )
    except IntegrityError:
        raise Conflict(_("This attempt was already submitted."), code="attempt_duplicate") from None
    audit(
        "learning.quiz.submit",
        actor=actor,
        obj=lesson,
        org_unit=lesson.course.body,
        after={"attempt": attempt.number, "score": score, "passed": attempt.passed},
    )
    if attempt.passed:
        progress = progress_for(actor, lesson.course, local_date().year)
        check_completion(actor=actor, progress=progress, now=timezone.now())
    return attempt
