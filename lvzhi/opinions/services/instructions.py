"""Leaders' instructions (批示) on public-opinion reports: recorded as a step of the report, withdrawn, or corrected
by a new instruction that replaces the old one. Each step goes through `workflows.INSTRUCTION_FLOW` (history and
the `opinions.instruction.<step>` audit row) and is audited on the report as well (`opinions.report.instruct`);
the author's automatic duty record follows in the same transaction (`duty.record_from_source(kind="instruction")`:
an instruction earns its points once reviewed; a withdrawn or replaced one loses them by a correcting record).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.accounts.models import User
from lvzhi.audit.services import record
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.core.timeutil import local_date, start_of_day
from lvzhi.core.validation import clean_text
from lvzhi.duty.services import record_from_source
from lvzhi.workflow import services as wf

from .. import rules
from ..models import Instruction, Report
from ..permissions import is_leader, may_end_instruction, may_instruct
from ..workflows import INSTRUCTION_FLOW
from .common import _lock, _note, _now, _tell_member

L = Instruction.Level
IS = Instruction.Status


def _level(value) -> str:
    value = (value or "").strip()
    if value not in L.values:
        raise ValidationFailed(_("Choose the level of the leader."), code="level_invalid")
    return value


def _day(value, report: Report) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationFailed(_("Give the date of the instruction."), code="day_invalid")
    submitted = local_date(report.submitted_at) if report.submitted_at else None
    if value > local_date() or (submitted is not None and value < submitted):
        raise ValidationFailed(
            _("The date of the instruction lies between the report's submission and today."), code="day_invalid"
        )
    return value


def _text(value) -> str:
    return clean_text(
        value, field="text", max_length=rules.TEXT_MAX, required=True, label=_("The instruction"), multiline=True
    )


def _leader(actor, report: Report, leader) -> User:
    """The leader the instruction is from: the actor if a leader of the report's body and nobody else is named,
    else the named user, who must be a leader of the report's body (or of a body above it)."""
    if leader in (None, "") and is_leader(actor, report):
        return actor
    if isinstance(leader, User):
        person = leader
    else:
        try:
            person = User.objects.filter(pk=int(leader), is_active=True).first()
        except (TypeError, ValueError):
            person = None
    if person is None or person.pk == report.author_id or not is_leader(person, report):
        raise ValidationFailed(_("Choose a leader of this body."), code="leader_invalid")
    return person


def _follow(instruction: Instruction, *, quantity: int) -> None:
    report = instruction.report
    record_from_source(
        kind="instruction",
        member=report.author,
        source=instruction,
        occurred_on=instruction.day,
        quantity=quantity,
        body=report.body,
        title=_("Instruction on %(ref)s") % {"ref": report.reference},
    )


def _mark_instructed(report: Report) -> None:
    """The report's `instructed_at`: the start of the day of its earliest recorded instruction (none left: None).
    Saved with update_fields, so the general roll-up recounts the report's instruction buckets in this transaction."""
    first = report.instructions.filter(status=IS.RECORDED).order_by("day").values_list("day", flat=True).first()
    value = start_of_day(first) if first else None
    if report.instructed_at != value:
        report.instructed_at = value
        report.save(update_fields=["instructed_at"])


def _create(actor, report, *, leader, level, day, text, corrects=None) -> Instruction:
    try:
        with transaction.atomic():
            item = Instruction.objects.create(
                report=report, leader=leader, level=level, day=day, text=text, recorded_by=actor, corrects=corrects
            )
    except IntegrityError:
        raise Conflict(_("This leader's instruction on the report is already recorded."), code="instruction_exists")
    item.report = report
    wf.start(
        item,
        actor=actor,
        workflow=INSTRUCTION_FLOW,
        event="record",
        audit_after={"report": report.pk, "leader": leader.pk, "level": level, "day": day.isoformat()},
    )
    _follow(item, quantity=1)
    _mark_instructed(report)
    return item


@transaction.atomic
def instruct_report(*, actor: User, report: Report, level, day, text, leader=None) -> Instruction:
    """Record a leader's instruction on the report (by the leader, or by the handling office for a named leader)."""
    report = _lock(report)
    if not may_instruct(actor, report):
        raise PermissionDenied()
    person = _leader(actor, report, leader)
    item = _create(actor, report, leader=person, level=_level(level), day=_day(day, report), text=_text(text))
    record(
        "opinions.report.instruct",
        actor=actor,
        obj=report,
        org_unit=report.committee or report.body,
        after={"instruction": item.pk, "leader": person.pk, "level": item.level, "day": item.day.isoformat()},
    )
    _tell_member(
        report,
        _("A leader gave an instruction on your public-opinion report %(ref)s") % {"ref": report.reference},
        event="opinions.report.instruct",
    )
    return item


def _locked_instruction(instruction) -> Instruction:
    item = Instruction.objects.select_related("report").filter(pk=getattr(instruction, "pk", instruction)).first()
    if item is None:
        raise NotFound()
    item.report = _lock(item.report)
    return item


@transaction.atomic
def withdraw_instruction(*, actor: User, instruction, reason: str = "") -> Instruction:
    """The instruction is withdrawn (recorded in error, or taken back): the author's duty record loses it."""
    item = _locked_instruction(instruction)
    reason = _note(reason)
    item = wf.transition(
        item,
        "withdraw",
        actor=actor,
        workflow=INSTRUCTION_FLOW,
        comment=reason,
        changes={"ended_at": _now(), "end_reason": reason},
    )
    _follow(item, quantity=0)
    _mark_instructed(item.report)
    record("opinions.report.instruct_withdraw", actor=actor, obj=item.report, after={"instruction": item.pk})
    return item


@transaction.atomic
def correct_instruction(*, actor: User, instruction, level, day, text, leader=None) -> Instruction:
    """A correction replaces the instruction by a new one (its leader, level, date or text corrected): the old
    record is cancelled, the new one counts from its own date."""
    item = _locked_instruction(instruction)
    report = item.report
    if not may_end_instruction(actor, item):
        raise PermissionDenied()
    person = _leader(actor, report, leader if leader not in (None, "") else item.leader)
    level, day, text = _level(level), _day(day, report), _text(text)
    item = wf.transition(
        item,
        "correct",
        actor=actor,
        workflow=INSTRUCTION_FLOW,
        changes={"ended_at": _now(), "end_reason": _("Corrected")},
    )
    _follow(item, quantity=0)
    new = _create(actor, report, leader=person, level=level, day=day, text=text, corrects=item)
    record(
        "opinions.report.instruct_correct",
        actor=actor,
        obj=report,
        org_unit=report.committee or report.body,
        before={"instruction": item.pk},
        after={"instruction": new.pk, "leader": person.pk, "level": level, "day": day.isoformat()},
    )
    return new
