"""The demo's rule sets (S3-8): a city CPPCC's statistics and notification method, and a county's own (S3-18).
Points per unit; deductions negative; caps per kind and year."""

from . import services
from .models import Kind as K
from .models import Outcome as O  # noqa: E741
from .models import RuleSet

CITY_RULES = {
    (K.MEETING, O.ATTENDED): 2,
    (K.MEETING, O.LATE): 1,
    (K.MEETING, O.ABSENT): -2,
    (K.ACTIVITY, O.ATTENDED): 2,
    (K.ACTIVITY, O.ABSENT): -1,
    (K.TRAINING, O.ATTENDED): 2,
    (K.TRAINING, O.ABSENT): -1,
    (K.PROPOSAL, O.SUBMITTED): 10,
    (K.PROPOSAL, O.FILED): 15,
    (K.PROPOSAL, O.MERGED): 5,
    (K.PROPOSAL, O.EXCELLENT): 10,
    (K.OPINION, O.SUBMITTED): 10,
    (K.OPINION, O.ACCEPTED): 0,
    (K.OPINION, O.ADOPTED): 5,
    (K.OPINION, O.INSTRUCTED): 10,
    (K.PLENARY_SPEECH, O.DELIVERED): 10,
    (K.SPEECH, O.DELIVERED): 4,
    (K.RESEARCH, O.SUBMITTED): 5,
    (K.ARTICLE, O.PUBLISHED): 3,
    (K.HISTORY, O.SUBMITTED): 3,
    (K.SECTOR, O.ATTENDED): 2,
    (K.STUDIO, O.ATTENDED): 2,
    (K.PLATFORM, O.READING): 1,
    (K.PLATFORM, O.FAVOURITE): 1,
    (K.PLATFORM, O.SIGN_IN): 1,
    (K.PLATFORM, O.STUDY): 1,
    (K.PLATFORM, O.POST): 2,
}
CITY_CAPS = {K.PROPOSAL: 25, K.OPINION: 60, K.PLATFORM: 20, K.ARTICLE: 15}
CITY_YEAR_CAP = 200
CITY_THRESHOLD = 10

COUNTY_RULES = {
    **CITY_RULES,
    (K.MEETING, O.ATTENDED): 3,
    (K.MEETING, O.ABSENT): -3,
    (K.PROPOSAL, O.SUBMITTED): 8,
    (K.PROPOSAL, O.FILED): 12,
    (K.OPINION, O.SUBMITTED): 8,
}
COUNTY_CAPS = {K.PROPOSAL: 20, K.OPINION: 40, K.PLATFORM: 10}
COUNTY_YEAR_CAP = 150
COUNTY_THRESHOLD = 8


def install(*, actor, body, year: int, rules: dict, caps: dict, year_cap=None, threshold=0):
    """A rule set for the body and year from the tables above, put in force (idempotent: an active or frozen set
    of the year is left alone)."""

    existing = RuleSet.objects.filter(body=body, year=year, status__in=["active", "frozen"]).first()
    if existing is not None:
        return existing, False
    rs = services.create_ruleset(actor=actor, body=body, year=year, year_cap=year_cap, threshold=threshold)
    for (kind, outcome), points in rules.items():
        services.set_rule(actor=actor, ruleset=rs, kind=kind, outcome=outcome, points=points)
    for kind, cap in caps.items():
        services.set_cap(actor=actor, ruleset=rs, kind=kind, cap=cap)
    return services.activate_ruleset(actor=actor, ruleset=rs), True
