"""Every write of content: columns and their changes, articles through review and publication, reading,
favourites and monitoring reports. Each service is atomic and audited; state changes go through
`lvzhi.workflow.services.transition` (which locks the row, checks the state and the actor, and audits).

Reading records are the exception to auditing every write, like reading inbox messages: the *first* reading of
an article by a user is audited (`content.article.read`), the reading-time heartbeats that follow only add seconds
to that user's reading record (they happen every few seconds and change no state of record).
"""

from .. import permissions as perms
from .annual_report import generate_annual_report
from .archive import decide_destruction, keep_archive, lend_archive, request_destruction, return_archive
from .columns import (
    adopt_unit,
    decide_column_change,
    ensure_default_columns,
    ensure_public_columns,
    propose_column_change,
)
from .common import COMMENT_MAX, REASON_MAX, SOURCE_MAX, SUMMARY_MAX, TITLE_MAX, S
from .disclosure import (
    add_repost_source,
    assign_default_maintainers,
    check_repost,
    ensure_disclosure_categories,
    fill_missing_maintainers,
    retire_repost_source,
)
from .drafting import EDITABLE, add_attachment, create_draft, mask_personal_data, remove_attachment, update_draft
from .policy import set_policy_documents
from .publication import discard, expire_due, publish, publish_due, revise, unschedule, withdraw
from .reading import (
    MAX_PING_SECONDS,
    MAX_READING_SECONDS,
    add_favourite,
    record_activity,
    record_post,
    record_read,
    record_reading_time,
    record_sign_in,
    remove_favourite,
)
from .register import export_register
from .reports import handle_report, report_article
from .review import CHECKLIST, CHECKLIST_KEYS, NA_ALLOWED, checklist_questions, decide, submit
from .urgent import record_response_time

__all__ = [
    "set_policy_documents",
    "assign_default_maintainers",
    "fill_missing_maintainers",
    "return_archive",
    "retire_repost_source",
    "request_destruction",
    "record_response_time",
    "lend_archive",
    "keep_archive",
    "generate_annual_report",
    "ensure_disclosure_categories",
    "decide_destruction",
    "check_repost",
    "add_repost_source",
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
    "ensure_public_columns",
    "adopt_unit",
    "expire_due",
    "export_register",
    "handle_report",
    "mask_personal_data",
    "perms",
    "propose_column_change",
    "publish",
    "publish_due",
    "record_activity",
    "record_post",
    "record_sign_in",
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
