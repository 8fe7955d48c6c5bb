"""Every write of online deliberation (one module per use case); callers import `lvzhi.deliberation.services`."""

from .followthrough import add_followup, add_link, choose_speaker, complete_followup
from .handoff import draft_from_request, take_request
from .participation import remind_absent
from .posts import create_post, hide_post, mark_viewpoint, support_post
from .reports import (
    approve_report,
    discussion_figures,
    draft_report,
    edit_report,
    return_report,
    send_report,
    submit_report,
)
from .topics import (
    approve_topic,
    close_topic,
    create_topic,
    meeting_held,
    publish_topic,
    record_topic_read,
    required_publication_day,
    return_topic,
    submit_topic,
    update_topic,
)

__all__ = [
    "add_followup",
    "add_link",
    "approve_report",
    "approve_topic",
    "choose_speaker",
    "close_topic",
    "complete_followup",
    "create_post",
    "create_topic",
    "discussion_figures",
    "draft_from_request",
    "draft_report",
    "edit_report",
    "hide_post",
    "mark_viewpoint",
    "meeting_held",
    "publish_topic",
    "record_topic_read",
    "remind_absent",
    "required_publication_day",
    "return_report",
    "return_topic",
    "send_report",
    "submit_report",
    "submit_topic",
    "support_post",
    "take_request",
    "update_topic",
]
