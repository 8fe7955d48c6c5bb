"""The learning module's limits and the body settings it reads (S4-2.2.6, S0-20)."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.selectors import body_setting
from lvzhi.orgs.settings_registry import register

PAGE_SIZE = 20
TITLE_MAX = 200
SUMMARY_MAX = 2000
TOPIC_MAX = 40
SESSION_MAX = 60
LESSON_TEXT_MAX = 20_000
QUESTION_MAX = 300
CHOICE_MAX = 120
CHOICES_MAX = 6
QUESTIONS_MAX = 20

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
IMAGE_MAX_BYTES = 5 * 1024 * 1024
VIDEO_MAX_BYTES = 200 * 1024 * 1024
TEXT_INDEX_MAX = 200_000  # characters of a document's text that are indexed
PDF_PAGES_MAX = 500
RANGE_CHUNK_MAX = 2 * 1024 * 1024  # at most this much of a video in one answer to a range request

# Heartbeats: the page sends one every beat_seconds() while visible and recently used. The server credits the time
# since the last accepted beat, at most beat_seconds(); beats closer than min_gap_seconds() are refused;
# after window_seconds() of silence a beat starts a new stretch and earns nothing (a hidden tab sends no beats).
# `LVZHI_STUDY_BEAT_SECONDS` (setting) changes the interval (browser tests use a short one); the others follow it.
IDLE_SECONDS = 120  # the page stops beating after this long without a key, touch, scroll or pointer movement


def beat_seconds() -> int:
    return max(2, int(getattr(settings, "LVZHI_STUDY_BEAT_SECONDS", 30)))


def min_gap_seconds() -> float:
    return beat_seconds() * 2 / 3


def window_seconds() -> int:
    return 2 * beat_seconds()


REQUIRED_HOURS = "learning.required_hours_per_year"
MAX_ATTEMPTS = 10

register(
    REQUIRED_HOURS,
    12,
    _("Hours of study each member or deputy completes in a year (learning plan default)"),
    minimum=1,
    maximum=200,
    meaning=_("S4-2.2.6: a body sets the yearly study hours of its members; a plan may ask for more."),
)


def required_hours(body) -> int:
    return int(body_setting(body, REQUIRED_HOURS))
