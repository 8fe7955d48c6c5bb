"""Declaring a state machine: states, transitions (who, from where, to where) and the deadlines they start.

    from lvzhi.workflow import DeadlineRule, Transition, Workflow

    REPORT_FLOW = Workflow(
        "opinions.report",
        model=Report,
        states=Report.Status,
        initial=Report.Status.SUBMITTED,
        starts=[DeadlineRule("forward", working_days=2, responsible=lambda r: r.committee_office)],
        transitions=[
            Transition("forward", sources=[Report.Status.SUBMITTED], target=Report.Status.AT_HOTLINE,
                       allowed=may_forward, ends=["forward"],
                       starts=[DeadlineRule("handle", setting="opinions.handle_working_days",
                                            responsible=lambda r: r.hotline, escalate_roles=("head",))]),
        ],
    )

A rule's length is fixed (`working_days`, `calendar_days`, `months`) or read from a body setting (`setting`,
counted in `setting_unit`) of the responsible unit's body, so that a county body may set its own (S3-18). Where the
rule belongs to another body than the responsible unit's (a government department answering a congress deputy's
suggestion keeps the congress's time limits), `setting_from(obj)` names the unit whose body's setting counts.

A capped rule (`capped=True`, or `at_most=`) treats the setting as a body's tightening of a ceiling: the value is
kept within the setting's bounds in the limits registry (`orgs/limits.py`) and below `at_most` (a number, or
`unit -> number` where the ceiling depends on the body, as new media's seed-dependent filing limit does); an
unreadable value reads as the default, or as the ceiling where the setting has none
(`orgs.selectors.capped_setting`). A body's looser value is refused when set and clamped if stored.
"""

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.accounts.roles import Role
from lvzhi.core.errors import ValidationFailed
from lvzhi.orgs.selectors import body_setting, capped_setting
from lvzhi.orgs.settings_registry import default_for
from lvzhi.workdays import calendar

_REGISTRY: dict[str, "Workflow"] = {}

DENY_NOT_FOUND = "not_found"
DENY_FORBIDDEN = "forbidden"
UNITS = ("working", "calendar", "months")


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    responsible: Callable[[object], object]  # obj -> OrgUnit (or None)
    working_days: int | None = None
    calendar_days: int | None = None
    months: int | None = None
    setting: str | None = None
    setting_unit: str = "working"
    notify_roles: tuple[str, ...] = (Role.STAFF,)
    escalate_roles: tuple[str, ...] = (Role.HEAD,)
    label: str = ""
    setting_from: Callable[[object], object] | None = None  # obj -> the unit whose body's `setting` counts
    capped: bool = False  # keep the setting's value within its registry bounds (a ceiling a body may only tighten)
    at_most: int | Callable[[object], int] | None = None  # a further ceiling, or unit -> ceiling; implies capped
    # obj -> the moment the period is counted from (its day not counted) instead of now: a report due "within 5
    # working days after the quarter ends" counts from the quarter's last day whenever the case is opened
    start_from: Callable[[object], dt.datetime] | None = None
    applies: Callable[[object], bool] | None = None  # obj -> bool: open this rule only for such objects

    def applies_to(self, obj) -> bool:
        """Several rules of one kind may share a step, each for its own objects (a limit per kind of message)."""
        return self.applies is None or bool(self.applies(obj))

    def __post_init__(self):
        given = [v for v in (self.working_days, self.calendar_days, self.months, self.setting) if v is not None]
        if len(given) != 1:
            raise ValueError(
                f"deadline rule {self.kind!r}: give exactly one of working_days, calendar_days, months or setting"
            )
        if self.setting_unit not in UNITS:
            raise ValueError(f"deadline rule {self.kind!r}: setting_unit must be one of {UNITS}")
        if self.setting is not None:
            default_for(self.setting)  # an undeclared key is a programming error, found at import
        elif self.capped or self.at_most is not None:
            raise ValueError(f"deadline rule {self.kind!r}: only a rule read from a setting is capped")

    def length(self, unit) -> tuple[str, int]:
        """(unit, n) for this rule at the responsible `unit`."""
        if self.working_days is not None:
            return "working", self.working_days
        if self.calendar_days is not None:
            return "calendar", self.calendar_days
        if self.months is not None:
            return "months", self.months
        if self.capped or self.at_most is not None:
            at_most = self.at_most(unit) if callable(self.at_most) else self.at_most
            return self.setting_unit, capped_setting(unit, self.setting, at_most)
        value = body_setting(unit, self.setting) if unit is not None else default_for(self.setting)
        try:
            n = int(value)
        except (TypeError, ValueError):
            n = int(default_for(self.setting))
        return self.setting_unit, max(n, 0)

    def rule_unit(self, obj, responsible):
        """The unit whose body's setting gives this rule's length for `obj` (the responsible unit by default)."""
        return self.setting_from(obj) if self.setting_from is not None else responsible

    def due_at(self, start: dt.datetime, unit) -> dt.datetime:
        kind, n = self.length(unit)
        if kind == "working":
            return calendar.add_working_days(start, n)
        if kind == "calendar":
            return calendar.add_calendar_days(start, n)
        return calendar.add_months(start, n)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: Iterable[str]
    target: str
    allowed: Callable[[object, object], bool] | None = None  # (user, obj) -> bool
    starts: tuple[DeadlineRule, ...] = ()
    ends: tuple[str, ...] = ()
    label: str = ""
    denied: str = DENY_NOT_FOUND  # what a user who may not do it is told: not found, or forbidden
    pauses: tuple[str, ...] = ()  # deadline kinds whose clock stops (the case waits on someone else)
    resumes: tuple[str, ...] = ()  # deadline kinds whose clock runs again, the due date moved on by the wait

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(str(s) for s in self.sources))
        object.__setattr__(self, "target", str(self.target))
        object.__setattr__(self, "starts", tuple(self.starts))
        object.__setattr__(self, "ends", tuple(self.ends))
        object.__setattr__(self, "pauses", tuple(self.pauses))
        object.__setattr__(self, "resumes", tuple(self.resumes))
        if self.denied not in (DENY_NOT_FOUND, DENY_FORBIDDEN):
            raise ValueError("denied must be 'not_found' or 'forbidden'")

    def may(self, user, obj) -> bool:
        return self.allowed is None or bool(self.allowed(user, obj))


