"""Study time that cannot be faked easily (S4-2.2.6, S0-20).

The lesson page sends a heartbeat every `rules.beat_seconds()` (30) only while the tab is visible and the user has
touched it recently (static/learning/study.js). The server trusts none of the client's figures:

- the time credited is the server time since the user's last accepted beat, at most that interval (and at most
  what the page claims, if it claims less); after two intervals of silence (a hidden tab, a closed lid) a beat
  starts a new stretch and earns nothing, so time without beats is never counted;
- a beat sooner than two thirds of an interval after the last is refused (429 `beat_too_fast`) and earns nothing;
- one lesson per user at a time: `StudyClock` (one row per user, locked) names the lesson of the running stretch;
  a beat for another lesson inside the window is refused (409 `another_lesson`), so two tabs never count twice;
- totals live in the database (`StudyDay` per user, lesson and day; `CourseProgress` per course and year), never in
  process memory; whole hours go to the member's duty record (kind "study"), audited when they change.
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record as audit
from lvzhi.core.errors import Conflict, NotFound, RateLimited
from lvzhi.core.timeutil import local_date

from .. import permissions as perm
from .. import rules
from ..models import Certificate, CourseProgress, Lesson, QuizAttempt, StudyClock, StudyDay
from .common import to_duty


@dataclass(frozen=True)
class Beat:
    counted: int  # seconds credited by this beat
    today: int  # the user's seconds on this lesson today
    course_seconds: int  # the user's seconds on the course this year


def _lock_clock(user) -> StudyClock:
    clock = StudyClock.objects.select_for_update().filter(user=user).first()
    if clock is None:
        try:
            with transaction.atomic():
                StudyClock.objects.create(user=user)
        except IntegrityError:
            pass  # created meanwhile by the user's other request
        clock = StudyClock.objects.select_for_update().get(user=user)
    return clock


def _credit(clock, lesson, now, claimed) -> int:
    """The seconds this beat earns (0 for the first beat of a stretch); raises on a refused beat."""
    if clock.last_beat_at is None:
        return 0
    elapsed = (now - clock.last_beat_at).total_seconds()
    if elapsed > rules.window_seconds() or elapsed < 0:
        return 0  # a new stretch: the silence before it is not study time
    if clock.lesson_id not in (None, lesson.pk):
        raise Conflict(_("Another lesson is open: study time counts for one lesson at a time."), code="another_lesson")
    if elapsed < rules.min_gap_seconds():
        raise RateLimited(_("Heartbeats came too fast."), code="beat_too_fast")
    credit = min(int(elapsed), rules.beat_seconds())
    if claimed is not None:
        credit = max(0, min(credit, int(claimed)))
    return credit


def progress_for(user, course, year: int) -> CourseProgress:
    progress, _created = CourseProgress.objects.get_or_create(
        user=user, course=course, year=year, defaults={"body_id": course.body_id}
    )
    return progress


@transaction.atomic
def beat(*, actor, lesson, claimed_seconds=None, now: dt.datetime | None = None) -> Beat:
    """One heartbeat of `actor` studying `lesson` (see the module)."""
    course = lesson.course
    if not perm.may_study(actor, course):
        raise NotFound()
    now = now or timezone.now()
    clock = _lock_clock(actor)
    credit = _credit(clock, lesson, now, claimed_seconds)
    clock.lesson, clock.last_beat_at = lesson, now
    clock.save(update_fields=["lesson", "last_beat_at"])
    day = local_date(now)
    study_day, _created = StudyDay.objects.get_or_create(user=actor, lesson=lesson, day=day)
    progress = progress_for(actor, course, day.year)
    if credit:
        StudyDay.objects.filter(pk=study_day.pk).update(seconds=F("seconds") + credit)
        CourseProgress.objects.filter(pk=progress.pk).update(seconds=F("seconds") + credit)
        study_day.refresh_from_db(fields=["seconds"])
        progress.refresh_from_db()
        _hours_to_duty(actor, progress, day)
        check_completion(actor=actor, progress=progress, now=now)
    return Beat(counted=credit, today=study_day.seconds, course_seconds=progress.seconds)


def _hours_to_duty(user, progress, day) -> None:
    hours = progress.seconds // 3600
    if hours == progress.hours_recorded:
        return
    CourseProgress.objects.filter(pk=progress.pk).update(hours_recorded=hours)
    before = progress.hours_recorded
    progress.hours_recorded = hours
    to_duty(
        kind="study",
        member=user,
        source=progress,
        day=day,
        quantity=hours,
        body=progress.body,
        title=_("Study: %(course)s") % {"course": progress.course.title},
    )
    audit(
        "learning.study.hours",
        actor=user,
        obj=progress,
        org_unit=progress.body,
        before={"hours": before},
        after={"hours": hours, "course": progress.course_id, "year": progress.year},
    )


def lessons_passed(user, course) -> tuple[int, int]:
    """(lessons with a quiz the user passed, lessons with a quiz) of the course."""
    with_quiz = set(Lesson.objects.filter(course=course, questions__isnull=False).values_list("pk", flat=True))
    passed = set(
        QuizAttempt.objects.filter(user=user, lesson_id__in=with_quiz, passed=True).values_list("lesson_id", flat=True)
    )
    return len(passed), len(with_quiz)


def check_completion(*, actor, progress, now=None) -> Certificate | None:
    """Complete the course (certificate, training record) once its study time is reached and every quiz passed."""
    if progress.completed_at is not None:
        return None
    if progress.seconds < progress.course.required_minutes * 60:
        return None
    passed, quizzes = lessons_passed(actor, progress.course)
    if passed < quizzes:
        return None
    now = now or timezone.now()
    updated = CourseProgress.objects.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=now)
    if not updated:
        return None  # completed meanwhile by the user's other request
    progress.completed_at = now
    number = f"XX{progress.year}{progress.course_id:04d}{secrets.token_hex(3).upper()}"
    certificate = Certificate.objects.create(progress=progress, number=number)
    to_duty(
        kind="training",
        member=actor,
        source=certificate,
        day=local_date(now),
        quantity=1,
        body=progress.body,
        title=_("Course completed: %(course)s") % {"course": progress.course.title},
    )
    audit(
        "learning.course.complete",
        actor=actor,
        obj=progress,
        org_unit=progress.body,
        after={"course": progress.course_id, "certificate": certificate.number, "seconds": progress.seconds},
    )
    return certificate
