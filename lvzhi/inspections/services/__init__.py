"""The inspection services, one module per use case; every public name is re-exported here."""

from .accountability import REASONS, password_due, record_action, record_duty, remind_passwords
from .assessment import compute_year, evaluate, publish_year
from .common import applies_to, quarter_bounds, quarter_of
from .rounds import create_round, publish_round, score, score_outlet
from .scheme import indicators, load_scheme, scheme_for
from .selfinspect import (
    confirm_fix,
    draft_text,
    open_quarter,
    quarter_findings,
    regenerate,
    report_fixed,
    review_report,
    save_report,
    submit_report,
)

__all__ = [
    "REASONS",
    "applies_to",
    "compute_year",
    "confirm_fix",
    "create_round",
    "draft_text",
    "evaluate",
    "indicators",
    "load_scheme",
    "open_quarter",
    "password_due",
    "publish_round",
    "publish_year",
    "quarter_bounds",
    "quarter_findings",
    "quarter_of",
    "record_action",
    "record_duty",
    "regenerate",
    "remind_passwords",
    "report_fixed",
    "review_report",
    "save_report",
    "scheme_for",
    "score",
    "score_outlet",
    "submit_report",
]
