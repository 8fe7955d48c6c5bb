"""The duty module's rules a body may tighten (S3-18), and fixed limits.

Seed 003 art. 6 (entries within 5 working days of the activity) and art. 11 (objections answered within 5 working
days) are ceilings: a body may set fewer days, never more (`days()` clamps to the ceiling).
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.selectors import capped_setting
from lvzhi.orgs.settings_registry import register

ENTRY_DAYS = "duty.entry_working_days"
OBJECTION_DAYS = "duty.objection_working_days"
REVIEW_DAYS = "duty.review_working_days"

register(
    ENTRY_DAYS,
    5,
    _("Working days after an activity to enter its duty records (at most 5)"),
    minimum=1,
    maximum=5,
    meaning=_("Seed 003 art. 6: duty records are entered within 5 working days of the activity at most."),
)
register(
    OBJECTION_DAYS,
    5,
    _("Working days to answer a member's objection to their duty points (at most 5)"),
    minimum=1,
    maximum=5,
    meaning=_("Seed 003 art. 11: an objection is answered within 5 working days at most."),
)

register(
    REVIEW_DAYS,
    5,
    _("Working days for the entering unit to review a submitted duty record (at most 10)"),
    minimum=1,
    maximum=10,
    meaning=_(
        "Seed 003 art. 7: the entering unit reviews and archives its records promptly; the platform allows "
        "10 working days at most."
    ),
)

QR_WINDOW_SECONDS = 30
TITLE_MAX = 100
TEXT_MAX = 1000
PAGE_SIZE = 50
MY_RECORDS_PAGE = 20  # 我的履职 on a phone: a page of records at a time, the total and ranks above them
SAMPLE_SIZE_MAX = 200
EXPORT_ROWS_MAX = 200_000


def days(unit, key: str) -> int:
    """The body's number of working days for `key`, kept within its bounds in the limits registry."""
    return capped_setting(unit, key)