@dataclass
class Workflow:
    name: str
    states: type  # a TextChoices
    transitions: list[Transition]
    model: type | None = None
    initial: str | None = None
    field: str = "status"
    starts: list[DeadlineRule] = dataclasses.field(default_factory=list)  # deadlines opened by start()
    org_unit: Callable[[object], object] = lambda obj: getattr(obj, "unit", None)
    link: Callable[[object], str] = lambda obj: ""
    title: Callable[[object], str] = str
    label: str = ""
    # A field of the object (DateTimeField, null) that `start`/`transition` keep equal to the due time of its
    # earliest running deadline: a big queue then orders "overdue and due soon first" by an index.
    due_field: str | None = None

    def __post_init__(self):
        values = {str(v) for v in self.states.values}
        names = set()
        for t in self.transitions:
            if t.name in names:
                raise ValueError(f"workflow {self.name}: transition {t.name!r} declared twice")
            names.add(t.name)
            unknown = (set(t.sources) | {t.target}) - values
            if unknown:
                raise ValueError(f"workflow {self.name}: transition {t.name!r} uses unknown states {unknown}")
        if self.initial is not None and str(self.initial) not in values:
            raise ValueError(f"workflow {self.name}: unknown initial state {self.initial!r}")
        self.starts = list(self.starts)
        _REGISTRY[self.name] = self

    def __hash__(self):
        return hash(self.name)

    def get(self, name: str) -> Transition:
        for t in self.transitions:
            if t.name == name:
                return t
        raise ValidationFailed(_("This step does not exist."), code="unknown_transition")

    def state_of(self, obj) -> str:
        return str(getattr(obj, self.field))

    def available(self, user, obj) -> list[Transition]:
        """The transitions `user` may take on `obj` now (for showing buttons)."""
        state = self.state_of(obj)
        return [t for t in self.transitions if state in t.sources and t.may(user, obj)]

    def rule(self, kind: str) -> DeadlineRule | None:
        for rule in self.starts:
            if rule.kind == kind:
                return rule
        for t in self.transitions:
            for rule in t.starts:
                if rule.kind == kind:
                    return rule
        return None

    def state_label(self, value) -> str:
        try:
            return str(self.states(value).label)
        except ValueError:
            return str(value)

    def labelled_history(self, events, *, entry_label: str = "") -> list:
        """History entries (`WorkflowEvent` rows, e.g. `workflow.selectors.history_of(obj)`) with their step and the
        state they led to in words: `event.label` is the transition's label (`entry_label` for the entry event,
        which is no transition, or a step without a label) and `event.to_label` the state's. One helper for every
        presenter, so that no case kind labels its history its own way."""
        steps = {t.name: t for t in self.transitions}
        history = list(events)
        for event in history:
            step = steps.get(event.transition)
            event.label = (step.label if step is not None else "") or entry_label
            event.to_label = self.state_label(event.to_state)
        return history


def get_workflow(name: str) -> Workflow | None:
    return _REGISTRY.get(name)


def workflow_for(obj) -> Workflow:
    """The one workflow declared for `obj`'s model (pass `workflow=` where a model has several)."""
    found = [w for w in _REGISTRY.values() if w.model is not None and isinstance(obj, w.model)]
    if len(found) != 1:
        raise LookupError(f"{type(obj).__name__}: {len(found)} workflows declared; pass workflow=")
    return found[0]
