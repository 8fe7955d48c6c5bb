"""The monitoring module's limits and thresholds. Time limits are per-body settings whose bounds live in
`orgs/limits.py` (declared here with `register(..., minimum=, maximum=)`); a body may tighten, never relax them."""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.settings_registry import register

FIX_DAYS = "monitoring.fix_working_days"
VERIFY_DAYS = "monitoring.verify_working_days"
register(
    FIX_DAYS,
    5,
    _("Working days for a host unit to fix a monitoring finding (at most 10)"),
    minimum=1,
    maximum=10,
    meaning=_("A problem found on a website or account is fixed within 10 working days at most."),
)
register(
    VERIFY_DAYS,
    3,
    _("Working days for the competent office to verify a fixed finding (at most 5)"),
    minimum=1,
    maximum=5,
    meaning=_("The competent office checks a reported fix within 5 working days at most."),
)

STALE_DAYS = 14  # the national indicators: two weeks without an update is a veto item
SLOW_MS = 15_000  # the indicators count a visit failing after 15 s
DEAD_LINK_FINDING_RATIO = 0.0  # any dead link on a page is a finding; its ratio is in the evidence
SIMILARITY = 0.6  # counterfeit accounts: a name at least this similar to a registered one
TEXT_MAX = 2000
SUMMARY_MAX = 300
PAGE_SIZE = 30
IMPORT_MAX_ROWS = 2000
IMPORT_MAX_BYTES = 2 * 1024 * 1024
ERROR_ENTRY_WORDS = ("纠错", "我为政府网站找错", "找错")
MAP_WORDS = ("地图", "map")
MAP_NUMBER_WORD = "审图号"
