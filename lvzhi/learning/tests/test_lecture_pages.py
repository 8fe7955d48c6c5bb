"""The keepers' pages of remote training (S4-2.2.6, S3-5): scheduling a live lecture on the consultation module's video
rooms, recording its attendance once it has ended and publishing its recording as a lesson. Only the keepers of the
course's body reach them (anyone else: 404); bad input answers in Chinese; every step is audited."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.consultation import services as consultation
from lvzhi.consultation.models import Invitation, Meeting
from lvzhi.core.uploads import discard_uncommitted
from lvzhi.duty.models import Record
from lvzhi.learning import services
from lvzhi.learning.models import Lecture, Lesson
from lvzhi.testing import login
from lvzhi.workdays import calendar

from .conftest import SAMPLE_VIDEO


def _start(days: int = 20) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(9)))


def _lecture(w, title="专题讲座：民法典", approve=True) -> Lecture:
    lecture = services.schedule_lecture(actor=w.manager, course=w.course, unit=w.liaison, title=title,
                                        starts_at=_start(), duration_minutes=90, undertaking=True)  # fmt: skip
    if approve:
        meeting = Meeting.objects.get(pk=lecture.meeting_id)
        consultation.decide_application(actor=w.leader, meeting=meeting, approve=True)
    return lecture


def _end(w, lecture, joined=()) -> Meeting:
    meeting = Meeting.objects.get(pk=lecture.meeting_id)
    with freeze_time(meeting.starts_at + dt.timedelta(minutes=5)):
        for user in joined:
            consultation.record_attendance(actor=user, meeting=meeting, event="joined")
    with freeze_time(meeting.starts_at + dt.timedelta(minutes=100)):
        consultation.end_meeting(actor=w.manager, meeting=meeting)
    return meeting


def _video(name="讲座录像.webm", data=None):
    return SimpleUploadedFile(name, data if data is not None else SAMPLE_VIDEO.read_bytes(), "video/webm")


@pytest.mark.req("S4-2.2.6", "S3-5")
def test_a_keeper_schedules_a_lecture_from_the_page_and_it_applies_for_a_video_room(client, w):
    login(client, w.manager)
    assert 'data-testid="lectures-link"' in client.get("/learning/office/").content.decode()
    course_page = client.get(f"/learning/courses/{w.course.pk}/").content.decode()
    assert f"/learning/office/lectures/new/?course={w.course.pk}" in course_page
    form = client.get(f"/learning/office/lectures/new/?course={w.course.pk}")
    assert form.status_code == 200 and w.liaison.name in form.content.decode()
    day = calendar.due_date(calendar.add_working_days(timezone.now(), 10))
    data = {"course": w.course.pk, "unit": w.liaison.pk, "title": "专题讲座：民法典与基层治理", "day": day.isoformat(),
            "time": "09:30", "duration": 90, "agenda": "讲座、答疑", "undertaking": "on"}  # fmt: skip
    response = client.post("/learning/office/lectures/new/", data)
    lecture = Lecture.objects.get(course=w.course)
    assert response.status_code == 302 and response["Location"] == f"/learning/office/lectures/{lecture.pk}/"
    meeting = Meeting.objects.get(pk=lecture.meeting_id)
    assert (meeting.status, meeting.unit, meeting.title) == ("applied", w.liaison, "专题讲座：民法典与基层治理")
    assert set(Invitation.objects.filter(meeting=meeting).values_list("user_id", flat=True)) >= {w.m1.pk, w.m2.pk}
    event = AuditEvent.objects.get(event="learning.lecture.schedule", object_id=str(lecture.pk))
    assert event.actor_id == w.manager.pk
    page = client.get(f"/learning/office/lectures/{lecture.pk}/").content.decode()
    assert "申请待审批" in page or meeting.get_status_display() in page
    assert f"/consultation/{meeting.pk}/" in page and 'data-testid="record-attendance"' not in page
    assert "专题讲座：民法典与基层治理" in client.get("/learning/office/lectures/").content.decode()


@pytest.mark.req("S4-2.2.6")
@pytest.mark.parametrize(
    "change, message",
    [
        ({"undertaking": ""}, "确认"),  # the undertaking: the consultation module's own Chinese message
        ({"title": ""}, "必填"),
        ({"day": "2026-13-40"}, "日期"),
        ({"duration": "5"}, "15"),
        ("tomorrow", "工作日"),  # later than the consultation module's notice: refused with the latest day
    ],
)
def test_bad_lecture_input_is_refused_in_chinese_and_nothing_is_made(client, w, change, message):
    login(client, w.manager)
    day = calendar.due_date(calendar.add_working_days(timezone.now(), 10))
    data = {"course": w.course.pk, "unit": w.liaison.pk, "title": "讲座", "day": day.isoformat(), "time": "09:30",
            "duration": 90, "undertaking": "on"}  # fmt: skip
    if change == "tomorrow":
        data["day"] = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    else:
        data.update(change)
    response = client.post("/learning/office/lectures/new/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Lecture.objects.exists() and not Meeting.objects.exists()


@pytest.mark.req("S4-2.2.6", "S3-5")
def test_attendance_and_the_recording_are_published_from_the_lecture_page(client, w):
    lecture = _lecture(w)
    login(client, w.manager)
    url = f"/learning/office/lectures/{lecture.pk}/"
    # before the lecture has ended: neither attendance nor recording
    early = client.post(f"{url}attendance/", follow=True)
    assert "讲座尚未结束" in early.content.decode() or "尚未结束" in early.content.decode()
    refused = client.post(f"{url}recording/", {"video": _video()})
    assert refused.status_code == 400 and "尚未结束" in refused.content.decode()
    assert not Lesson.objects.filter(lecture_ref__startswith="consultation.meeting:").exists()
    meeting = _end(w, lecture, joined=[w.m1])
    with freeze_time(meeting.starts_at + dt.timedelta(hours=2)):  # the day of the lecture, after it
        client.logout()
        login(client, w.manager)
        _after_the_lecture(client, w, lecture)


def _after_the_lecture(client, w, lecture):
    url = f"/learning/office/lectures/{lecture.pk}/"
    page = client.get(url).content.decode()
    assert 'data-testid="record-attendance"' in page and 'data-testid="publish-link"' in page
    done = client.post(f"{url}attendance/", follow=True)
    assert "1 名委员参加" in done.content.decode()
    assert Record.objects.filter(member=w.m1, kind="training", source_ref=f"learning.lecture:{lecture.pk}").exists()
    assert AuditEvent.objects.filter(event="learning.lecture.attendance", object_id=str(lecture.pk)).exists()
    # a wrong file: Chinese message, no lesson
    bad = client.post(f"{url}recording/", {"video": _video("x.webm", b"not a video at all")})
    assert bad.status_code == 400 and "只能上传 MP4 或 WebM" in bad.content.decode()
    response = client.post(f"{url}recording/", {"video": _video()})
    discard_uncommitted()
    lesson = Lesson.objects.get(lecture_ref=f"consultation.meeting:{lecture.meeting_id}")
    assert response.status_code == 302 and response["Location"] == f"/learning/lessons/{lesson.pk}/"
    assert lesson.video_size == len(SAMPLE_VIDEO.read_bytes()) and len(lesson.video_sha256) == 64
    event = AuditEvent.objects.get(event="learning.lecture.recording", object_id=str(lecture.pk))
    assert event.after["lesson"] == lesson.pk
    again = client.post(f"{url}recording/", {"video": _video()})
    assert again.status_code == 400 and "录像已发布" in again.content.decode()
    # a member of the body studies the recording, its video served by range requests
    client.logout()
    login(client, w.m1)
    part = client.get(f"/learning/lessons/{lesson.pk}/video", HTTP_RANGE="bytes=0-99")
    assert part.status_code == 206 and part.content == SAMPLE_VIDEO.read_bytes()[:100]


@pytest.mark.req("S4-2.2.6", "S3-5")
def test_the_lecture_pages_are_the_keepers_alone_whatever_the_state(client, w):
    """role × action × state: the keepers of the course's body act; members, staff of other offices, another body's
    keepers and the administrators get 404 for every page and action, in every state of the lecture."""
    applied = _lecture(w, "讲座一", approve=False)
    ended = _lecture(w, "讲座二")
    _end(w, ended)
    pages = lambda lecture: [  # noqa: E731
        ("get", f"/learning/office/lectures/{lecture.pk}/"),
        ("post", f"/learning/office/lectures/{lecture.pk}/attendance/"),
        ("get", f"/learning/office/lectures/{lecture.pk}/recording/"),
        ("post", f"/learning/office/lectures/{lecture.pk}/recording/"),
    ]
    for who in ("m1", "econ_staff", "liaison_b2", "member_b2", "sysadmin"):
        client.logout()
        login(client, getattr(w, who))
        for lecture in (applied, ended):
            for method, url in pages(lecture):
                assert getattr(client, method)(url).status_code == 404, (who, url)
        own_list = client.get("/learning/office/lectures/")
        assert own_list.status_code == (200 if who == "liaison_b2" else 404), who
        if own_list.status_code == 200:
            assert "讲座一" not in own_list.content.decode()  # another body's lectures are not listed
        assert client.post("/learning/office/lectures/new/", {"course": w.course.pk}).status_code == 404, who
    client.logout()
    login(client, w.manager)
    for lecture, may_record in ((applied, False), (ended, True)):
        page = client.get(f"/learning/office/lectures/{lecture.pk}/").content.decode()
        assert ('data-testid="record-attendance"' in page) is may_record
        assert client.get(f"/learning/office/lectures/{lecture.pk}/recording/").status_code == 200
    assert Lecture.objects.filter(recorded_at__isnull=False).count() == 0


@pytest.mark.req("S4-2.2.6")
def test_the_lecture_list_takes_a_bounded_number_of_queries(client, w, django_assert_max_num_queries):
    _lecture(w, "讲座 0")
    login(client, w.manager)
    client.get("/learning/office/lectures/")  # warm the per-process caches (settings, permissions)
    with django_assert_max_num_queries(14) as few:
        assert client.get("/learning/office/lectures/").status_code == 200
    for n in range(1, 6):
        _lecture(w, f"讲座 {n}", approve=n % 2 == 0)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get("/learning/office/lectures/")
    assert response.content.decode().count("/learning/office/lectures/") >= 6
    assert len(many.captured_queries) == len(few.captured_queries)
