"""The per-body rules of bills, suggestions and proposals (S3-18, S4-2.2): defaults from the law, overridable.

Defaults follow the Deputies Law (代表法) art. 49 and the Local Organic Law (地方组织法) art. 22 for congresses
(reply within three months of assignment, at most six for difficult matters; a bill needs ten deputies at county
level and above, five in a township) and the usual CPPCC proposal rules (提案工作条例) for committees. A body
changes any of them in the back office (body settings); a county body may set its own, a township inherits.
"""

from django.utils.translation import gettext_lazy as _

from lvzhi.orgs.selectors import body_setting
from lvzhi.orgs.settings_registry import default_for, register

DEFAULT_CATEGORIES = ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设", "党的建设", "其他"]

RULES = {
    "proposals.bill_min_signers": (10, _("Deputies needed for a bill (the proposer included)")),
    "proposals.bill_by_delegation": (True, _("A deputy delegation may submit a bill in its own name")),
    "proposals.bill_needs_session": (True, _("Bills are submitted only while the session is in progress")),
    "proposals.in_session": (False, _("The plenary session is in progress")),
    "proposals.session_name": ("", _("Name of the current or coming session")),
    "proposals.categories": (DEFAULT_CATEGORIES, _("Categories of bills, suggestions and proposals")),
    "proposals.keywords_max": (5, _("Keywords an item may have")),
    "proposals.review_working_days": (10, _("Working days for the office to review a submitted item")),
    "proposals.reply_months": (3, _("Months from assignment for the reply")),
    "proposals.max_months": (6, _("Months from assignment that an extension may reach at most")),
    "proposals.contact_working_days": (15, _("Working days from assignment to contact the proposer")),
    "proposals.contact_before_reply": (True, _("The contact with the proposer must be recorded before the reply")),
    "proposals.co_opinion_months": (1, _("Months from assignment for co-handling units to send their opinions")),
    "proposals.evaluation_working_days": (20, _("Working days for the proposer to evaluate a reply")),
    "proposals.rehandle_months": (1, _("Months for re-handling after an unsatisfied evaluation")),
    "proposals.rehandle_max": (1, _("Re-handlings an item gets without a decision of the office")),
    "proposals.disclosure_needs_consent": (True, _("Public disclosure needs the proposer's consent")),
    "proposals.due_soon_working_days": (10, _("Working days before a time limit that a queue shows it as due soon")),
}

for _key, (_default, _label) in RULES.items():
    register(_key, _default, _label)


def rule(unit, key: str):
    """The body's value of a proposals rule, coerced to the default's type (a broken override falls back)."""
    default = default_for(key)
    value = body_setting(unit, key)
    if isinstance(default, bool):
        return value if isinstance(value, bool) else default
    if isinstance(default, int):
        try:
            return max(int(value), 0)
        except (TypeError, ValueError):
            return default
    if isinstance(default, list):
        return [str(v) for v in value] if isinstance(value, list) else default
    return str(value) if value is not None else default
