"""The staff's pages of 委员学习: courses and lessons with quizzes, the body's annual plan, and the liaison office's
list of members behind their study hours with reminders."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.params import query_int, query_year
from lvzhi.core.timeutil import local_date

from . import permissions as perm
from . import rules, selectors, services
from .present import duration


class CourseForm(forms.Form):
    body = forms.ChoiceField(label=gettext_lazy("Body"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=rules.TITLE_MAX)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1949, max_value=2100)
    required_minutes = forms.IntegerField(label=gettext_lazy("Study time to complete (minutes)"), min_value=1)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), max_length=rules.SUMMARY_MAX, required=False, widget=forms.Textarea
    )


class LessonForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=rules.TITLE_MAX)
    text = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea)
    image = forms.FileField(label=gettext_lazy("Image (JPEG, PNG or WebP)"), required=False)
    video = forms.FileField(label=gettext_lazy("Video (MP4 or WebM)"), required=False)
    pass_mark = forms.IntegerField(label=gettext_lazy("Quiz pass mark (%)"), min_value=0, max_value=100, initial=60)
    max_attempts = forms.IntegerField(label=gettext_lazy("Quiz attempts"), min_value=1, initial=3)


class QuestionForm(forms.Form):
    question = forms.CharField(label=gettext_lazy("Question"), max_length=rules.QUESTION_MAX)
    choices = forms.CharField(label=gettext_lazy("Choices, one a line"), widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.IntegerField(label=gettext_lazy("Number of the right choice"), min_value=1)


class PlanForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=rules.TITLE_MAX)
    required_hours = forms.IntegerField(label=gettext_lazy("Study hours per member"), min_value=1)
    courses = forms.MultipleChoiceField(
        label=gettext_lazy("Courses"), required=False, widget=forms.CheckboxSelectMultiple
    )


def _file(upload):
    """(name, the uploaded file) for the service, which bounds it and streams it to storage; or None."""
    return None if upload is None else (upload.name, upload)


def _body(request, bodies):
    wanted = query_int(request.GET.get("body") or request.POST.get("body"))
    for body in bodies:
        if wanted in (None, body.pk):
            return body
    raise NotFound()


@login_required
@require_GET
def office(request):
    user = request.user
    managed, overseen = list(selectors.managed_bodies(user)), selectors.oversee_bodies(user)
    if not managed and not overseen:
        raise NotFound()
    page = Paginator(selectors.courses_for(user).filter(body__in=managed).order_by("-year", "-pk"), rules.PAGE_SIZE)
    context = {"page": page.get_page(request.GET.get("page")), "managed": managed, "overseen": overseen}
    return render(request, "learning/office.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_course(request):
    bodies = list(selectors.managed_bodies(request.user))
    if not bodies:
        raise NotFound()
    form = CourseForm(request.POST or None, initial={"year": local_date().year, "required_minutes": 60})
    form.fields["body"].choices = [(b.pk, b.name) for b in bodies]
    if request.method == "POST" and form.is_valid():
        body = next(b for b in bodies if str(b.pk) == form.cleaned_data["body"])
        data = {k: form.cleaned_data[k] for k in ("title", "summary", "year", "required_minutes")}
        try:
            course = services.create_course(actor=request.user, body=body, **data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("learning:new_lesson", pk=course.pk)
    return render(
        request, "learning/form.html", {"form": form, "title": _("New course")}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_lesson(request, pk):
    course = selectors.access_course(request.user, pk)
    if not perm.may_manage(request.user, course.body):
        raise NotFound()
    form = LessonForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson = services.add_lesson(
                actor=request.user,
                course=course,
                title=data["title"],
                text_body=data["text"],
                image=_file(request.FILES.get("image")),
                video=_file(request.FILES.get("video")),
                pass_mark=data["pass_mark"],
                max_attempts=data["max_attempts"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The lesson was added."))
            return redirect("learning:new_question", pk=lesson.pk)
    context = {"form": form, "title": _("New lesson of “%(course)s”") % {"course": course.title}, "multipart": True}
    return render(request, "learning/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def new_question(request, pk):
    lesson = selectors.access_lesson(request.user, pk)
    if not perm.may_manage(request.user, lesson.course.body):
        raise NotFound()
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_question(
                actor=request.user,
                lesson=lesson,
                question=data["question"],
                choices=data["choices"].splitlines(),
                answer=data["answer"] - 1,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The question was added."))
            return redirect("learning:new_question", pk=lesson.pk)
    context = {
        "form": form,
        "title": _("Quiz of “%(lesson)s”") % {"lesson": lesson.title},
        "questions": list(lesson.questions.all()),
        "back": lesson.course,
    }
    return render(request, "learning/form.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def plan(request):
    bodies = list(selectors.managed_bodies(request.user))
    if not bodies:
        raise NotFound()
    body = _body(request, bodies)
    year = query_year(request.GET.get("year") or request.POST.get("year")) or local_date().year
    current = selectors.plan_of(body, year)
    initial = (
        {
            "title": current.title,
            "required_hours": current.required_hours,
            "courses": [str(c.pk) for c in current.courses.all()],
        }
        if current
        else {  # fmt: skip
            "title": _("Learning plan %(year)s") % {"year": year},
            "required_hours": rules.required_hours(body),
        }
    )
    form = PlanForm(request.POST or None, initial=initial)
    form.fields["courses"].choices = [
        (c.pk, c.title) for c in selectors.courses_for(request.user).filter(body=body)[:100]
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_plan(actor=request.user, body=body, year=year, title=data["title"],
                              required_hours=data["required_hours"], course_ids=data["courses"])  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The learning plan was saved."))
            return redirect(f"{request.path}?body={body.pk}&year={year}")
    context = {"form": form, "title": _("Learning plan %(year)s of %(body)s") % {"year": year, "body": body.name},
               "hidden": {"body": body.pk, "year": year}}  # fmt: skip
    return render(request, "learning/form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def behind(request):
    body = _body(request, selectors.oversee_bodies(request.user))
    year = query_year(request.GET.get("year")) or local_date().year
    hours = selectors.required_hours(body, year)
    page = Paginator(selectors.behind(body, year, hours), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"profile": p, "studied": duration(p.seconds)} for p in page]
    context = {"body": body, "year": year, "hours": hours, "page": page, "rows": rows}
    return render(request, "learning/behind.html", context)


@login_required
@require_POST
def remind(request):
    body = _body(request, selectors.oversee_bodies(request.user))
    year = query_year(request.POST.get("year")) or local_date().year
    ids = {query_int(v) for v in request.POST.getlist("user")} - {None}
    hours = selectors.required_hours(body, year)
    users = [p.user for p in selectors.behind(body, year, hours).filter(user_id__in=ids)[: rules.PAGE_SIZE]]
    try:
        count = services.remind_behind(actor=request.user, body=body, year=year, users=users)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s members were reminded.") % {"n": count})
    return redirect(f"/learning/office/behind/?body={body.pk}&year={year}")
