"""Courses of lessons in text, images and video (S4-2.2.6), kept by the body's staff; quizzes per lesson. A video
is sniffed and bounded (MP4, WebM) and, where the system has ffmpeg, rewritten for streaming by a task."""

from django.db import transaction
from django.utils.translation import gettext as _

from lvzhi.audit.services import record as audit
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.uploads import clean_image, store_file, store_video, too_large
from lvzhi.workflow import services as wf

from .. import permissions as perm
from .. import rules, transcode
from ..models import Course, Lesson, Question
from ..workflows import COURSE_FLOW
from .common import text
from .library import _year


def _minutes(value) -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= 6000:
        raise ValidationFailed(_("Give the study time of the course in minutes (1 to 6000)."), code="minutes_invalid")
    return minutes


@transaction.atomic
def create_course(*, actor, body, title, summary="", year, required_minutes=60) -> Course:
    if not perm.may_manage(actor, body):
        raise NotFound()
    course = Course.objects.create(
        body=body,
        title=text(title, field="title", label=_("The title"), max_length=rules.TITLE_MAX),
        summary=text(
            summary,
            field="summary",
            label=_("The summary"),
            max_length=rules.SUMMARY_MAX,
            required=False,
            multiline=True,
        ),
        year=_year(year),
        required_minutes=_minutes(required_minutes),
        created_by=actor,
    )
    wf.start(course, actor=actor, workflow=COURSE_FLOW, event="create", audit_after={"year": course.year})
    return course


@transaction.atomic
def publish_course(*, actor, course) -> Course:
    if not course.lessons.exists():
        raise ValidationFailed(_("Add a lesson before publishing the course."), code="no_lessons")
    return wf.transition(course, "publish", actor=actor, workflow=COURSE_FLOW)


@transaction.atomic
def retire_course(*, actor, course) -> Course:
    return wf.transition(course, "retire", actor=actor, workflow=COURSE_FLOW)


def _pass_mark(value) -> int:
    try:
        mark = int(value)
    except (TypeError, ValueError):
        mark = -1
    if not 0 <= mark <= 100:
        raise ValidationFailed(_("The pass mark is a percentage from 0 to 100."), code="pass_mark_invalid")
    return mark


def _attempts(value) -> int:
    try:
        attempts = int(value)
    except (TypeError, ValueError):
        attempts = 0
    if not 1 <= attempts <= rules.MAX_ATTEMPTS:
        raise ValidationFailed(
            _("Allow from 1 to %(n)s attempts at the quiz.") % {"n": rules.MAX_ATTEMPTS}, code="attempts_invalid"
        )
    return attempts


def _small(upload, limit: int) -> bytes:
    """An image is decoded and re-encoded whole (bounded by `limit`, checked before reading)."""
    if upload.size > limit:
        raise too_large(limit)
    return upload.read()


@transaction.atomic
def add_lesson(
    *, actor, course, title, text_body="", image=None, video=None, pass_mark=60, max_attempts=3, lecture_ref=""
) -> Lesson:
    """`image` and `video` are (file name, bytes or an uploaded file) or None; a video is streamed to storage chunk by
    chunk (never read whole). The lesson is appended to the course."""
    if not perm.may_manage(actor, course.body):
        raise NotFound()
    lesson = Lesson(
        course=course,
        order=course.lessons.count() + 1,
        title=text(title, field="title", label=_("The title"), max_length=rules.TITLE_MAX),
        text=text(
            text_body,
            field="text",
            label=_("The text"),
            max_length=rules.LESSON_TEXT_MAX,
            required=False,
            multiline=True,
        ),
        pass_mark=_pass_mark(pass_mark),
        max_attempts=_attempts(max_attempts),
        lecture_ref=lecture_ref,
    )
    if image and image[1]:
        data = image[1] if isinstance(image[1], bytes) else _small(image[1], rules.IMAGE_MAX_BYTES)
        picture = clean_image(data, max_bytes=rules.IMAGE_MAX_BYTES)
        store_file(lesson.image, f"lesson.{picture.ext}", picture.data)
        lesson.image_mime = picture.mime
    if video and video[1]:
        clip = store_video(lesson.video, video[1], max_bytes=rules.VIDEO_MAX_BYTES)
        lesson.video_mime, lesson.video_size, lesson.video_sha256 = clip.mime, clip.size, clip.sha256
        if clip.mime == "video/mp4":  # a WebM is served as uploaded
            lesson.transcode = Lesson.Transcode.QUEUED
    if not lesson.text and not lesson.video:
        raise ValidationFailed(_("A lesson needs a text or a video."), code="lesson_empty")
    lesson.save()
    if lesson.transcode == Lesson.Transcode.QUEUED:
        transaction.on_commit(lambda: transcode.enqueue(lesson.pk))
    audit(
        "learning.lesson.add",
        actor=actor,
        obj=lesson,
        org_unit=course.body,
        after={"course": course.pk, "video": lesson.video_mime, "size": lesson.video_size},
    )
    return lesson


@transaction.atomic
def add_question(*, actor, lesson, question, choices, answer) -> Question:
    if not perm.may_manage(actor, lesson.course.body):
        raise NotFound()
    if lesson.questions.count() >= rules.QUESTIONS_MAX:
        raise ValidationFailed(
            _("A quiz has at most %(n)s questions.") % {"n": rules.QUESTIONS_MAX}, code="too_many_questions"
        )
    question = text(question, field="question", label=_("The question"), max_length=rules.QUESTION_MAX)
    cleaned = [
        text(c, field="choices", label=_("A choice"), max_length=rules.CHOICE_MAX)
        for c in (choices or [])
        if str(c or "").strip()
    ]
    if not 2 <= len(cleaned) <= rules.CHOICES_MAX:
        raise ValidationFailed(_("Give from 2 to %(n)s choices.") % {"n": rules.CHOICES_MAX}, code="choices_invalid")
    try:
        answer = int(answer)
    except (TypeError, ValueError):
        answer = -1
    if not 0 <= answer < len(cleaned):
        raise ValidationFailed(_("Mark the right choice."), code="answer_invalid")
    item = Question.objects.create(
        lesson=lesson, order=lesson.questions.count() + 1, text=question, choices=cleaned, answer=answer
    )
    audit("learning.question.add", actor=actor, obj=lesson, org_unit=lesson.course.body, after={"question": item.pk})
    return item
