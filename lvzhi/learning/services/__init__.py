"""Every write of the learning module, one module per use case; the public names are re-exported here.

- library: `add_document`, `add_version`, `update_document`, `withdraw_document`, `create_reading_list`,
  `add_to_reading_list`
- courses: `create_course`, `publish_course`, `retire_course`, `add_lesson`, `add_question`
- study: `beat` (heartbeats → study time), `check_completion`, `progress_for`
- quizzes: `submit_quiz`
- plans: `set_plan`, `remind_behind`
- lectures: `schedule_lecture`, `record_lecture_attendance`, `publish_recording`
"""

from .courses import add_lesson, add_question, create_course, publish_course, retire_course
from .lectures import publish_recording, record_lecture_attendance, schedule_lecture
from .library import (
    add_document,
    add_to_reading_list,
    add_version,
    create_reading_list,
    update_document,
    withdraw_document,
)
from .plans import remind_behind, set_plan
from .quizzes import submit_quiz
from .study import Beat, beat, check_completion, lessons_passed, progress_for

__all__ = [
    "Beat",
    "add_document",
    "add_lesson",
    "add_question",
    "add_to_reading_list",
    "add_version",
    "beat",
    "check_completion",
    "create_course",
    "create_reading_list",
    "lessons_passed",
    "progress_for",
    "publish_recording",
    "record_lecture_attendance",
    "schedule_lecture",
    "publish_course",
    "remind_behind",
    "retire_course",
    "set_plan",
    "submit_quiz",
    "update_document",
    "withdraw_document",
]
