"""Handling a message: forward it to the competent department, answer the writer, pass it on (a deputy: as a
suggestion through `proposals.services.draft_from_report`, or as a public-opinion report through
`opinions.services.create_report`), conclude with a result, decline. The writer is told by SMS (with the lookup
code) at each answer, pass-on, conclusion or refusal. Audit rows carry steps and codes, never the texts."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.validation import clean_text, safe_text
from lvzhi.notify.services import notify, send_sms
from lvzhi.opinions import services as opinions
from lvzhi.orgs.models import OrgUnit
from lvzhi.proposals import services as proposals
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import deadline_of, users_with_roles

from .. import permissions as perm
from .. import rules
from ..models import Letter
from ..workflows import ANSWER, LETTER_FLOW

S = Letter.Status
FORWARD_KINDS = ("office", "department", "handling_unit", "body", "committee")


def _visible(actor, letter: Letter) -> None:
    if not perm.may_see(actor, letter):
        raise NotFound()


def _text(value, field: str, label, required=True, max_length=rules.REPLY_MAX) -> str:
    return clean_text(value, field=field, max_length=max_length, label=label, multiline=True, required=required)


def _first_answer(letter: Letter, now) -> dict:
    if letter.answered_at is not None:
        return {}
    deadline = deadline_of(letter, ANSWER)
    return {"answered_at": now, "answered_in_time": deadline is None or now <= deadline.due_at}


def tell_writer(letter: Letter, what) -> None:
    send_sms(
        phone=letter.phone,
        text=safe_text(
            _("%(what)s: your message “%(title)s” (lookup code %(code)s).")
            % {"what": what, "title": letter.title, "code": letter.lookup_code},
            max_length=200,
        ),
    )


@transaction.atomic
def forward_letter(*, actor, letter: Letter, unit_id, note: str = "") -> Letter:
    _visible(actor, letter)
    try:
        unit = OrgUnit.objects.get(pk=int(unit_id), is_active=True, kind__in=FORWARD_KINDS)
    except (OrgUnit.DoesNotExist, TypeError, ValueError):
        raise ValidationFailed(_("Choose the competent department."), code="department_invalid") from None
    if unit.pk == letter.unit_id:
        raise ValidationFailed(_("Choose another unit than the one answering now."), code="department_invalid")
    note = _text(note, "note", _("Note for the department"), required=False, max_length=rules.REASON_MAX)
    letter = wf.transition(
        letter,
        "forward",
        actor=actor,
        workflow=LETTER_FLOW,
        comment=note,
        changes={"forwarded_to": unit, "handled_by": actor},
        audit_after={"forwarded_to": unit.pk},
    )
    notify(
        users_with_roles(unit, perm.DEPARTMENT_ROLES),
        title=_("A public message was forwarded to you: %(title)s") % {"title": letter.title},
        link=f"/letters/{letter.pk}/",
        event="letters.letter.forward",
        obj=letter,
    )
    tell_writer(letter, _("Forwarded to the competent department"))
    return letter


@transaction.atomic
def answer_letter(*, actor, letter: Letter, reply: str, public_reply: str = "") -> Letter:
    """Answer the writer; a public reply, if given, waits for the office's review before it is published."""
    _visible(actor, letter)
    text = _text(reply, "reply", _("Reply"))
    public = _text(public_reply, "public_reply", _("Public reply"), required=False)
    changes = {"reply": text, "handled_by": actor, **_first_answer(letter, timezone.now())}
    if public:
        changes.update({"public_reply": public, "publication": Letter.Publication.PENDING})
    letter = wf.transition(
        letter, "answer", actor=actor, workflow=LETTER_FLOW, changes=changes, audit_after={"public": bool(public)}
    )
    tell_writer(letter, _("Answered"))
    return letter


def _pass_as_suggestion(actor, letter: Letter) -> str:
    proposal = proposals.draft_from_report(
        actor=actor,
        proposer=actor,
        title=letter.title,
        body=letter.text,
        source_note=_("Public message %(code)s") % {"code": letter.lookup_code},
    )
    return f"proposals.proposal:{proposal.pk}"


def _pass_as_opinion(actor, letter: Letter) -> str:
    report = opinions.create_report(actor=actor, title=letter.title, content=letter.text)
    return f"opinions.report:{report.pk}"


@transaction.atomic
def pass_on(*, actor, letter: Letter, passed_as: str, note: str = "") -> Letter:
    """The deputy passes the message on: a draft suggestion (in their proposals) or a draft public-opinion report
    (in their reports), each made from the message's text, for the deputy to complete and submit."""
    _visible(actor, letter)
    if not perm.may_pass_on(actor, letter):
        raise PermissionDenied(_("Only the deputy it was written to can pass a message on."), code="not_deputy")
    if passed_as not in Letter.PassedAs.values:
        raise ValidationFailed(_("Choose how to pass the message on."), code="passed_as_invalid")
    note = _text(note, "note", _("Note to the writer"), required=False)
    ref = (
        _pass_as_suggestion(actor, letter)
        if passed_as == Letter.PassedAs.SUGGESTION
        else _pass_as_opinion(actor, letter)
    )
    changes = {"passed_as": passed_as, "passed_ref": ref, "handled_by": actor, **_first_answer(letter, timezone.now())}
    if note:
        changes["reply"] = note
    letter = wf.transition(
        letter, "pass_on", actor=actor, workflow=LETTER_FLOW, changes=changes, audit_after={"passed_as": passed_as}
    )
    tell_writer(letter, letter.get_passed_as_display())
    return letter


@transaction.atomic
def close_letter(*, actor, letter: Letter, result: str) -> Letter:
    _visible(actor, letter)
    text = _text(result, "result", _("Result"))
    letter = wf.transition(
        letter,
        "close",
        actor=actor,
        workflow=LETTER_FLOW,
        changes={"result": text, "ended_at": timezone.now(), "handled_by": actor},
    )
    tell_writer(letter, _("Concluded"))
    return letter


@transaction.atomic
def decline_letter(*, actor, letter: Letter, reason: str) -> Letter:
    _visible(actor, letter)
    text = _text(reason, "reason", _("Reason"), max_length=rules.REASON_MAX)
    letter = wf.transition(
        letter,
        "decline",
        actor=actor,
        workflow=LETTER_FLOW,
        changes={"reject_reason": text, "ended_at": timezone.now(), "handled_by": actor},
    )
    tell_writer(letter, _("Not accepted"))
    return letter
