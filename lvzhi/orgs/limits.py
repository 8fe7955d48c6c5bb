"""Bounds of the per-body settings: a body may tighten a limit, never relax it (the seeds' numbers are ceilings,
or floors where the seed says "at least").

`LIMITS[key] = Limit(minimum, maximum, meaning)`. A value outside the bounds is refused by
`orgs.services.set_body_setting` (codes `setting_below_minimum`, `setting_above_maximum`), a stored one makes
`lvzhi check` fail (`orgs.E001`) and is read as the platform default meanwhile (`selectors.body_setting`).
Modules declare bounds for their own keys with `register(key, default, label, minimum=, maximum=, meaning=)`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Limit:
    minimum: int | None
    maximum: int | None
    meaning: str  # lazy translation: why these bounds (the seed's rule)


LIMITS: dict[str, Limit] = {
    # Seed 000 art. 27 (S0-27): personal-data changes within 5 working days.
    "accounts.data_change_working_days": Limit(
        1, 5, _("Art. 27: the information office makes a personal-data change within 5 working days at most.")
    ),
    # 等保2.0 level 3 and seed 002 (S2-5): operators change their passwords periodically, at least every 180 days.
    "accounts.password_max_age_days": Limit(
        30, 180, _("S2-5: an operator's password is changed periodically: every 180 days at most, 30 at least.")
    ),
    "workflow.reminder_working_days": Limit(1, 10, _("A reminder is sent at least one working day before a deadline.")),
    # Seed 000 art. 16 (1) (S0-16.1): the committee office passes a report on within 2 working days.
    "opinions.route_working_days": Limit(
        1, 2, _("Art. 16 (1): the committee office passes a report on to the hotline within 2 working days at most.")
    ),
    "opinions.hotline_working_days": Limit(1, 15, _("The platform's limit for the hotline: 15 working days at most.")),
    "opinions.handle_working_days": Limit(1, 20, _("The platform's limit for a committee: 20 working days at most.")),
    "opinions.verify_working_days": Limit(1, 3, _("The platform's limit for a verification: 3 working days at most.")),
    "opinions.feedback_working_days": Limit(
        1, 2, _("Art. 16 (3): the result is passed on to the member at once: 2 working days at most.")
    ),
    "opinions.rating_working_days": Limit(1, 10, _("A member has between 1 and 10 working days to rate.")),
    "content.max_body_kb": Limit(1, 200, _("The platform's largest article: 200 KB at most.")),
    "content.max_attachment_mb": Limit(1, 20, _("The platform's largest attachment: 20 MB at most.")),
    "content.report_working_days": Limit(
        1, 2, _("Art. 29: reported content is dealt with at once: 2 working days at most.")
    ),
    # Deputies Law art. 49. (Bills: the law's ten deputies are the ceiling; the proposals tests use a lower floor.)
    "proposals.bill_min_signers": Limit(
        1, 10, _("The law: a bill needs ten deputies (five in a township); a body may not ask for more.")
    ),
    "proposals.keywords_max": Limit(1, 10, _("Between 1 and 10 keywords.")),
    "proposals.review_working_days": Limit(1, 10, _("The office reviews a submitted item within 10 working days.")),
    "proposals.reply_months": Limit(1, 3, _("Deputies Law art. 49: a reply within three months of assignment.")),
    "proposals.max_months": Limit(1, 6, _("Deputies Law art. 49: six months at most for difficult matters.")),
    "proposals.contact_working_days": Limit(1, 15, _("The proposer is contacted within 15 working days at most.")),
    "proposals.co_opinion_months": Limit(1, 1, _("Co-handling units send their opinions within one month.")),
    "proposals.evaluation_working_days": Limit(1, 20, _("A proposer has between 1 and 20 working days to evaluate.")),
    "proposals.rehandle_months": Limit(1, 1, _("A re-handling is finished within one month.")),
    "proposals.rehandle_max": Limit(0, 3, _("At most three re-handlings without a decision of the office.")),
    "proposals.due_soon_working_days": Limit(1, 30, _("Between 1 and 30 working days.")),
    # Floors: "at least 15" in the seeds.
    "deliberation.topic_notice_days": Limit(
        15, 90, _("Art. 12 (1): a topic is announced at least 15 days before the consultation meeting.")
    ),
    "newmedia.closure_notice_working_days": Limit(
        15, 90, _("Seed 002 art. 17: a closure is announced to the public for at least 15 working days.")
    ),
}


def limit_for(key: str) -> Limit | None:
    return LIMITS.get(key)


def within(key: str, value) -> bool:
    """True when `value` keeps the bounds of `key` (or `key` has none)."""
    limit = LIMITS.get(key)
    if limit is None or isinstance(value, bool) or not isinstance(value, int | float):
        return True
    if limit.minimum is not None and value < limit.minimum:
        return False
    return not (limit.maximum is not None and value > limit.maximum)


def set_limit(key: str, *, minimum=None, maximum=None, meaning="") -> None:
    LIMITS.setdefault(key, Limit(minimum, maximum, meaning))
