"""The demo shows remote training (S4-2.2.6, S3-5): one live lecture scheduled on the consultation rooms and one held,
with its attendance recorded and its recording published as a lesson; loading the demo again adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from lvzhi.consultation.models import Meeting
from lvzhi.duty.models import Record
from lvzhi.learning.models import Lecture


@pytest.mark.django_db
@pytest.mark.req("S4-2.2.6", "S3-5")
def test_the_demo_has_a_scheduled_lecture_and_a_published_recording_once():
    call_command("demo", stdout=StringIO())
    lectures = list(Lecture.objects.select_related("recording", "course").order_by("starts_at"))
    assert len(lectures) == 2
    held, coming = lectures
    states = dict(Meeting.objects.filter(pk__in=[held.meeting_id, coming.meeting_id]).values_list("pk", "status"))
    assert states == {held.meeting_id: "ended", coming.meeting_id: "scheduled"}
    assert coming.recording is None and coming.recorded_at is None
    assert held.recorded_at is not None and held.recording.video_size > 0
    assert (
        held.recording.course == held.course and held.recording.lecture_ref == f"consultation.meeting:{held.meeting_id}"
    )
    assert Record.objects.filter(kind="training", source_ref=f"learning.lecture:{held.pk}", member__phone="13800000001")
    call_command("demo", stdout=StringIO())
    assert Lecture.objects.count() == 2
