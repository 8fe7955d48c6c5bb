"""The information office's steps: answer, record the change the feedback led to, close. The first of them ends
the answer time limit and records whether it was met; the author is told (a visitor by SMS when they left a
number). Audit rows carry the step and the codes, never the texts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.core.validation import clean_text
from lvzhi.notify.services import notify, send_sms
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import deadline_of

from .. import permissions as perm
from .. import rules
from ..models import Feedback
from ..workflows import ANSWER, FEEDBACK_FLOW

S = Feedback.Status
CLOSE_REASONS = ("duplicate", "no_change", "not_actionable", "answered")


def _first_answer(feedback: Feedback, now) -> dict:
    if feedback.answered_at is not None:
        return {}
    deadline = deadline_of(feedback, ANSWER)
    in_time = deadline is None or now <= deadline.due_at
    return {"answered_at": now, "answered_in_time": in_time}


def _tell_author(feedback: Feedback, title) -> None:
    link = f"/feedback/{feedback.pk}/"
    if feedback.author_id:
        notify([feedback.author], title=title, link=link, event="feedback.answer", obj=feedback)
    elif feedback.contact_phone:
        send_sms(phone=feedback.contact_phone, text=f"{title}（{_('lookup code')} {feedback.lookup_code}）")


def _visible(actor, feedback: Feedback) -> None:
    """Who may not even see the feedback is told it does not exist; who sees it but may not act is refused."""
    if not perm.may_see(actor, feedback):
        raise NotFound()


def _text(value, field, label, required=True) -> str:
    return clean_text(value, field=field, max_length=rules.ANSWER_MAX, label=label, multiline=True, required=required)


@transaction.atomic
def answer_feedback(*, actor, feedback: Feedback, answer: str) -> Feedback:
    _visible(actor, feedback)
    text = _text(answer, "answer", _("Answer"))
    now = timezone.now()
    feedback = wf.transition(
        feedback,
        "answer",
        actor=actor,
        workflow=FEEDBACK_FLOW,
        changes={"answer": text, "handled_by": actor, **_first_answer(feedback, now)},
    )
    _tell_author(feedback, _("Your feedback has been answered"))
    return feedback


@transaction.atomic
def record_change(*, actor, feedback: Feedback, note: str, answer: str = "") -> Feedback:
    """The feedback led to a change (a fix, a corrected page, a new feature): say what changed; answered at once if it
    was not yet."""
    _visible(actor, feedback)
    text = _text(note, "change_note", _("What changed"))
    changes = {"change_note": text, "handled_by": actor, **_first_answer(feedback, timezone.now())}
    if answer:
        changes["answer"] = _text(answer, "answer", _("Answer"))
    elif not feedback.answer:
        changes["answer"] = text
    feedback = wf.transition(feedback, "record_change", actor=actor, workflow=FEEDBACK_FLOW, changes=changes)
    _tell_author(feedback, _("Your feedback led to a change"))
    return feedback


@transaction.atomic
def close_feedback(*, actor, feedback: Feedback, reason: str, answer: str = "") -> Feedback:
    _visible(actor, feedback)
    if reason not in CLOSE_REASONS:
        raise ValidationFailed(_("Choose why the feedback is closed."), code="reason_invalid")
    changes = {"close_reason": reason, "ended_at": timezone.now(), "handled_by": actor}
    if answer:
        changes["answer"] = _text(answer, "answer", _("Answer"))
    if feedback.status == S.NEW:
        if not answer:
            raise ValidationFailed(_("Tell the author why before closing unanswered feedback."), code="answer_required")
        changes.update(_first_answer(feedback, timezone.now()))
    feedback = wf.transition(
        feedback, "close", actor=actor, workflow=FEEDBACK_FLOW, changes=changes, audit_after={"reason": reason}
    )
    if changes.get("answer"):
        _tell_author(feedback, _("Your feedback has been answered"))
    return feedback
