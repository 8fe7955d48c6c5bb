"""Objections (S3-11, seed 003 art. 11): a member objects to a record, their total or their rank, to the record's
organiser or the members' work committee; answered within 5 working days (workflow deadline, reminder,
escalation). An upheld objection about a record may correct it: a correcting record, counted at once (the answer
is the review), supersedes the original and the total is recomputed; the history stays.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.notify.services import notify
from lvzhi.workflow import services as wf
from lvzhi.workflow.selectors import deadline_of

from .. import permissions as perm
from .. import rules
from ..models import Objection, Outcome, Record
from ..workflows import ANSWER, OBJECTION_FLOW
from .common import check_year_open, choice, text
from .records import count_record, create_record

T = Objection.Target
R = Record.Status


@transaction.atomic
def raise_objection(
    *, actor, body, year: int, target: str, text_value: str, record: Record | None = None, to: str = "organiser"
) -> Objection:
    if not perm.may_object(actor, body=body):
        raise NotFound()
    target = choice(target, T, code="target_invalid", message=_("Choose what the objection is about."))
    if target == T.RECORD:
        if record is None or record.member_id != actor.pk or record.body_id != body.pk:
            raise NotFound()
        if record.status not in (R.COUNTED, R.PENDING):
            raise ValidationFailed(_("Object to a current record."), code="record_invalid")
        year = record.year
    if to not in ("organiser", "liaison"):
        raise ValidationFailed(_("Choose whom to send the objection to."), code="to_invalid")
    check_year_open(body, int(year))
    unit = record.organiser if (target == T.RECORD and to == "organiser") else perm.liaison_of(body)
    if unit is None:
        raise ValidationFailed(_("This body has no members' work committee."), code="no_liaison")
    body_text = text(text_value, field="text", label=_("The objection"), max_length=rules.TEXT_MAX, multiline=True)
    obj = Objection.objects.create(
        body=body,
        member=actor,
        year=int(year),
        target=target,
        record=record if target == T.RECORD else None,
        unit=unit,
        text=body_text,
    )
    wf.start(
        obj,
        actor=actor,
        workflow=OBJECTION_FLOW,
        event="raise",
        audit_after={"target": target, "record": getattr(record, "pk", None), "unit": unit.pk},
    )
    return obj


@transaction.atomic
def answer_objection(
    *, actor, objection: Objection, uphold: bool, answer: str, outcome: str = "", quantity=None
) -> Objection:
    obj = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("record", "unit", "body", "member")
        .filter(pk=objection.pk)
        .first()
    )
    if obj is None or not perm.may_view_objection(actor, obj):
        raise NotFound()
    answer = text(answer, field="answer", label=_("The answer"), max_length=rules.TEXT_MAX, multiline=True)
    now = timezone.now()
    deadline = deadline_of(obj, ANSWER)
    on_time = deadline is None or now < deadline.due_at
    correction = None
    if uphold and outcome:
        if obj.record is None or obj.record.status != R.COUNTED:
            raise ValidationFailed(_("Only an archived record can be corrected."), code="record_invalid")
        outcome = choice(outcome, Outcome, code="outcome_invalid", message=_("Choose the outcome."))
        check_year_open(obj.body, obj.record.year)
    obj = wf.transition(
        obj,
        "uphold" if uphold else "reject",
        actor=actor,
        workflow=OBJECTION_FLOW,
        comment=answer,
        changes={"answer": answer, "answered_at": now, "answered_by": actor, "on_time": on_time},
        audit_after={"on_time": on_time},
    )
    if uphold and outcome:
        rec = obj.record
        correction = create_record(
            actor=actor,
            body=rec.body,
            member=rec.member,
            kind=rec.kind,
            outcome=outcome,
            day=rec.day,
            title=rec.title,
            organiser=rec.organiser,
            source=rec.source,
            quantity=int(quantity) if quantity not in (None, "") else rec.quantity,
            source_ref=rec.source_ref,
            corrects=rec,
            late_needs_approval=False,
        )
        correction = count_record(correction, actor=None, comment=f"objection {obj.pk}")
        obj.correction = correction
        obj.save(update_fields=["correction"])
    member = obj.member
    notify(
        [member],
        title=_("Your objection was answered"),
        link=f"/duty/objections/{obj.pk}/",
        event="duty.objection.answer",
    )
    return obj
