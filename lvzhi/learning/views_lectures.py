"""The keepers' pages of remote training (S4-2.2.6, S3-5): the lectures of their bodies, scheduling a live lecture
on the consultation module's video rooms (the information office approves the application; the members are
invited and join the room from the consultation pages), turning the attendance of an ended lecture into training
records, and publishing its recording as a lesson of the course."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lvzhi.consultation import permissions as consultation_perm
from lvzhi.consultation import rules as consultation_rules
from lvzhi.core.errors import ApplicationError, NotFound
from lvzhi.core.params import query_int

from . import rules, selectors, services

ENDED = "ended"


class LectureForm(forms.Form):
    course = forms.ChoiceField(label=gettext_lazy("Course"))
    unit = forms.ChoiceField(label=gettext_lazy("Department holding the lecture"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=rules.TITLE_MAX)
    day = forms.DateField(label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=gettext_lazy("Time"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"),
        min_value=consultation_rules.DURATION_MIN,
        max_value=consultation_rules.DURATION_MAX,
        initial=90,
    )
    agenda = forms.CharField(label=gettext_lazy("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    undertaking = forms.BooleanField(
        label=gettext_lazy("I answer for the content of the lecture (the information office approves the room)"),
        required=False,
    )


class RecordingForm(forms.Form):
    video = forms.FileField(label=gettext_lazy("Recording (MP4 or WebM)"))


def _units(user, courses):
    """The departments of the courses' bodies where the user may apply for the video room."""
    bodies = {c.body_id: c.body for c in courses}
    return [unit for body in bodies.values() for unit in consultation_perm.departments_of(user, body)]


@login_required
@require_GET
def lectures(request):
    if not selectors.managed_bodies(request.user).exists():
        raise NotFound()
    page = Paginator(selectors.lectures_for(request.user), rules.PAGE_SIZE).get_page(request.GET.get("page"))
    meetings = selectors.meetings_of(page.object_list)
    rows = [{"lecture": lecture, "meeting": meetings.get(lecture.meeting_id)} for lecture in page]
    return render(request, "learning/lectures.html", {"page": page, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def new_lecture(request):
    courses = list(selectors.lecture_courses(request.user)[:200])
    if not courses:
        raise NotFound()
    units = _units(request.user, courses)
    wanted = query_int(request.GET.get("course"))
    form = LectureForm(request.POST or None, initial={"course": wanted, "duration": 90})
    form.fields["course"].choices = [(c.pk, f"{c.title}（{c.body.name} · {c.year}）") for c in courses]
    form.fields["unit"].choices = [(u.pk, f"{u.name}（{u.body.name}）") for u in units]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        course = next(c for c in courses if str(c.pk) == data["course"])
        unit = next(u for u in units if str(u.pk) == data["unit"])
        starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["time"]))
        try:
            lecture = services.schedule_lecture(
                actor=request.user,
                course=course,
                unit=unit,
                title=data["title"],
                starts_at=starts_at,
                duration_minutes=data["duration"],
                agenda=data["agenda"],
                undertaking=data["undertaking"],
            )
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The lecture was scheduled; the information office approves the video room."))
            return redirect("learning:lecture", pk=lecture.pk)
    context = {"form": form, "no_units": not units}
    return render(request, "learning/lecture_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def lecture(request, pk):
    item = selectors.access_lecture(request.user, pk)
    meeting = selectors.meetings_of([item]).get(item.meeting_id)
    ended = meeting is not None and meeting.status == ENDED
    context = {
        "lecture": item,
        "meeting": meeting,
        "ended": ended,
        "may_record": ended,
        "may_publish": ended and item.recording_id is None,
    }
    return render(request, "learning/lecture.html", context)


@login_required
@require_POST
def lecture_attendance(request, pk):
    item = selectors.access_lecture(request.user, pk)
    try:
        count = services.record_lecture_attendance(actor=request.user, lecture=item)
    except ApplicationError as exc:
        if exc.status == 404:
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s members attended; their training records were made.") % {"n": count})
    return redirect("learning:lecture", pk=item.pk)


@login_required
@require_http_methods(["GET", "POST"])
def publish_recording(request, pk):
    item = selectors.access_lecture(request.user, pk)
    form = RecordingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = request.FILES["video"]
        try:
            lesson = services.publish_recording(actor=request.user, lecture=item, filename=upload.name, data=upload)
        except ApplicationError as exc:
            if exc.status == 404:
                raise
            form.add_error("video", exc.message)
        else:
            messages.success(request, _("The recording was published as a lesson of the course."))
            return redirect("learning:lesson", pk=lesson.pk)
    context = {
        "form": form,
        "title": _("Publish the recording of “%(title)s”") % {"title": item.title},
        "multipart": True,
        "back": item.course,
    }
    return render(request, "learning/form.html", context, status=400 if form.errors else 200)
