"""Every write of the remote-consultation module, one module per use case; the public names are re-exported here.

- meetings: `start_member_meeting`, `apply_for_meeting`, `decide_application`, `cancel_meeting`, `end_meeting`
- invitations: `invite`, `invitee_ids`, `notify_invitees`
- attendance: `join` (a room token), `record_attendance`, `attendance_to_duty`
- common: `check_notice`, `latest_application_day`, `notice_days`
"""

from .attendance import attendance_to_duty, join, record_attendance, room_open
from .common import check_notice, latest_application_day, notice_days
from .invitations import invite, invitee_ids, notify_invitees
from .meetings import apply_for_meeting, cancel_meeting, decide_application, end_meeting, start_member_meeting

__all__ = [
    "apply_for_meeting",
    "attendance_to_duty",
    "cancel_meeting",
    "check_notice",
    "decide_application",
    "end_meeting",
    "invite",
    "invitee_ids",
    "join",
    "latest_application_day",
    "notice_days",
    "notify_invitees",
    "record_attendance",
    "room_open",
    "start_member_meeting",
]
