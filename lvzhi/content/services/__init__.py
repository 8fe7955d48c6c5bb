"""Every write of content: columns and their changes, articles through review and publication, reading,
favourites and monitoring reports. Each service is atomic and audited; state changes go through
`lvzhi.workflow.services.transition` (which locks the row, checks the state and the actor, and audits).

Reading records are the exception to auditing every write, like reading inbox messages: the *first* reading of
an article by a user is audited (`content.article.read`), the reading-time heartbeats that follow only add seconds
to that user's reading record (they happen every few seconds and change no state of record).
"""

from .. import permissions as perms
from .columns import decide_column_change, ensure_default_columns, propose_column_change
from .common import COMMENT_MAX, REASON_MAX, SOURCE_MAX, SUMMARY_MAX, TITLE_MAX, S
from .drafting import EDITABLE, add_attachment, create_draft, mask_personal_data, remove_attachment, update_draft
from .publication import discard, expire_due, publish, publish_due, revise, unschedule, withdraw
from .reading import (
    MAX_PING_SECONDS,
    MAX_READING_SECONDS,
    add_favourite,
    record_activity,
    record_read,
    record_reading_time,
    remove_favourite,
)
from .register import export_register
from .reports import handle_report, report_article
from .review import CHECKLIST, CHECKLIST_KEYS, NA_ALLOWED, checklist_questions, decide, submit

__all__ = [
    "CHECKLIST",
    "CHECKLIST_KEYS",
    "COMMENT_MAX",
    "EDITABLE",
    "MAX_PING_SECONDS",
    "MAX_READING_SECONDS",
    "NA_ALLOWED",
    "REASON_MAX",
    "S",
    "SOURCE_MAX",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "add_attachment",
    "add_favourite",
    "checklist_questions",
    "create_draft",
    "decide",
    "decide_column_change",
    "discard",
    "ensure_default_columns",
    "expire_due",
    "export_register",
    "handle_report",
    "mask_personal_data",
    "perms",
    "propose_column_change",
    "publish",
    "publish_due",
    "record_activity",
    "record_read",
    "record_reading_time",
    "remove_attachment",
    "remove_favourite",
    "report_article",
    "revise",
    "submit",
    "unschedule",
    "update_draft",
    "withdraw",
]
