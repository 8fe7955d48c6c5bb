"""The portal's limits. Answering a topic the public proposed: 15 working days by default, a body may shorten it.
Comment periods: the Legislation Law asks for at least 30 days for a draft published for comment (art. 40); a body may
set a longer default, never a shorter one."""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.settings_registry import register

TOPIC_ANSWER_DAYS = "portal.topic_answer_working_days"
register(
    TOPIC_ANSWER_DAYS,
    15,
    _("Working days for the office to answer a legislation or supervision topic from the public (at most 15)"),
    minimum=1,
    maximum=15,
    meaning=_("The office answers every topic the public proposes within 15 working days at most."),
)
COMMENT_DAYS = "portal.comment_period_days"
register(
    COMMENT_DAYS,
    30,
    _("Default comment period of a draft regulation, in days (at least 30)"),
    minimum=30,
    maximum=365,
    meaning=_("A draft regulation is open for comment for at least 30 days."),
)

TITLE_MAX = 100
TEXT_MAX = 2000
DRAFT_MAX = 100_000
ANSWER_MAX = 2000
REASON_MAX = 500
NAME_MAX = 20
PAGE_SIZE = 20

# Abuse controls (shared cache, every app server counts the same hits)
CODES_PER_NUMBER_PER_HOUR = 3
CODES_PER_IP_PER_HOUR = 10
POSTS_PER_NUMBER_PER_DAY = 10
POSTS_PER_IP_PER_HOUR = 20
FAILURES_BEFORE_CAPTCHA = 3
CODE_MINUTES = 10
CODE_TRIES = 5
VERIFIED_MINUTES = 60

PAGE_CACHE_SECONDS = 300
BROWSER_MAX_AGE = 60
