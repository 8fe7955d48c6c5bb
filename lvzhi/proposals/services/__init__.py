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
    parse_keywords,
)
from .cosigning import invite_cosigner, remove_cosigner, respond_cosign
from .drafting import create_draft, draft_from_report, update_draft
from .evaluation import allow_rehandling, evaluate, record_missing_evaluation
from .handling import record_contact, send_opinion
from .replies import save_reply, send_reply, sign_off_reply
from .requests import decide_request, request_extension, request_transfer
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
    "merge",
    "not_accept",
    "parse_keywords",
    "publish",
    "record_contact",
    "record_missing_evaluation",
    "remove_cosigner",
    "request_extension",
    "request_transfer",
    "respond_cosign",
    "save_reply",
    "send_opinion",
    "send_reply",
    "set_key_supervision",
    "sign_off_reply",
    "submit",
    "update_draft",
    "withdraw",
]
