"""Every write on public-opinion reports. Each one is atomic, checks who may, audits, and tells those concerned.

State changes go through `lvzhi.workflow.services.transition` on `workflows.REPORT_FLOW` (history, deadlines and
the `opinions.report.<step>` audit row come from there); the other writes audit themselves. A report's text is
never written into the audit log: the three administrators read the log and must not read business content.
"""

from lvzhi.core.errors import Conflict, PermissionDenied

from .attachments import IMAGE_TYPES, add_attachment, remove_attachment
from .common import CLOSED_STATES, NOT_YET_ACCEPTED, S, logger
from .drafting import (
    create_report,
    create_report_with_photos,
    discard_draft,
    save_report,
    submit_report,
    withdraw_report,
)
from .export_log import log_export
from .handling import answer_member, post_update, report_hotline_result
from .instructions import correct_instruction, instruct_report, withdraw_instruction
from .intake import accept_report, forward_to_hotline, handle_in_committee, return_report
from .marks import decide_topic, mark_for_proposal, request_topic, set_notable, take_topic_request
from .rating import close_unrated, rate_report
from .transfers import (
    accept_transfer,
    keep_transfer,
    request_transfer_return,
    return_transfer,
    transfer_report,
)
from .verification import (
    QUESTION_STATES,
    answer_member_question,
    ask_member,
    ask_verification,
    confirm_verification,
)

__all__ = [
    "CLOSED_STATES",
    "Conflict",
    "IMAGE_TYPES",
    "NOT_YET_ACCEPTED",
    "PermissionDenied",
    "QUESTION_STATES",
    "S",
    "accept_report",
    "accept_transfer",
    "add_attachment",
    "answer_member",
    "answer_member_question",
    "ask_member",
    "ask_verification",
    "close_unrated",
    "confirm_verification",
    "correct_instruction",
    "create_report",
    "create_report_with_photos",
    "decide_topic",
    "discard_draft",
    "forward_to_hotline",
    "handle_in_committee",
    "instruct_report",
    "keep_transfer",
    "log_export",
    "logger",
    "mark_for_proposal",
    "post_update",
    "rate_report",
    "remove_attachment",
    "report_hotline_result",
    "request_topic",
    "request_transfer_return",
    "return_report",
    "return_transfer",
    "save_report",
    "set_notable",
    "submit_report",
    "take_topic_request",
    "withdraw_instruction",
    "transfer_report",
    "withdraw_report",
]
