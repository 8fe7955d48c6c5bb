"""The finding kinds: stable codes (the assessment reads them; DEVELOPING.md lists them), each with its source,
severity, whether it is a single-veto item of the national indicators, and its label."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import Severity, Source


@dataclass(frozen=True)
class Kind:
    code: str
    source: str
    severity: str
    veto: bool
    label: object


KINDS = {
    k.code: k
    for k in (
        Kind("site_unreachable", Source.CRAWLER, Severity.HIGH, True, _("Website unreachable")),
        Kind("slow_response", Source.CRAWLER, Severity.LOW, False, _("Home page slow to answer")),
        Kind("home_not_updated", Source.CRAWLER, Severity.HIGH, True, _("Home page not updated for two weeks")),
        Kind("stale_column", Source.CRAWLER, Severity.MEDIUM, False, _("Column not updated for two weeks")),
        Kind("dead_links", Source.CRAWLER, Severity.MEDIUM, False, _("Dead links")),
        Kind("no_error_entry", Source.CRAWLER, Severity.MEDIUM, False, _("No error-correction (纠错) entry")),
        Kind("mixed_content", Source.CRAWLER, Severity.LOW, False, _("Insecure (http) resources on an https page")),
        Kind("hidden_links", Source.CRAWLER, Severity.HIGH, False, _("Hidden links")),
        Kind("injected_spam", Source.CRAWLER, Severity.HIGH, True, _("Injected gambling or advert spam")),
        Kind("unregistered_link", Source.CRAWLER, Severity.LOW, False, _("Links to unregistered domains")),
        Kind("no_daily_update", Source.UPDATE, Severity.LOW, False, _("Working days without an item")),
        Kind("no_weekly_original", Source.UPDATE, Severity.MEDIUM, False, _("A week without an original item")),
        Kind("no_weekly_update", Source.UPDATE, Severity.MEDIUM, False, _("A week without an update")),
        Kind("not_updated_14_days", Source.UPDATE, Severity.HIGH, True, _("Not updated for two weeks")),
        Kind("inconsistent_item", Source.CONSISTENCY, Severity.MEDIUM, False, _("Item reads differently elsewhere")),
        Kind(
            "interpretation_unlinked",
            Source.CONSISTENCY,
            Severity.MEDIUM,
            False,
            _("Policy interpretation without its policy document"),
        ),
        Kind("map_without_review_number", Source.CONSISTENCY, Severity.MEDIUM, False, _("Map without 审图号")),
        Kind("harmful_content", Source.DUTY, Severity.HIGH, True, _("Harmful content")),
        Kind("counterfeit_account", Source.COUNTERFEIT, Severity.HIGH, False, _("Suspected counterfeit account")),
    )
}
MANUAL_KINDS = ("harmful_content", "counterfeit_account", "inconsistent_item", "map_without_review_number")


def label(code: str) -> str:
    kind = KINDS.get(code)
    return str(kind.label) if kind else code
