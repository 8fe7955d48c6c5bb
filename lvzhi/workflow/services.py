"""The one way a case-like object changes state: `transition()`. Also `start()` for a new object."""

import datetime as dt
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.audit.services import record
from lvzhi.core import hooks
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied
from lvzhi.core.timeutil import start_of_day
from lvzhi.notify.services import acted_on
from lvzhi.orgs.selectors import body_setting
from lvzhi.workdays import calendar

from .declaration import DENY_FORBIDDEN, DeadlineRule, Workflow, get_workflow, workflow_for
from .models import Deadline, WorkflowEvent

logger = logging.getLogger("lvzhi.workflow")


def _remind_at(unit, due_at: dt.datetime, now: dt.datetime) -> dt.datetime | None:
    """When to remind the responsible `unit` of a deadline ending at `due_at` (its body's reminder setting)."""
    try:
        before = int(body_setting(unit, "workflow.reminder_working_days")) if unit is not None else 1
    except (TypeError, ValueError):
        before = 1
    if before <= 0:
        return None
    remind_day = calendar.working_days_before(calendar.due_date(due_at), before)
    return max(start_of_day(remind_day), now)


def _open_deadline(wf: Workflow, obj, rule: DeadlineRule, now: dt.datetime, ct: ContentType) -> Deadline:
    unit = rule.responsible(obj)
    due_at = rule.due_at(rule.start_from(obj) if rule.start_from else now, rule.rule_unit(obj, unit))
    remind_at = _remind_at(unit, due_at, now)
    # A step that starts again (sent back and forwarded anew) replaces the open deadline of that kind.
    Deadline.objects.filter(content_type=ct, object_id=obj.pk, kind=rule.kind, met_at__isnull=True).update(met_at=now)
    return Deadline.objects.create(
        content_type=ct,
        object_id=obj.pk,
        workflow=wf.name,
        kind=rule.kind,
        responsible_unit=unit,
        started_at=now,
        due_at=due_at,
        remind_at=remind_at,
        notify_roles=[str(r) for r in rule.notify_roles],
        escalate_roles=[str(r) for r in rule.escalate_roles],
    )


def _close_deadlines(obj, kinds, now, ct) -> int:
    if not kinds:
        return 0
    return Deadline.objects.filter(content_type=ct, object_id=obj.pk, kind__in=list(kinds), met_at__isnull=True).update(
        met_at=now
    )


def _reschedule_deadlines(obj, moves: dict, now, ct) -> dict:
    """Move open deadlines to new due times (an approved extension): the reminder and escalation start afresh.

    Returns {kind: [old due_at, new due_at]} for the history and the audit row; a kind with no open deadline is
    a Conflict (it ended meanwhile) and the whole transition rolls back."""
    moved = {}
    for kind, due_at in moves.items():
        deadline = Deadline.objects.filter(content_type=ct, object_id=obj.pk, kind=kind, met_at__isnull=True).first()
        if deadline is None:
            raise Conflict(_("This time limit is no longer running."), code="no_open_deadline")
        moved[kind] = [deadline.due_at.isoformat(), due_at.isoformat()]
        deadline.due_at = due_at
        deadline.remind_at = _remind_at(deadline.responsible_unit, due_at, now)
        deadline.reminded_at = None
        deadline.escalated_at = None
        deadline.save(update_fields=["due_at", "remind_at", "reminded_at", "escalated_at"])
    return moved


def _pause_deadlines(obj, kinds, now, ct) -> int:
    """Stop the clock of the open deadlines of `kinds` (the case now waits on someone else)."""
    if not kinds:
        return 0
    return Deadline.objects.filter(
        content_type=ct, object_id=obj.pk, kind__in=list(kinds), met_at__isnull=True, paused_at__isnull=True
    ).update(paused_at=now)


