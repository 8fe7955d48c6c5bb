"""Every write of the duty module, one module per use case; the public names are re-exported here.

- records: `enter_record`, `review_record`, `review_records`, `reject_record`, `approve_late_entry`,
  `refuse_late_entry`, `withdraw_record`, `correct_record`
- checkin: `open_event`, `qr_token`, `token_valid`, `check_in`, `request_leave`, `request_late_check_in`,
  `decide_request`, `remind_invitees`, `close_event`, `enter_event_records`
- sources (automatic records): `source_changed(obj=…)` — called by the opinions and proposals services when a
  report or proposal changes —, `sync_source`, `sync_activity`, `sync_all`
- automatic: `record_from_source(kind=…, member=…, source=…, occurred_on=…)` — the entry point of other modules
  (批示 "instruction", deliberation "post", learning "study", "sign_in") —, `on_sign_in` (the accounts hook)
- scoring: `create_ruleset`, `set_rule`, `set_cap`, `activate_ruleset`, `recompute_year`, `refresh_member_year`
- objections: `raise_objection`, `answer_objection`
- samples: `draw_sample`, `check_item`
- results: `publish_results`
- admins: `assign_admin`, `current_admin`
- profiles: `enter_profile`, `update_profile`, `retire_profile`
"""

from .admins import assign_admin, current_admin
from .automatic import on_sign_in, record_from_source
from .checkin import (
    check_in,
    close_event,
    decide_request,
    enter_event_records,
    open_event,
    qr_token,
    remind_invitees,
    request_late_check_in,
    request_leave,
    token_valid,
)
from .objections import answer_objection, raise_objection
from .profiles import enter_profile, retire_profile, update_profile
from .records import (
    approve_late_entry,
    correct_record,
    enter_record,
    refuse_late_entry,
    reject_record,
    review_record,
    review_records,
    withdraw_record,
)
from .results import publish_results
from .samples import check_item, draw_sample
from .scoring import (
    activate_ruleset,
    create_ruleset,
    recompute_year,
    refresh_member_year,
    ruleset_for,
    set_cap,
    set_rule,
)
from .sources import source_changed, sync_activity, sync_all, sync_source

__all__ = [
    "activate_ruleset",
    "answer_objection",
    "approve_late_entry",
    "assign_admin",
    "check_in",
    "check_item",
    "close_event",
    "correct_record",
    "create_ruleset",
    "current_admin",
    "decide_request",
    "draw_sample",
    "enter_event_records",
    "enter_profile",
    "enter_record",
    "open_event",
    "publish_results",
    "qr_token",
    "raise_objection",
    "on_sign_in",
    "recompute_year",
    "record_from_source",
    "refresh_member_year",
    "refuse_late_entry",
    "reject_record",
    "remind_invitees",
    "request_late_check_in",
    "request_leave",
    "retire_profile",
    "review_record",
    "review_records",
    "ruleset_for",
    "set_cap",
    "set_rule",
    "source_changed",
    "sync_activity",
    "sync_all",
    "sync_source",
    "token_valid",
    "update_profile",
    "withdraw_record",
]
