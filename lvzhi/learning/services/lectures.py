"""Remote training (S4-2.2.6, S3-5): a live lecture is a remote-consultation meeting of the body's study office
(`lvzhi.consultation` services: the application, the leader's approval, the invitations, the room and its
attendance). Once the meeting has ended, each member who joined gets a training record (duty kind "training"),
instead of the meeting record the consultation module made; the recording is published as a lesson of the course."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile
from lvzhi.audit.services import record as audit
from lvzhi.consultation import selectors as consultation_selectors
from lvzhi.consultation import services as consultation
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.duty import services as duty

from .. import permissions as perm
from ..models import Lecture
from .common import to_duty
from .courses import add_lesson

ENDED = "ended"


def _member_ids(body) -> list[int]:
    return list(
        MemberProfile.objects.filter(body=body, is_active=True, user__is_active=True)
        .filter(Q(user__unit=body) | Q(user__unit__body=body))
        .values_list("user_id", flat=True)
    )


@transaction.atomic
def schedule_lecture(*, actor, course, unit, title, starts_at, duration_minutes=60, agenda="", undertaking=False):
    """The keeper's office applies for the video room (the consultation module's notice and approval apply) and
    invites the body's members and deputies."""
    if not perm.may_manage(actor, course.body):
        raise NotFound()
    if unit is None or unit.body_id != course.body_id:
        raise ValidationFailed(
            _("Choose a department of the course's body that holds the lecture."), code="unit_invalid"
        )
    meeting = consultation.apply_for_meeting(
        actor=actor,
        unit=unit,
        title=title,
        agenda=agenda,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        undertaking=undertaking,
    )
    consultation.invite(actor=actor, meeting=meeting, user_ids=_member_ids(course.body))
    lecture = Lecture.objects.create(
        course=course, meeting_id=meeting.pk, title=meeting.title, starts_at=meeting.starts_at, created_by=actor
    )
    audit("learning.lecture.schedule", actor=actor, obj=lecture, org_unit=course.body, after={"meeting": meeting.pk})
    return lecture


@transaction.atomic
def record_lecture_attendance(*, actor, lecture) -> int:
    """After the lecture: a training record for each member who joined; the meeting's own record is taken back
    (one activity, counted once). Returns how many members attended."""
    lecture = Lecture.objects.select_for_update().select_related("course", "course__body").get(pk=lecture.pk)
    body = lecture.course.body
    if not perm.may_manage(actor, body):
        raise NotFound()
    meeting = consultation_selectors.access_meeting(actor, lecture.meeting_id)
    if meeting.status != ENDED:
        raise Conflict(_("The lecture has not ended yet."), code="lecture_not_ended")
    members = set(_member_ids(body))
    day = local_date(meeting.starts_at)
    attended = 0
    for invitation in consultation_selectors.invitations_of(meeting).filter(joined_at__isnull=False):
        if invitation.user_id not in members:
            continue
        duty.sync_source(
            source_ref=f"consultation.meeting:{meeting.pk}",
            body=body,
            member=invitation.user,
            kind="meeting",
            day=day,
            title=meeting.title,
            organiser=meeting.unit,
            outcomes={},
        )
        to_duty(kind="training", member=invitation.user, source=lecture, day=day, quantity=1, body=body,
                title=_("Lecture: %(title)s") % {"title": lecture.title})  # fmt: skip
        attended += 1
    lecture.recorded_at = timezone.now()
    lecture.save(update_fields=["recorded_at"])
    audit("learning.lecture.attendance", actor=actor, obj=lecture, org_unit=body, after={"attended": attended})
    return attended


@transaction.atomic
def publish_recording(*, actor, lecture, filename, data):
    """The recording of an ended lecture (a video: bytes or an uploaded file, streamed to storage) becomes a lesson
    of the lecture's course; once."""
    lecture = Lecture.objects.select_for_update().select_related("course", "course__body").get(pk=lecture.pk)
    if not perm.may_manage(actor, lecture.course.body):
        raise NotFound()
    if lecture.recording_id is not None:
        raise Conflict(_("The recording has already been published."), code="recording_exists")
    meeting = consultation_selectors.access_meeting(actor, lecture.meeting_id)
    if meeting.status != ENDED:
        raise Conflict(_("The lecture has not ended yet."), code="lecture_not_ended")
    if not data:
        raise ValidationFailed(_("Choose the video file of the recording."), code="video_required")
    lesson = add_lesson(
        actor=actor,
        course=lecture.course,
        title=_("%(title)s (recording)") % {"title": lecture.title},
        video=(filename, data),
        lecture_ref=f"consultation.meeting:{lecture.meeting_id}",
    )
    lecture.recording = lesson
    lecture.save(update_fields=["recording"])
    audit(
        "learning.lecture.recording",
        actor=actor,
        obj=lecture,
        org_unit=lecture.course.body,
        after={"lesson": lesson.pk, "size": lesson.video_size, "sha256": lesson.video_sha256},
    )
    return lesson
