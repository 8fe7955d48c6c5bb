"""Every write on bills, suggestions and proposals. Each validates, saves, audits and notifies in one transaction.

State changes go through `lvzhi.workflow.services.transition` (which locks the row, checks the state and the
permission — of two clerks acting at once exactly one succeeds —, records the history, opens and closes the
deadlines and audits `<workflow>.<step>`); the other writes audit `proposals.<thing>.<verb>` themselves.
"""

from .assignment import assign, publish, set_key_supervision
from .common import (
    CO_UNITS_MAX,
    CONTENT_MAX,
    KEYWORD_MAX_LEN,
    NOTE_MAX,
    OPINION_MAX,
    REASON_MAX,
    SOURCE_MAX,
    TITLE_MAX,
    A,
    S,
    office_people,
    parse_keywords,
    unit_people,
)
from .cosigning import invite_cosigner, remove_cosigner, respond_cosign, signer_count
from .drafting import create_draft, draft_from_report, update_draft
from .evaluation import allow_rehandling, evaluate, record_missing_evaluation, rehandlings_left
from .handling import record_contact, send_opinion
from .replies import save_reply, send_reply, sign_off_reply
from .requests import decide_request, latest_extension_day, request_extension, request_transfer
from .review import MERGE_TARGET_STATES, accept, convert, merge, not_accept
from .submission import submit, withdraw

__all__ = [
    "A",
    "CONTENT_MAX",
    "CO_UNITS_MAX",
    "KEYWORD_MAX_LEN",
    "MERGE_TARGET_STATES",
    "NOTE_MAX",
    "OPINION_MAX",
    "REASON_MAX",
    "S",
    "SOURCE_MAX",
    "TITLE_MAX",
    "accept",
    "allow_rehandling",
    "assign",
    "convert",
    "create_draft",
    "decide_request",
    "draft_from_report",
    "evaluate",
    "invite_cosigner",
    "latest_extension_day",
    "merge",
    "not_accept",
    "office_people",
    "parse_keywords",
    "publish",
    "record_contact",
    "record_missing_evaluation",
    "rehandlings_left",
    "remove_cosigner",
    "request_extension",
    "request_transfer",
    "respond_cosign",
    "save_reply",
    "send_opinion",
    "send_reply",
    "set_key_supervision",
    "sign_off_reply",
    "signer_count",
    "submit",
    "unit_people",
    "update_draft",
    "withdraw",
]
