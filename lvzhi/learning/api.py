"""The learning API at /api/v1/learning (bearer token or session): the library (search; the keepers edit a document,
upload a new version and withdraw it), courses, heartbeats, quiz answers and the user's record. Errors are
`{"code", "message"}` (the project's handlers)."""

from django.core.paginator import Paginator
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from lvzhi.accounts.api_auth import token_auth
from lvzhi.core.errors import NotFound
from lvzhi.core.timeutil import local_date
from lvzhi.core.validation import safe_query

from . import permissions as perm
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


class LearningDocumentEditIn(Schema):
    title: str
    source: str
    year: int
    topic: str = ""
    summary: str = ""
    audience: str


class LearningWithdrawIn(Schema):
    reason: str = ""


def _kept_document(request, document_id: int):
    """A document the user keeps (anyone else: 404, as if it did not exist)."""
    doc = selectors.access_document(request.user, document_id)
    if not perm.may_manage(request.user, doc.body):
        raise NotFound()
    return doc


@router.put("/documents/{document_id}", response={200: dict}, summary="Edit a library document (keepers)")
def edit_document(request, document_id: int, data: LearningDocumentEditIn):
    doc = services.update_document(actor=request.user, document=_kept_document(request, document_id), **data.dict())
    return present.document(doc)


@router.post(
    "/documents/{document_id}/versions", response={201: dict}, summary="Upload a new version of a document (keepers)"
)
def new_version(request, document_id: int, file: File[UploadedFile], note: Form[str] = ""):
    doc = _kept_document(request, document_id)
    services.add_version(actor=request.user, document=doc, filename=file.name, data=file, note=note)
    doc = selectors.access_document(request.user, document_id)
    return Status(201, present.document(doc, versions=selectors.versions_of(doc)[:50]))


@router.post("/documents/{document_id}/withdraw", response={200: dict}, summary="Withdraw a document (keepers)")
def withdraw_document(request, document_id: int, data: LearningWithdrawIn):
    doc = _kept_document(request, document_id)
    return present.document(services.withdraw_document(actor=request.user, document=doc, reason=data.reason))


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
    return Status(201, {"attempt": attempt.number, "score": attempt.score, "passed": attempt.passed})


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