def _resume_deadlines(obj, kinds, now, ct) -> dict:
    """Restart stopped clocks: the last day moves on by the working days the clock stood still (a pause within
    one day costs nothing) and the reminder is due afresh. Returns {kind: working days added}."""
    resumed = {}
    if not kinds:
        return resumed
    paused = Deadline.objects.select_for_update(of=("self",)).filter(
        content_type=ct, object_id=obj.pk, kind__in=list(kinds), met_at__isnull=True, paused_at__isnull=False
    )
    for deadline in paused.select_related("responsible_unit"):
        waited = max(calendar.working_days_between(deadline.paused_at, now), 0)
        if waited:
            deadline.due_at = calendar.add_working_days(start_of_day(calendar.due_date(deadline.due_at)), waited)
            deadline.remind_at = _remind_at(deadline.responsible_unit, deadline.due_at, now)
            deadline.reminded_at = None
        deadline.paused_at = None
        deadline.save(update_fields=["due_at", "remind_at", "reminded_at", "paused_at"])
        resumed[deadline.kind] = waited
    return resumed


def _store_next_due(wf: Workflow, obj, ct) -> None:
    """Keep `wf.due_field` of `obj` equal to the due time of its earliest running (open, not paused) deadline."""
    if not wf.due_field:
        return
    due = Deadline.objects.filter(
        content_type=ct, object_id=obj.pk, met_at__isnull=True, paused_at__isnull=True
    ).aggregate(due=Min("due_at"))["due"]
    if getattr(obj, wf.due_field) != due:
        type(obj)._default_manager.filter(pk=obj.pk).update(**{wf.due_field: due})
        setattr(obj, wf.due_field, due)


def deadline_keys(ct, object_id) -> list[tuple]:
    """(responsible unit id, workflow, kind, due_at) of every deadline of one object, for `deadlines_changed`."""
    return list(
        Deadline.objects.filter(content_type=ct, object_id=object_id).values_list(
            "responsible_unit_id", "workflow", "kind", "due_at"
        )
    )


def deadlines_changed(obj, *, before=(), ct=None) -> None:
    """Tell the listeners of the hook `workflow.deadlines_changed` (the dashboards' on-time roll-up) that `obj`'s
    deadlines changed; `before` is `deadline_keys` read before the change. Called by `start` and `transition`; a
    service that moves a deadline itself (`queryset.update`) calls it too."""
    ct = ct or ContentType.objects.get_for_model(obj)
    hooks.fire("workflow.deadlines_changed", content_type=ct, object_id=obj.pk, before=list(before))


def _touches_deadlines(step, reschedule) -> bool:
    return bool(step.ends or step.starts or step.pauses or step.resumes or reschedule)


def _audit_payload(wf: Workflow, state, extra):
    payload = {wf.field: str(state) if state is not None else None}
    if extra:
        payload.update(extra)
    return payload


@transaction.atomic
def start(
    obj,
    *,
    actor,
    workflow: Workflow | None = None,
    event: str = "start",
    comment: str = "",
    data: dict | None = None,
    audit_after: dict | None = None,
):
    """Record that a newly created `obj` entered its initial state; open the workflow's initial deadlines.

    Audited as `<workflow>.<event>` (e.g. `accounts.datachange.submit`).
    """
    wf = workflow or workflow_for(obj)
    now = timezone.now()
    ct = ContentType.objects.get_for_model(obj)
    state = wf.state_of(obj)
    if wf.initial is not None and state != str(wf.initial):
        raise Conflict(_("This step is not possible in the current state."), code="transition_not_allowed")
    WorkflowEvent.objects.create(
        content_type=ct,
        object_id=obj.pk,
        workflow=wf.name,
        transition=event,
        from_state="",
        to_state=state,
        actor=actor if getattr(actor, "pk", None) else None,
        at=now,
        comment=comment,
        data=data or {},
    )
    opened = False
    for rule in wf.starts:
        if rule.applies_to(obj):
            _open_deadline(wf, obj, rule, now, ct)
            opened = True
    _store_next_due(wf, obj, ct)
    if opened:
        deadlines_changed(obj, ct=ct)
    record(
        f"{wf.name}.{event}",
        actor=actor,
        obj=obj,
        org_unit=wf.org_unit(obj),
        after=_audit_payload(wf, state, audit_after),
    )
    return obj


