"""Study time that cannot be faked easily (S4-2.2.6, S0-20): server-side totals from heartbeats, a hidden tab (no
beats) not counted, each beat capped at the interval, too-fast beats refused, one lesson at a time, whole hours to
the duty record, completion with a certificate and a training record."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, RateLimited
from lvzhi.duty.models import Record
from lvzhi.learning import rules, services
from lvzhi.learning.models import CourseProgress, StudyDay
from lvzhi.testing import login

EVERY = 30  # the default interval


def _at(start, seconds):
    return start + dt.timedelta(seconds=seconds)


@pytest.fixture
def t0():
    return timezone.now() - dt.timedelta(hours=3)


def _total(user, lesson):
    return sum(StudyDay.objects.filter(user=user, lesson=lesson).values_list("seconds", flat=True))


@pytest.mark.req("S4-2.2.6", "S0-20")
def test_steady_beats_count_their_intervals_and_a_hidden_tab_counts_nothing(w, t0):
    assert rules.beat_seconds() == EVERY
    lesson = w.video_lesson
    assert services.beat(actor=w.m1, lesson=lesson, now=t0).counted == 0  # the first beat starts a stretch
    assert services.beat(actor=w.m1, lesson=lesson, now=_at(t0, 30)).counted == 30
    assert services.beat(actor=w.m1, lesson=lesson, now=_at(t0, 60)).counted == 30
    # The tab is hidden for ten minutes: the page sends no beats. The next beat earns nothing.
    assert services.beat(actor=w.m1, lesson=lesson, now=_at(t0, 660)).counted == 0
    assert services.beat(actor=w.m1, lesson=lesson, now=_at(t0, 690)).counted == 30
    assert _total(w.m1, lesson) == 90
    assert CourseProgress.objects.get(user=w.m1, course=w.course).seconds == 90


@pytest.mark.req("S4-2.2.6", "S0-20")
def test_a_beat_claiming_more_than_the_interval_is_capped_and_too_fast_beats_are_refused(w, t0):
    lesson = w.text_lesson
    services.beat(actor=w.m1, lesson=lesson, now=t0)
    # 55 seconds of server time since the last beat (within the window), the page claims an hour: 30 counted.
    assert services.beat(actor=w.m1, lesson=lesson, now=_at(t0, 55), claimed_seconds=3600).counted == EVERY
    # The page claims less than elapsed (it was paused): the claim caps the credit.
    assert services.beat(actor=w.m1, lesson=lesson, now=_at(t0, 85), claimed_seconds=0).counted == 0
    with pytest.raises(RateLimited) as exc:
        services.beat(actor=w.m1, lesson=lesson, now=_at(t0, 90))
    assert exc.value.code == "beat_too_fast"
    assert _total(w.m1, lesson) == EVERY


@pytest.mark.req("S4-2.2.6", "S0-20")
def test_two_lessons_at_once_are_not_double_counted(w, t0):
    a, b = w.video_lesson, w.text_lesson
    services.beat(actor=w.m1, lesson=a, now=t0)
    for n in range(1, 5):  # two tabs beating side by side for two minutes
        assert services.beat(actor=w.m1, lesson=a, now=_at(t0, 30 * n)).counted == EVERY
        with pytest.raises(Conflict) as exc:
            services.beat(actor=w.m1, lesson=b, now=_at(t0, 30 * n + 1))
        assert exc.value.code == "another_lesson"
    assert (_total(w.m1, a), _total(w.m1, b)) == (120, 0)
    # Lesson A is closed; once its stretch has lapsed, lesson B starts its own.
    assert services.beat(actor=w.m1, lesson=b, now=_at(t0, 120 + 61)).counted == 0
    assert services.beat(actor=w.m1, lesson=b, now=_at(t0, 120 + 91)).counted == EVERY
    assert CourseProgress.objects.get(user=w.m1, course=w.course).seconds == 150


@pytest.mark.req("S4-2.2.6")
def test_the_heartbeat_endpoint_answers_json_with_stable_codes(client, w):
    login(client, w.m1)
    url = f"/learning/lessons/{w.video_lesson.pk}/beat/"
    first = client.post(url, {"seconds": "0"})
    assert first.status_code == 200 and first.json()["counted"] == 0
    again = client.post(url, {"seconds": "30"})
    assert again.status_code == 429 and again.json()["code"] == "beat_too_fast"
    other = client.post(f"/learning/lessons/{w.text_lesson.pk}/beat/", {})
    assert other.status_code == 409 and other.json()["code"] == "another_lesson"
    client.logout()
    login(client, w.member_b2)
    assert client.post(url, {}).status_code == 404


@pytest.mark.req("S0-20", "S3-5")
def test_whole_hours_go_to_the_duty_record_and_completion_gives_a_certificate_and_a_training(client, w, t0):
    progress = services.progress_for(w.m2, w.course, timezone.localdate().year)
    CourseProgress.objects.filter(pk=progress.pk).update(seconds=3600 - 20)
    services.beat(actor=w.m2, lesson=w.video_lesson, now=t0)
    services.beat(actor=w.m2, lesson=w.video_lesson, now=_at(t0, 30))
    progress.refresh_from_db()
    assert (progress.seconds, progress.hours_recorded) == (3610, 1)
    study = Record.objects.get(member=w.m2, source_ref=f"learning.courseprogress:{progress.pk}", status="pending")
    assert (study.kind, study.outcome, study.quantity) == ("platform", "study", 1)
    assert AuditEvent.objects.filter(event="learning.study.hours", after__hours=1).count() == 1
    assert progress.completed_at is None  # the quiz is not passed yet
    wrong = services.submit_quiz(actor=w.m2, lesson=w.video_lesson, answers=[0, 1])
    assert (wrong.passed, wrong.score) == (False, 0)
    right = services.submit_quiz(actor=w.m2, lesson=w.video_lesson, answers=[1, 0])
    assert (right.passed, right.score, right.number) == (True, 100, 2)
    progress.refresh_from_db()
    assert progress.completed_at is not None
    training = Record.objects.get(member=w.m2, kind="training", source_ref__startswith="learning.certificate:")
    assert (training.outcome, training.quantity, training.unit) == ("attended", 1, w.culture)
    with pytest.raises(Conflict) as exc:
        services.submit_quiz(actor=w.m2, lesson=w.video_lesson, answers=[1, 0])
    assert exc.value.code == "already_passed"
    login(client, w.m2)
    pdf = client.get(f"/learning/certificates/{progress.certificate.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "魏静怡" in text and "履职能力提升" in text
    client.logout()
    login(client, w.m1)
    assert client.get(f"/learning/certificates/{progress.certificate.pk}.pdf").status_code == 404


@pytest.mark.req("S4-2.2.6")
def test_quiz_attempts_are_bounded_and_kept(w):
    assert services.submit_quiz(actor=w.m3, lesson=w.video_lesson, answers=[0, 1]).passed is False
    assert services.submit_quiz(actor=w.m3, lesson=w.video_lesson, answers=["0", "1"]).passed is False
    with pytest.raises(Conflict) as exc:
        services.submit_quiz(actor=w.m3, lesson=w.video_lesson, answers=[1, 0])
    assert exc.value.code == "no_attempts_left"
    with pytest.raises(NotFound):
        services.submit_quiz(actor=w.member_b2, lesson=w.video_lesson, answers=[1, 0])


@pytest.mark.req("S4-2.2.6", "S4-2.2.5")
def test_the_api_counts_beats_and_answers_errors_as_code_and_message(client, w):
    login(client, w.m1)
    url = f"/api/v1/learning/lessons/{w.video_lesson.pk}/beat"
    assert client.post(url, {"seconds": 0}, content_type="application/json").json()["counted"] == 0
    fast = client.post(url, {"seconds": 3600}, content_type="application/json")
    assert fast.status_code == 429 and fast.json()["code"] == "beat_too_fast" and fast.json()["message"]
    quiz = client.post(
        f"/api/v1/learning/lessons/{w.video_lesson.pk}/quiz", {"answers": [1]}, content_type="application/json"
    )
    assert quiz.status_code == 400 and quiz.json()["code"] == "answers_incomplete"
    found = client.get("/api/v1/learning/documents", {"q": "营商环境"}).json()
    assert [d["id"] for d in found["items"]] == [w.doc_members.pk]
    client.logout()
    login(client, w.member_b2)
    assert client.get(f"/api/v1/learning/documents/{w.doc_members.pk}").json()["code"] == "not_found"
    assert client.get("/api/v1/learning/documents", {"q": "营商环境"}).json()["count"] == 0
