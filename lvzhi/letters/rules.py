"""Time limits and abuse limits of the public's messages.

Answer limits in working days per kind, as body settings a body may shorten, never lengthen. The ceilings: an
error report (纠错) is answered within 3 working days (the national practice for government websites); an enquiry
or comment within 5; a complaint or suggestion within 10; the inspection indicators' veto is a valid message left
unanswered for three months, so every ceiling stays far below it (S1-4.1, S2-30)."""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.settings_registry import register

from .models import Kind

CEILINGS = {
    Kind.ERROR_REPORT: (3, _("Working days to answer an error report (纠错) from the public (at most 3)")),
    Kind.ENQUIRY: (5, _("Working days to answer an enquiry from the public (at most 5)")),
    Kind.COMMENT: (5, _("Working days to answer a comment from the public (at most 5)")),
    Kind.COMPLAINT: (10, _("Working days to answer a complaint from the public (at most 10)")),
    Kind.SUGGESTION: (10, _("Working days to answer a suggestion from the public (at most 10)")),
}


def days_key(kind: str) -> str:
    return f"letters.answer_working_days.{kind}"


for _kind, (_ceiling, _label) in CEILINGS.items():
    register(
        days_key(_kind),
        _ceiling,
        _label,
        minimum=1,
        maximum=_ceiling,
        meaning=_("The platform's ceiling for answering a public message of this kind (S1-4.1, S2-30)."),
    )

TITLE_MAX = 100
TEXT_MAX = 3000
REPLY_MAX = 3000
NAME_MAX = 40
REASON_MAX = 200
PAGE_SIZE = 20

CODE_MINUTES = 10
CODE_TRIES = 5
FAILURES_BEFORE_CAPTCHA = 3  # wrong/expired codes or refused requests within the hour, per address or number
CODES_PER_NUMBER_PER_DAY = 5
CODES_PER_IP_PER_HOUR = 10
LOOKUPS_PER_IP_PER_HOUR = 30
# Limits a body may set on a feature (S2-31): never more generous than these.
MAX_PER_NUMBER_PER_DAY = 10
MAX_PER_IP_PER_HOUR = 30
