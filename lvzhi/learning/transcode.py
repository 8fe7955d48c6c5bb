"""Optional transcoding of an uploaded lesson video by the system's ffmpeg, in a task (django-tasks).

An MP4 is rewritten with its index at the front (`-movflags +faststart`: playback starts before the whole file is
loaded) and re-encoded to H.264/AAC when its codecs are not; a WebM is left as it is. Without ffmpeg on the PATH the
lesson is marked "skipped" and served as uploaded. The new file replaces the old in one transaction."""

import logging
import os
import shutil
import subprocess
import tempfile

from django.core.files.base import ContentFile
from django.db import transaction
from django_tasks import task

from lvzhi.core.uploads import delete_on_commit

from .models import Lesson

logger = logging.getLogger("lvzhi.learning")
TIMEOUT_SECONDS = 900


def ffmpeg() -> str | None:
    return shutil.which("ffmpeg")


def enqueue(lesson_id: int) -> None:
    try:
        transcode_lesson.enqueue(lesson_id)
    except Exception:  # noqa: BLE001 — the lesson is served as uploaded; the queue's failure is logged
        logger.exception("learning: the transcoding of lesson %s could not be queued", lesson_id)


def _mark(lesson_id: int, state: str) -> None:
    Lesson.objects.filter(pk=lesson_id).update(transcode=state)


def run(lesson_id: int) -> str:
    """Transcode one lesson's video now; returns the lesson's new transcode state."""
    lesson = Lesson.objects.filter(pk=lesson_id).first()
    if lesson is None or not lesson.video:
        return ""
    binary = ffmpeg()
    if binary is None or lesson.video_mime != "video/mp4":
        state = Lesson.Transcode.SKIPPED if binary is None else Lesson.Transcode.DONE
        _mark(lesson_id, state)
        return state
    with tempfile.TemporaryDirectory() as work:
        source, target = os.path.join(work, "in.mp4"), os.path.join(work, "out.mp4")
        with lesson.video.open("rb") as handle, open(source, "wb") as out:
            shutil.copyfileobj(handle, out)
        command = [binary, "-nostdin", "-v", "error", "-y", "-i", source, "-c:v", "libx264", "-preset", "veryfast",
                   "-c:a", "aac", "-movflags", "+faststart", target]  # fmt: skip
        try:
            subprocess.run(command, check=True, timeout=TIMEOUT_SECONDS, capture_output=True)  # noqa: S603
        except (subprocess.SubprocessError, OSError):
            logger.warning("learning: ffmpeg failed on lesson %s", lesson_id, exc_info=True)
            _mark(lesson_id, Lesson.Transcode.FAILED)
            return Lesson.Transcode.FAILED
        with open(target, "rb") as handle:
            data = handle.read()
    with transaction.atomic():
        lesson = Lesson.objects.select_for_update().get(pk=lesson_id)
        delete_on_commit(lesson.video)
        lesson.video.save("lesson.mp4", ContentFile(data), save=False)
        lesson.video_size, lesson.transcode = len(data), Lesson.Transcode.DONE
        lesson.save(update_fields=["video", "video_size", "transcode"])
    return Lesson.Transcode.DONE


@task()
def transcode_lesson(lesson_id: int) -> str:
    return run(lesson_id)
