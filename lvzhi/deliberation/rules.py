"""The deliberation module's limits and the body settings it reads.

Seed 000 art. 12 (1): a topic is published at least 15 days before its consultation meeting — the body setting
`deliberation.topic_notice_days` (declared in `orgs.settings_registry`, bounded in `orgs.limits`: 15 is the floor,
a body may ask for more, never fewer). Follow-ups of the meeting (art. 12 (4)) get a deadline in working days.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.settings_registry import register

NOTICE_DAYS = "deliberation.topic_notice_days"
NOTICE_DAYS_FLOOR = 15
FOLLOWUP_DAYS = "deliberation.followup_working_days"

register(
    FOLLOWUP_DAYS,
    20,
    _("Working days to record the outcome of a deliberation follow-up (instruction or handling)"),
    minimum=1,
    maximum=60,
    meaning=_("Seed 000 art. 12 (4): the committee tracks instructions and handling and tells the members."),
)

TITLE_MAX = 100
BACKGROUND_MAX = 20_000
QUESTIONS_MAX = 4_000
POST_MAX = 3_000
REASON_MAX = 200
REPORT_MAX = 30_000
NOTE_MAX = 2_000
LINK_TITLE_MAX = 100
URL_MAX = 300
ATTACHMENTS_MAX = 3
ATTACHMENT_BYTES_MAX = 5 * 1024 * 1024
PAGE_SIZE = 20
DISCUSSION_DAYS_MAX = 120
