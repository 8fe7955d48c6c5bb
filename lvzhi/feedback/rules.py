"""The feedback module's limits. The seeds name no time limit for answering feedback (S0-30 says only that it is
collected and acted on); the platform answers within 5 working days, which a body may shorten, never lengthen."""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.settings_registry import register

ANSWER_DAYS = "feedback.answer_working_days"
register(
    ANSWER_DAYS,
    5,
    _("Working days for the information office to answer a user's feedback (at most 5)"),
    minimum=1,
    maximum=5,
    meaning=_("The platform answers every user's feedback within 5 working days at most (S0-30)."),
)

TEXT_MAX = 2000
ANSWER_MAX = 2000
PAGE_MAX = 300
PAGE_SIZE = 30
EXPORT_ROWS_MAX = 50_000
# Feedback without signing in: at most this many per IP address and per hour (shared across app servers).
PUBLIC_PER_IP_PER_HOUR = 5
