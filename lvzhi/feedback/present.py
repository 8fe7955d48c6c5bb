"""What each side sees of a feedback, decided once for the web pages and the API: the author sees their text, the
status, the answer and what changed; the information office also sees who gave it, from which page, the visitor's
phone number masked, the time limit and whether it was met."""

from django.utils.translation import gettext as _

from lvzhi.core.masking import mask_phone

from . import permissions as perm
from .models import Feedback

CLOSE_REASON_LABELS = {
    "duplicate": lambda: _("Duplicate of earlier feedback"),
    "no_change": lambda: _("No change needed"),
    "not_actionable": lambda: _("Cannot be acted on"),
    "answered": lambda: _("Answered; nothing more to do"),
}


def close_reason_label(code: str) -> str:
    label = CLOSE_REASON_LABELS.get(code)
    return label() if label else ""


def present(user, feedback: Feedback) -> dict:
    view = {
        "id": feedback.pk,
        "kind": feedback.kind,
        "kind_label": feedback.get_kind_display(),
        "status": feedback.status,
        "status_label": feedback.get_status_display(),
        "text": feedback.text,
        "answer": feedback.answer,
        "change_note": feedback.change_note,
        "close_reason": close_reason_label(feedback.close_reason),
        "created_at": feedback.created_at,
        "answered_at": feedback.answered_at,
    }
    if perm.handles(user, feedback):
        view.update(
            {
                "office": True,
                "author": feedback.author.real_name if feedback.author_id else _("A visitor"),
                "phone": mask_phone(feedback.contact_phone) if feedback.contact_phone else "",
                "page": feedback.page,
                "due_at": feedback.next_due_at,
                "answered_in_time": feedback.answered_in_time,
                "handled_by": feedback.handled_by.real_name if feedback.handled_by_id else "",
            }
        )
    return view