def _lock_for_step(wf: Workflow, step, obj, actor):
    """Lock `obj`'s row and check `step` may be taken on it now: (the locked object, its state before).

    Missing row or not allowed: NotFound (PermissionDenied where the step says so); a state that is not one of
    the step's sources: Conflict "transition_not_allowed" (of two clerks acting at once exactly one succeeds)."""
    locked = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    if locked is None:
        raise NotFound()
    if not step.may(actor, locked):
        raise PermissionDenied() if step.denied == DENY_FORBIDDEN else NotFound()
    before = wf.state_of(locked)
    if before not in step.sources:
        raise Conflict(
            _("This step is not possible in the current state; the case may have been handled meanwhile."),
            code="transition_not_allowed",
        )
    return locked, before


def _save_target_state(wf: Workflow, step, locked, changes: dict | None) -> None:
    """Save the step's target state and the `changes` (with `updated_at` where the model has one)."""
    setattr(locked, wf.field, step.target)
    fields = [wf.field]
    for key, value in (changes or {}).items():
        setattr(locked, key, value)
        fields.append(key)
    if any(f.name == "updated_at" for f in type(locked)._meta.concrete_fields) and "updated_at" not in fields:
        fields.append("updated_at")
    locked.save(update_fields=fields)


@transaction.atomic
def transition(
    obj,
    name: str,
    *,
    actor,
    comment: str = "",
    data: dict | None = None,
    workflow: Workflow | None = None,
    changes: dict | None = None,
    audit_before: dict | None = None,
    audit_after: dict | None = None,
    reschedule: dict | None = None,
):
    """Take transition `name` on `obj` and return the re-read, changed object.

    Inside one transaction: lock the row; check `allowed(actor, obj)` (else NotFound, or PermissionDenied
    where the declaration says so); check the current state is a source (else Conflict
    "transition_not_allowed": of two clerks acting at the same moment exactly one succeeds); set the state and
    the `changes` (other fields of the object, saved with it); record the event; close the deadlines of
    `ends`; stop the clocks of `pauses` and restart those of `resumes` (the working days waited are recorded in
    the event's data as `resumed`); open those of `starts`; move the open deadlines named in `reschedule`
    ({kind: new due_at}, e.g. an approved extension; recorded in the event's data as `rescheduled`); audit
    `<workflow>.<transition>` with the states before and after.
    """
    wf = workflow or workflow_for(obj)
    step = wf.get(name)
    locked, before = _lock_for_step(wf, step, obj, actor)
    now = timezone.now()
    _save_target_state(wf, step, locked, changes)
    ct = ContentType.objects.get_for_model(locked)
    touched = _touches_deadlines(step, reschedule)
    before_keys = deadline_keys(ct, locked.pk) if touched else []
    data = dict(data or {})
    audit_after = dict(audit_after or {})
    if reschedule:
        data["rescheduled"] = audit_after["rescheduled"] = _reschedule_deadlines(locked, reschedule, now, ct)
    _pause_deadlines(locked, step.pauses, now, ct)
    if step.resumes:
        data["resumed"] = _resume_deadlines(locked, step.resumes, now, ct)
    WorkflowEvent.objects.create(
        content_type=ct,
        object_id=locked.pk,
        workflow=wf.name,
        transition=step.name,
        from_state=before,
        to_state=step.target,
        actor=actor if getattr(actor, "pk", None) else None,
        at=now,
        comment=comment or "",
        data=data,
    )
    _close_deadlines(locked, step.ends, now, ct)
    for rule in step.starts:
        if rule.applies_to(locked):
            _open_deadline(wf, locked, rule, now, ct)
    _store_next_due(wf, locked, ct)
    if touched:
        deadlines_changed(locked, before=before_keys, ct=ct)
    record(
        f"{wf.name}.{step.name}",
        actor=actor,
        obj=locked,
        org_unit=wf.org_unit(locked),
        before=_audit_payload(wf, before, audit_before),
        after=_audit_payload(wf, step.target, audit_after),
    )
    acted_on(user=actor, obj=locked, link=wf.link(locked))  # their messages about it no longer count as unread
    return locked


