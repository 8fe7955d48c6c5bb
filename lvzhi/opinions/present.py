"""What a user is shown of a report, decided once for the web page and the API.

The member's side (the author and the co-reporters) sees the comments of the steps meant for them, the answer
but not the hotline's internal result, and no time limits or topic requests; the staff see everything.
"""

from django.utils.translation import gettext as _

from . import actions, selectors
from .models import Report
from .permissions import is_author, is_co_reporter
from .workflows import DEADLINE_LABELS, REPORT_FLOW

# Comments of these steps are meant for the member; the others (notes between offices) stay with the staff.
MEMBER_COMMENTS = {"return", "transfer", "return_transfer", "answer", "rate", "reopen", "close", "withdraw"}

DETAIL_FIELDS = (
    "id",
    "reference",
    "title",
    "category",
    "status",
    "submitted_at",
    "last_submitted_at",
    "answered_at",
    "satisfaction",
    "round",
    "content",
    "location",
    "answer",
    "proposal_id",
)


def is_member_side(user, report: Report) -> bool:
    return is_author(user, report) or is_co_reporter(user, report)


def _history(report: Report, member_side: bool) -> list:
    # the entry event "submit" is not a transition
    history = REPORT_FLOW.labelled_history(selectors.report_history(report), entry_label=_("Submitted"))
    for event in history:
        event.shown_comment = event.comment if not member_side or event.transition in MEMBER_COMMENTS else ""
    return history


def report_view(user, report: Report) -> dict:
    """Everything of one report that `user` is shown, with the steps they may take."""
    extras = selectors.report_extras(report)
    member_side = is_member_side(user, report)
    deadlines = [] if member_side else selectors.report_deadlines(report)
    for d in deadlines:
        d.label = DEADLINE_LABELS.get(d.kind, d.kind)
    return {
        **extras,
        "staff_view": not member_side,
        "history": _history(report, member_side),
        "deadlines": deadlines,
        "result": "" if member_side else report.result,
        "topics": [] if member_side else extras["topics"],
        "steps": actions.available_actions(user, report),
    }


def report_json(user, report: Report) -> dict:
    """The API's answer for one report: the same view as the web page's."""
    view = report_view(user, report)
    data = {field: getattr(report, field) for field in DETAIL_FIELDS}
    data.update(
        category_label=str(report.get_category_display()) if report.category else "",
        status_label=str(report.get_status_display()),
        author=report.author.real_name,
        committee={"id": report.committee.pk, "name": report.committee.name} if report.committee_id else None,
        hotline={"id": report.hotline.pk, "name": report.hotline.name} if report.hotline_id else None,
        co_reporters=[{"id": u.pk, "name": u.real_name} for u in view["co_reporters"]],
        result=view["result"],
        history=[
            {
                "step": e.transition,
                "label": str(e.label),
                "to_state": e.to_state,
                "actor": e.actor.real_name if e.actor else "",
                "at": e.at,
                "comment": e.shown_comment,
            }
            for e in view["history"]
        ],
        updates=[{"text": u.text, "unit": u.unit.name, "at": u.created_at} for u in view["updates"]],
        thread=[
            {"kind": m.kind, "author": m.author.real_name, "text": m.text, "at": m.created_at} for m in view["thread"]
        ],
        deadlines=[
            {
                "kind": d.kind,
                "responsible": d.responsible_unit.name if d.responsible_unit else "",
                "last_day": d.last_day,
                "due_at": d.due_at,
                "met_at": d.met_at,
                "paused": d.paused_at is not None and d.met_at is None,
            }
            for d in view["deadlines"]
        ],
        attachments=[
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "width": a.width,
                "height": a.height,
                "url": f"/api/v1/opinions/{report.pk}/attachments/{a.pk}",
            }
            for a in view["attachments"]
        ],
        steps=[a.name for a in view["steps"]],
    )
    return data
