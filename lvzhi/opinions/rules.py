"""The rules of public-opinion reports a body may change (S3-18), with the platform's defaults, and fixed limits.

S0-16.1 fixes 2 working days from submission for the committee office to pass a report on; the other periods are
the platform's defaults for the steps the regulation leaves open. A body overrides any of them in its settings.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.settings_registry import register

ROUTE_DAYS = "opinions.route_working_days"
HOTLINE_DAYS = "opinions.hotline_working_days"
HANDLE_DAYS = "opinions.handle_working_days"
VERIFY_DAYS = "opinions.verify_working_days"
FEEDBACK_DAYS = "opinions.feedback_working_days"
RATING_DAYS = "opinions.rating_working_days"

register(ROUTE_DAYS, 2, _("Working days from submission for the committee office to pass a public-opinion report on"))
register(HOTLINE_DAYS, 15, _("Working days for the members' hotline to handle a forwarded public-opinion report"))
register(HANDLE_DAYS, 20, _("Working days for a committee to handle a public-opinion report itself"))
register(VERIFY_DAYS, 3, _("Working days for the committee office to answer a verification question of the hotline"))
register(FEEDBACK_DAYS, 2, _("Working days for the committee office to pass the handling result on to the member"))
register(RATING_DAYS, 10, _("Working days a member has to rate the handling before the office may close the case"))

TITLE_MAX = 100
CONTENT_MIN = 10
CONTENT_MAX = 5000
LOCATION_MAX = 200
REASON_MAX = 500
TEXT_MAX = 2000
CO_REPORTERS_MAX = 10
ATTACHMENTS_MAX = 9
ATTACHMENT_BYTES_MAX = 5 * 1024 * 1024
IMAGE_PIXELS_MAX = 40_000_000
TOPIC_TITLE_MAX = 100
TOPIC_SUMMARY_MAX = 2000
PAGE_SIZE = 20
EXPORT_ROWS_MAX = 50_000

# S0-13 and S0-14, shown beside the form (the Chinese is the regulation's own wording).
GUIDANCE_SCOPE = _(
    "What to report: important questions of the major national policies and of the city's economic, political, "
    "cultural, social and ecological development and Party building, and the practical problems people care about, "
    "with your opinions and suggestions."
)
GUIDANCE_PRINCIPLES = _(
    "How to report: keep to the centre and serve the overall situation; free your thinking and seek truth from "
    "facts; show the character of the united front; stay close to the people; start from the problem."
)
