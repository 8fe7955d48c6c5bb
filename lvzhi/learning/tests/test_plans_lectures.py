"""Annual learning plans per body, the liaison office's list of members behind (paginated, query-bounded) with
reminders, and live lectures on the consultation module's rooms: attendance recorded once, as training (S3-5)."""

import datetime as dt

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts import services as account_services
from lvzhi.accounts.roles import Role
from lvzhi.consultation import services as consultation
from lvzhi.consultation.models import Invitation
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.duty.models import Record
from lvzhi.learning import services
from lvzhi.learning.models import CourseProgress
from lvzhi.notify.models import Message
from lvzhi.testing import login, make_user

from .conftest import SAMPLE_VIDEO


@pytest.mark.req("S4-2.2.6")
def test_a_plan_asks_at_least_the_bodys_hours_and_only_the_keepers_set_it(w):
    with pytest.raises(ValidationFailed) as exc:
        services.set_plan(actor=w.manager, body=w.body, year=w.year, title="计划", required_hours=2)
    assert exc.value.code == "hours_invalid"  # the body's setting is 12 hours
    plan = services.set_plan(actor=w.manager, body=w.body, year=w.year, title="年度计划", required_hours=20,
                             course_ids=[w.course.pk])  # fmt: skip
    assert (plan.required_hours, list(plan.courses.all())) == (20, [w.course])
    with pytest.raises(NotFound):
        services.set_plan(actor=w.m1, body=w.body, year=w.year, title="x", required_hours=20)
    with pytest.raises(NotFound):
        services.set_plan(actor=w.liaison_b2, body=w.body, year=w.year, title="x", required_hours=20)


@pytest.mark.req("S4-2.2.6")
def test_the_liaison_office_sees_who_is_behind_in_bounded_queries_and_reminds_them(
    client, w, django_assert_max_num_queries
):
    services.set_plan(actor=w.manager, body=w.body, year=w.year, title="年度计划", required_hours=12)
    done = services.progress_for(w.m1, w.course, w.year)
    CourseProgress.objects.filter(pk=done.pk).update(seconds=12 * 3600)
    login(client, w.liaison_staff)
    url = f"/learning/office/behind/?body={w.body.pk}"
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        page = client.get(url).content.decode()
    assert "魏静怡" in page and "陶宏宇" in page and "金文博" not in page
    for n in range(25):
        user = make_user(w.body, roles=[Role.MEMBER], real_name=f"新委员{n}")
        account_services.set_member_profile(actor=None, user=user, body=w.body)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    response = client.post(
        "/learning/office/behind/remind/", {"body": w.body.pk, "year": w.year, "user": [w.m2.pk, w.m1.pk]}
    )
    assert response.status_code == 302
    assert Message.objects.filter(recipient=w.m2, event="learning.remind").count() == 1
    assert not Message.objects.filter(recipient=w.m1, event="learning.remind").exists()  # not behind: left out
    client.logout()
    login(client, w.m2)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, w.liaison_b2)
    assert client.get(url).status_code == 404


def _lecture(w):
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=20), dt.time(9)))
    lecture = services.schedule_lecture(actor=w.study_staff, course=w.course, unit=w.culture, title="专题讲座：民法典",
                                        starts_at=start, duration_minutes=90, undertaking=True)  # fmt: skip
    consultation.decide_application(actor=w.leader, meeting=_meeting(lecture), approve=True)
    return lecture


def _meeting(lecture):
    return (
        Invitation.objects.select_related("meeting").get(meeting_id=lecture.meeting_id, user=lecture.created_by).meeting
    )


@pytest.mark.req("S4-2.2.6", "S3-5")
def test_a_live_lecture_is_a_consultation_meeting_whose_attendance_is_one_training_record(w, settings):
    settings.LVZHI_VIDEO_PROVIDER = "test"
    w.study_staff = make_user(w.culture, roles=[Role.STAFF], real_name="钱学习")
    lecture = _lecture(w)
    meeting = _meeting(lecture)
    assert set(meeting.invitations.values_list("user_id", flat=True)) >= {w.m1.pk, w.m2.pk, w.m3.pk}
    with freeze_time(meeting.starts_at + dt.timedelta(minutes=5)):
        consultation.record_attendance(actor=w.m1, meeting=meeting, event="joined")
    with freeze_time(meeting.starts_at + dt.timedelta(minutes=100)):
        with pytest.raises(Conflict) as exc:
            services.record_lecture_attendance(actor=w.study_staff, lecture=lecture)
        assert exc.value.code == "lecture_not_ended"
        consultation.end_meeting(actor=w.study_staff, meeting=meeting)
        assert services.record_lecture_attendance(actor=w.study_staff, lecture=lecture) == 1
        assert services.record_lecture_attendance(actor=w.study_staff, lecture=lecture) == 1  # idempotent
    live = Record.objects.filter(member=w.m1, status__in=["pending", "counted"])
    assert list(live.values_list("kind", "outcome", "source_ref")) == [
        ("training", "attended", f"learning.lecture:{lecture.pk}")
    ]  # the meeting's own record was taken back: one activity, counted once
    assert not Record.objects.filter(member=w.m2, kind="training").exists()
    lesson = services.publish_recording(
        actor=w.study_staff, lecture=lecture, filename="rec.webm", data=SAMPLE_VIDEO.read_bytes()
    )
    assert lesson.course == w.course and lesson.lecture_ref == f"consultation.meeting:{meeting.pk}"
    with pytest.raises(Conflict):
        services.publish_recording(
            actor=w.study_staff, lecture=lecture, filename="rec.webm", data=SAMPLE_VIDEO.read_bytes()
        )
