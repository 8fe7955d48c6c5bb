"""A deputy's duty performance as the public page shows it (S4-2.2.1): read from the duty records (only records
reviewed and counted), the proposals' public feed (only items the office disclosed) and the public's messages the
deputy handled. A fixed number of queries, whatever the number of records."""

from collections import Counter

from lvzhi.accounts.models import MemberProfile
from lvzhi.duty import selectors as duty
from lvzhi.proposals.disclosure import public_feed, public_item

from . import rules

ATTENDANCE_KINDS = ("meeting",)
PROPOSAL_KINDS = ("proposal",)
CONTACT_KINDS = ("studio",)
NOT_ACTIVITIES = {"meeting", "proposal", "platform", "studio"}


def shown(page) -> set[str]:
    """The fields the office lets the public see on this page."""
    return {f for f in rules.SHOWABLE if page.show.get(f, f in rules.DEFAULT_SHOWN)}


def profile_of(page):
    return (
        MemberProfile.objects.filter(user=page.deputy, body=page.body).select_related("delegation", "committee").first()
    )


def performance(page, year: int, *, contact_counts: dict | None = None) -> dict:
    fields = shown(page)
    records = duty.counted_records(page.deputy, page.body, year)
    result: dict = {"year": year, "fields": fields}
    if "attendance" in fields:
        outcomes = Counter()
        for r in records:
            if r.kind in ATTENDANCE_KINDS:
                outcomes[r.outcome] += r.quantity
        result["attendance"] = {
            "attended": outcomes["attended"] + outcomes["late"],
            "excused": outcomes["excused"],
            "absent": outcomes["absent"],
            "total": sum(outcomes.values()),
        }
    if "proposals" in fields:
        items = public_feed(body_id=page.body_id, year=year).filter(proposer=page.deputy)[:50]
        result["proposals"] = [public_item(p) for p in items]
        result["proposal_records"] = sum(r.quantity for r in records if r.kind in PROPOSAL_KINDS)
    if "activities" in fields:
        result["activities"] = [
            {"day": r.day, "title": r.title, "kind": r.get_kind_display(), "outcome": r.get_outcome_display()}
            for r in records
            if r.kind not in NOT_ACTIVITIES
        ][:50]
    if "contact" in fields:
        result["contact"] = {
            "studio": sum(r.quantity for r in records if r.kind in CONTACT_KINDS),
            **(contact_counts or {}),
        }
    return result
