"""The learning API at /api/v1/learning (bearer token or session): the library (search), courses, heartbeats, quiz
answers and the user's record. Errors are `{"code", "message"}` (the project's handlers)."""

from django.core.paginator import Paginator
from ninja import Router, Schema

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.timeutil import local_date
from lvzhi.core.validation import safe_query

from . import present, rules, selectors, services

router = Router(tags=["learning"], auth=token_auth)


class BeatIn(Schema):
    seconds: int | None = None


class QuizIn(Schema):
    answers: list[int]


@router.get("/documents")
def documents(request, q: str = "", source: str = "", year: int | None = None, page: int = 1):
    qs = selectors.library(request.user, query=safe_query(q), source=source, year=year)
    chunk = Paginator(qs, rules.PAGE_SIZE).get_page(page)
    return {"page": chunk.number, "count": chunk.paginator.count, "items": [present.document(d) for d in chunk]}


@router.get("/documents/{document_id}")
def document(request, document_id: int):
    doc = selectors.access_document(request.user, document_id)
    return present.document(doc, versions=selectors.versions_of(doc)[:50])


@router.get("/courses")
def courses(request, page: int = 1):
    chunk = Paginator(selectors.courses_for(request.user).order_by("-year", "-pk"), rules.PAGE_SIZE).get_page(page)
    return {"page": chunk.number, "count": chunk.paginator.count, "items": [present.course(c) for c in chunk]}


@router.get("/courses/{course_id}")
def course(request, course_id: int):
    item = selectors.access_course(request.user, course_id)
    lessons = list(selectors.lessons_of(item))
    seconds = selectors.lesson_seconds(request.user, lessons)
    passed = selectors.passed_lessons(request.user, lessons)
    data = present.course(item, selectors.progress_of(request.user, item, local_date().year))
    data["lessons"] = [present.lesson(x, seconds.get(x.pk, 0), x.pk in passed) for x in lessons]
    return data


@router.post("/lessons/{lesson_id}/beat")
def beat(request, lesson_id: int, data: BeatIn):
    lesson = selectors.access_lesson(request.user, lesson_id)
    result = services.beat(actor=request.user, lesson=lesson, claimed_seconds=data.seconds)
    return {"counted": result.counted, "today": result.today, "course_seconds": result.course_seconds}


@router.post("/lessons/{lesson_id}/quiz", response={201: dict})
def quiz(request, lesson_id: int, data: QuizIn):
    lesson = selectors.access_lesson(request.user, lesson_id)
    attempt = services.submit_quiz(actor=request.user, lesson=lesson, answers=data.answers)
    return 201, {"attempt": attempt.number, "score": attempt.score, "passed": attempt.passed}


@router.get("/me")
def me(request, year: int | None = None):
    year = year or local_date().year
    rows = selectors.my_record(request.user, year)[:100]
    return {
        "year": year,
        "hours": selectors.my_hours(request.user, year),
        "courses": [
            {"course": r.course_id, "title": r.course.title, "seconds": r.seconds, "completed": bool(r.completed_at)}
            for r in rows
        ],
    }
