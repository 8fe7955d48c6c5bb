"""The inspection module's per-body rules and fixed limits.

- S1-5.3: the quarterly self-inspection report is due within 5 working days after the quarter ends
  (`inspections.self_report_working_days`, 1–5: a body may ask for it sooner, never later).
- A report returned by the office is submitted again within `inspections.revise_working_days` (default 5, 1–10)
  working days counted from the return.
- A finding of a check is fixed within `inspections.fix_working_days` (default 10, 1–20) working days.
- S1-3.4: an outlet's password is changed at least every `inspections.password_interval_days` days (default 90,
  30–180, the 等保 ceiling of S2-5).
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.selectors import body_setting
from lvzhi.orgs.settings_registry import register

SELF_REPORT_DAYS = "inspections.self_report_working_days"
FIX_DAYS = "inspections.fix_working_days"
REVISE_DAYS = "inspections.revise_working_days"
PASSWORD_DAYS = "inspections.password_interval_days"
REVIEW_WORKING_DAYS = 5

register(
    SELF_REPORT_DAYS,
    5,
    _("Working days after a quarter ends to submit the self-inspection report"),
    minimum=1,
    maximum=5,
    meaning=_("S1-5.3: the report is due within 5 working days after the quarter ends; a body may only set fewer."),
)
register(
    REVISE_DAYS,
    5,
    _("Working days to submit a returned self-inspection report again"),
    minimum=1,
    maximum=10,
    meaning=_("A returned report is revised and submitted again within 10 working days at most."),
)
register(
    FIX_DAYS,
    10,
    _("Working days to fix a finding of an inspection"),
    minimum=1,
    maximum=20,
    meaning=_("A finding is fixed within 20 working days at most."),
)
register(
    PASSWORD_DAYS,
    90,
    _("Days between password changes of a website or account"),
    minimum=30,
    maximum=180,
    meaning=_("S1-3.4, S2-5: passwords are changed periodically, every 180 days at most."),
)

PAGE_SIZE = 30
NOTE_MAX = 500
REPORT_MAX = 20000
TITLE_MAX = 100
MAX_OUTLETS_PER_ROUND = 500


def _int(unit, key, default, low, high) -> int:
    try:
        value = int(body_setting(unit, key)) if unit is not None else default
    except (TypeError, ValueError):
        value = default
    return max(low, min(value, high))


def password_interval(unit) -> int:
    return _int(unit, PASSWORD_DAYS, 90, 30, 180)
