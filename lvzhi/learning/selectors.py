"""Reads of 委员学习, every one filtered for the user (what they may not see answers like what does not exist)."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from lvzhi.accounts.models import MemberProfile
from lvzhi.accounts.permissions import may_read_business_content
from lvzhi.consultation.models import Meeting
from lvzhi.core.errors import NotFound
from lvzhi.orgs.models import OrgUnit
from lvzhi.search import services as search

from . import permissions as perm
from . import rules
from .models import (
    Audience,
    Certificate,
    Course,
    CourseProgress,
    Document,
    DocumentVersion,
    Lecture,
    Lesson,
    Plan,
    QuizAttempt,
    ReadingList,
    StudyDay,
)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def documents_for(user):
    """The documents `user` may read: everyone's, their bodies', members-only ones of bodies they are members of, and
    every document (also withdrawn ones) of the bodies whose library they keep."""
    if not may_read_business_content(user):
        return Document.objects.none()
    members, bodies, managed = perm.member_bodies(user), perm.user_bodies(user), perm.manager_bodies(user)
    visible = Q(audience=Audience.EVERYONE) | Q(audience=Audience.BODY, body_id__in=bodies)
    visible |= Q(audience=Audience.MEMBERS, body_id__in=members)
    return Document.objects.filter((Q(is_active=True) & visible) | Q(body_id__in=managed))


def library(user, *, query="", source="", year=None, topic="", body=None):
    qs = documents_for(user).select_related("body")
    if source:
        qs = qs.filter(source=source)
    if _int(year):
        qs = qs.filter(year=_int(year))
    if topic:
        qs = qs.filter(topic=topic)
    if body is not None:
        qs = qs.filter(body=body)
    if query:
        return search.rank_order(search.search_queryset(qs, query), query)
    return qs.order_by("-year", "-pk")


def topics_for(user, limit: int = 50) -> list[str]:
    return list(
        documents_for(user).exclude(topic="").order_by("topic").values_list("topic", flat=True).distinct()[:limit]
    )


def access_document(user, pk) -> Document:
    document = Document.objects.select_related("body").filter(pk=_int(pk) or 0).first()
    if document is None or not perm.may_see_document(user, document):
        raise NotFound()
    return document


def versions_of(document):
    return DocumentVersion.objects.filter(document=document).select_related("uploaded_by").order_by("-number")


def access_version(user, document_pk, number) -> DocumentVersion:
    document = access_document(user, document_pk)
    version = DocumentVersion.objects.filter(document=document, number=_int(number) or 0).first()
    if version is None:
        raise NotFound()
    return version


def reading_lists_for(user):
    return (
        ReadingList.objects.filter(body_id__in=perm.user_bodies(user)).select_related("body").order_by("-year", "-pk")
    )


def access_reading_list(user, pk) -> ReadingList:
    reading_list = reading_lists_for(user).filter(pk=_int(pk) or 0).first()
    if reading_list is None:
        raise NotFound()
    return reading_list


def reading_list_documents(user, reading_list):
    """The list's documents the user may read (a members-only document stays hidden from staff of other bodies)."""
    return (
        documents_for(user)
        .filter(list_items__reading_list=reading_list)
        .select_related("body")
        .order_by("list_items__order", "pk")
    )


def courses_for(user):
    if not may_read_business_content(user):
        return Course.objects.none()
    published = Q(status=Course.Status.PUBLISHED, body_id__in=perm.user_bodies(user))
    return Course.objects.filter(published | Q(body_id__in=perm.manager_bodies(user))).select_related("body")


def access_course(user, pk) -> Course:
    course = Course.objects.select_related("body").filter(pk=_int(pk) or 0).first()
    if course is None or not perm.may_see_course(user, course):
        raise NotFound()
    return course


def access_lesson(user, pk) -> Lesson:
    lesson = Lesson.objects.select_related("course", "course__body").filter(pk=_int(pk) or 0).first()
    if lesson is None or not perm.may_see_course(user, lesson.course):
        raise NotFound()
    return lesson


def lessons_of(course):
    return Lesson.objects.filter(course=course).order_by("order", "pk")


def lesson_seconds(user, lessons) -> dict[int, int]:
    rows = StudyDay.objects.filter(user=user, lesson__in=lessons).values("lesson_id").annotate(total=Sum("seconds"))
    return {r["lesson_id"]: r["total"] for r in rows}


