"""Pages of 委员学习 for members and deputies: the home page, courses, lessons (video, heartbeats, quiz), the
learning record and certificates. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.params import query_year
from lvzhi.core.timeutil import local_date
from lvzhi.core.uploads import content_disposition, file_response

from . import actions, rules, selectors, services, streaming
from . import permissions as perm
from .certificate_pdf import certificate_pdf as make_certificate
from .models import Course
from .present import duration


def _page(request, qs):
    return Paginator(qs, rules.PAGE_SIZE).get_page(request.GET.get("page"))


def _year(request) -> int:
    return query_year(request.GET.get("year")) or local_date().year


@login_required
@require_GET
def home(request):
    user, year = request.user, local_date().year
    targets = []
    for body in selectors.my_bodies(user)[:5]:
        targets.append({"body": body, "hours": selectors.required_hours(body, year)})
    context = {
        "year": year,
        "hours": selectors.my_hours(user, year),
        "targets": targets,
        "courses": selectors.courses_for(user).filter(status=Course.Status.PUBLISHED).order_by("-year", "-pk")[:6],
        "reading_lists": selectors.reading_lists_for(user)[:6],
        "manages": bool(perm.manager_bodies(user)),
    }
    return render(request, "learning/home.html", context)


@login_required
@require_GET
def record(request):
    year = _year(request)
    page = _page(request, selectors.my_record(request.user, year))
    rows = [{"p": p, "time": duration(p.seconds)} for p in page]
    context = {"year": year, "page": page, "rows": rows, "hours": selectors.my_hours(request.user, year)}
    return render(request, "learning/record.html", context)


@login_required
@require_GET
def certificate_pdf(request, pk):
    certificate = selectors.access_certificate(request.user, pk)
    response = HttpResponse(make_certificate(certificate), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"结业证书-{certificate.number}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def courses(request):
    page = _page(request, selectors.courses_for(request.user).order_by("-year", "-pk"))
    return render(request, "learning/courses.html", {"page": page})


@login_required
@require_GET
def course(request, pk):
    user = request.user
    item = selectors.access_course(user, pk)
    lessons = list(selectors.lessons_of(item))
    seconds = selectors.lesson_seconds(user, lessons)
    passed = selectors.passed_lessons(user, lessons)
    progress = selectors.progress_of(user, item, local_date().year)
    rows = [{"lesson": x, "time": duration(seconds.get(x.pk, 0)), "passed": x.pk in passed} for x in lessons]
    studied = progress.seconds if progress else 0
    context = {
        "course": item,
        "rows": rows,
        "progress": progress,
        "studied": duration(studied),
        "percent": min(100, round(100 * studied / (item.required_minutes * 60))),
        "steps": actions.STEPS.available(user, item),
        "manages": perm.may_manage(user, item.body),
    }
    return render(request, "learning/course.html", context)


@login_required
@require_POST
def course_step(request, pk, name):
    item = selectors.access_course(request.user, pk)
    actions.STEPS.perform_on_page(request, item, name, done=None)
    return redirect("learning:course", pk=item.pk)


@login_required
@require_GET
def lesson(request, pk):
    user = request.user
    item = selectors.access_lesson(user, pk)
    questions = list(item.questions.all())
    attempts = list(selectors.attempts_of(user, item))
    context = {
        "lesson": item,
        "course": item.course,
        "questions": questions,
        "attempts": attempts,
        "passed": any(a.passed for a in attempts),
        "attempts_left": max(0, item.max_attempts - len(attempts)),
        "may_study": perm.may_study(user, item.course),
        "studied": duration(selectors.lesson_seconds(user, [item]).get(item.pk, 0)),
        "beat_seconds": rules.beat_seconds(),
        "idle_seconds": rules.IDLE_SECONDS,
        "csrf": get_token(request),
    }
    return render(request, "learning/lesson.html", context)


@login_required
@require_POST
def beat(request, pk):
    """The lesson page's heartbeat (static/learning/study.js): JSON in and out, errors as {"code", "message"}."""
    item = selectors.access_lesson(request.user, pk)
    claimed = request.POST.get("seconds")
    try:
        result = services.beat(
            actor=request.user, lesson=item, claimed_seconds=int(claimed) if claimed and claimed.isdigit() else None
        )
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse(
        {
            "counted": result.counted,
            "today": result.today,
            "course_seconds": result.course_seconds,
            "today_text": duration(result.today),
        }
    )


@login_required
@require_GET
def video(request, pk):
    item = selectors.access_lesson(request.user, pk)
    if not item.video:
        raise NotFound()
    return streaming.ranged_response(
        item.video, content_type=item.video_mime, range_header=request.headers.get("Range", "")
    )


@login_required
@require_GET
def image(request, pk):
    item = selectors.access_lesson(request.user, pk)
    if not item.image:
        raise NotFound()
    return file_response(item.image, filename=f"lesson-{item.pk}", content_type=item.image_mime)


@login_required
@require_http_methods(["POST"])
def quiz(request, pk):
    item = selectors.access_lesson(request.user, pk)
    count = item.questions.count()
    answers = [request.POST.get(f"q{i}", "") for i in range(count)]
    try:
        attempt = services.submit_quiz(actor=request.user, lesson=item, answers=answers)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
        return redirect("learning:lesson", pk=item.pk)
    if attempt.passed:
        messages.success(request, _("Passed: %(score)s points.") % {"score": attempt.score})
    else:
        messages.error(request, _("Not passed: %(score)s points.") % {"score": attempt.score})
    return redirect("learning:lesson", pk=item.pk)