# ---- the calendar changed: running deadlines recomputed ------------------------------------------------------------


def _rule_kind(workflow_name: str, kind: str) -> str:
    """ "working", "calendar" or "months": how the deadline `kind` of `workflow_name` counts (working by default)."""

    wf = get_workflow(workflow_name)
    rules = [] if wf is None else [*wf.starts, *(r for t in wf.transitions for r in t.starts)]
    for rule in rules:
        if rule.kind == kind:
            if rule.calendar_days is not None:
                return "calendar"
            if rule.months is not None:
                return "months"
            return "working"
    return "working"


def snapshot_deadlines(first_day: dt.date, last_day: dt.date) -> list[tuple[Deadline, int | dt.date, str]]:
    """Before a change of the days `first_day`…`last_day` in the calendar: the running deadlines whose period
    covers one of them, each with its length in working days (or its last day, for calendar-day and month
    periods) under the calendar as it is now. Pass the result to `recompute_deadlines` after the change."""

    rows = Deadline.objects.select_for_update(of=("self",)).filter(
        met_at__isnull=True,
        started_at__lt=start_of_day(last_day + dt.timedelta(days=1)),
        due_at__gt=start_of_day(first_day),
    )
    snapshot = []
    for deadline in rows.select_related("responsible_unit"):
        counting = _rule_kind(deadline.workflow, deadline.kind)
        if counting == "working":
            length = calendar.working_days_between(deadline.started_at, calendar.due_date(deadline.due_at))
        else:
            length = calendar.due_date(deadline.due_at)
        snapshot.append((deadline, length, counting))
    return snapshot


def recompute_deadlines(snapshot, *, actor, reason: str) -> list[dict]:
    """After the calendar changed: move each deadline of `snapshot` to its due time under the new calendar (a
    working-day period keeps its number of working days; a calendar-day or month period whose last day became a
    holiday ends on the next working day, art. 203). Each move is audited (`workflow.deadline.recompute`) and the
    reminder starts afresh; objects keep their stored next due time."""

    now = timezone.now()
    moved = []
    for deadline, length, counting in snapshot:
        if counting == "working":
            due_at = calendar.add_working_days(deadline.started_at, length)
        else:
            last = length
            for _step in range(366):
                if calendar.is_workday(last):
                    break
                last += dt.timedelta(days=1)
            due_at = start_of_day(last + dt.timedelta(days=1))
        if due_at == deadline.due_at:
            continue
        before = deadline.due_at
        deadline.due_at = due_at
        if deadline.paused_at is None:
            deadline.remind_at = _remind_at(deadline.responsible_unit, due_at, now)
            deadline.reminded_at = None
        deadline.escalated_at = None
        deadline.save(update_fields=["due_at", "remind_at", "reminded_at", "escalated_at"])
        record(
            "workflow.deadline.recompute",
            actor=actor,
            obj=deadline,
            org_unit=deadline.responsible_unit,
            before={"due_at": before.isoformat()},
            after={"due_at": due_at.isoformat(), "reason": reason, "workflow": deadline.workflow},
        )
        hooks.fire(
            "workflow.deadlines_changed",
            content_type=deadline.content_type,
            object_id=deadline.object_id,
            before=[(deadline.responsible_unit_id, deadline.workflow, deadline.kind, before)],
        )
        wf = get_workflow(deadline.workflow)
        if wf is not None and wf.due_field:
            obj = wf.model._default_manager.filter(pk=deadline.object_id).first()
            if obj is not None:
                _store_next_due(wf, obj, deadline.content_type)
        moved.append({"deadline": deadline.pk, "before": before, "after": due_at})
    return moved