def attempts_of(user, lesson):
    return QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("-number")


def passed_lessons(user, lessons) -> set[int]:
    return set(
        QuizAttempt.objects.filter(user=user, lesson__in=lessons, passed=True).values_list("lesson_id", flat=True)
    )


def progress_of(user, course, year) -> CourseProgress | None:
    return CourseProgress.objects.filter(user=user, course=course, year=year).first()


def my_record(user, year: int):
    """The user's courses of the year, with seconds, whole hours and certificates (one query)."""
    return (
        CourseProgress.objects.filter(user=user, year=year)
        .select_related("course", "body", "certificate")
        .order_by("-seconds", "pk")
    )


def my_hours(user, year: int) -> float:
    total = CourseProgress.objects.filter(user=user, year=year).aggregate(s=Sum("seconds"))["s"] or 0
    return round(total / 3600, 1)


def access_certificate(user, pk) -> Certificate:
    certificate = (
        Certificate.objects.select_related("progress", "progress__course", "progress__user", "progress__body")
        .filter(pk=_int(pk) or 0)
        .first()
    )
    if certificate is None:
        raise NotFound()
    progress = certificate.progress
    if progress.user_id != user.pk and not perm.may_oversee(user, progress.body):
        raise NotFound()
    return certificate


def plan_of(body, year: int) -> Plan | None:
    return Plan.objects.filter(body=body, year=year).prefetch_related("courses").first()


def required_hours(body, year: int) -> int:
    plan = Plan.objects.filter(body=body, year=year).only("required_hours").first()
    return plan.required_hours if plan else rules.required_hours(body)


def behind(body, year: int, hours: int):
    """Members and deputies of `body` whose study this year is below `hours`: profiles annotated with `seconds`,
    least first (one query per page, whatever the number of members)."""
    studied = (
        CourseProgress.objects.filter(user=OuterRef("user_id"), body=body, year=year)
        .values("user")
        .annotate(total=Sum("seconds"))
        .values("total")
    )
    return (
        MemberProfile.objects.filter(body=body, is_active=True)
        .select_related("user")
        .annotate(seconds=Coalesce(Subquery(studied, output_field=IntegerField()), Value(0)))
        .filter(seconds__lt=hours * 3600)
        .order_by("seconds", "user_id")
    )


def oversee_bodies(user):
    """The bodies whose learning the user oversees (liaison office, leaders)."""
    return [b for b in OrgUnit.objects.filter(pk__in=perm.user_bodies(user)) if perm.may_oversee(user, b)]


def my_bodies(user):
    """The bodies of which the user is a member or deputy."""
    return OrgUnit.objects.filter(pk__in=perm.member_bodies(user)).order_by("path")


def managed_bodies(user):
    return OrgUnit.objects.filter(pk__in=perm.manager_bodies(user)).order_by("path")


# ---- live lectures (the keepers' pages) ------------------------------------------------------------------------


def lectures_for(user):
    """The lectures of the bodies whose courses the user keeps (nobody else sees the lecture pages)."""
    return (
        Lecture.objects.filter(course__body_id__in=perm.manager_bodies(user))
        .select_related("course", "course__body", "recording")
        .order_by("-starts_at", "-pk")
    )


def access_lecture(user, pk) -> Lecture:
    lecture = lectures_for(user).filter(pk=_int(pk) or 0).first()
    if lecture is None:
        raise NotFound()
    return lecture


def meetings_of(lectures) -> dict[int, Meeting]:
    """The consultation meetings of the lectures, with `invited` and `joined` counts (one query for a page)."""
    ids = [lecture.meeting_id for lecture in lectures]
    meetings = Meeting.objects.filter(pk__in=ids).annotate(
        invited=Count("invitations"), joined=Count("invitations", filter=Q(invitations__joined_at__isnull=False))
    )
    return {meeting.pk: meeting for meeting in meetings}


def lecture_courses(user):
    """The courses a keeper may hold a lecture for: those of the bodies they keep that are not retired."""
    return (
        Course.objects.filter(body_id__in=perm.manager_bodies(user))
        .exclude(status=Course.Status.RETIRED)
        .select_related("body")
        .order_by("-year", "title", "pk")
    )
