"""Step tables: the steps a user can take on a case, declared once for the web page and the API.

Each case kind keeps one table in its app's `actions.py`:

```python
TABLE = StepTable(
    from_flow(FLOW, "answer", lambda actor, obj, data: services.answer(actor=actor, item=obj, text=data.get("text")),
              text=answer_label, text_required=True),
    Step("mark_notable", label, run=..., available=may_mark_notable),
)
TABLE.available(user, obj)                      # the steps shown on the page / listed by the API
TABLE.perform(actor=user, obj=obj, name=name, data=request.POST)   # dispatch; the service checks again
TABLE.perform_on_page(request, obj, name)        # a page's POST: refusals become its error message
```

A step derived from a workflow transition (`from_flow`) takes its label and who may take it from the declaration in
`workflows.py`, so the two cannot drift apart; `when=` narrows it further (e.g. only after the rating period).
Steps that change no workflow state (marking, attaching) are plain `Step`s with their own predicate.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from lvzhi.core.errors import NotFound
from lvzhi.core.pages import run_on_page

DONE = _("Done.")


@dataclass(frozen=True)
class Step:
    name: str
    label: object
    run: Callable  # (actor, obj, data) -> object: calls the service
    available: Callable  # (user, obj) -> bool: shown and offered now
    text: object = None  # label of the step's free-text input ("text"), None for none
    text_required: bool = False
    long_text: bool = True  # a textarea rather than one line
    fields: tuple = ()  # the further inputs the page renders for it, by name ("category", "outcome"…)
    style: str = ""  # "", "secondary", "danger"
    confirm: object = None  # a question to confirm before submitting, or None
    form: type | None = None  # a Django form of the step's inputs, where the page uses one (proposals)
    done: Callable | None = None  # (result) -> the message the page shows after the step, or None

    def has(self, field: str) -> bool:
        return field in self.fields


def from_flow(
    flow, name: str, run: Callable, *, label=None, when: Callable | None = None, as_name: str = "", **options
) -> Step:
    """The step of the declared transition `name`: available when the object is in one of its source states and
    the user may take it (the transition's `allowed`), and `when(user, obj, *context)` if given. The step is called
    `as_name` where its page and API name differ from the transition's (proposals' "evaluate" closes the item).

    `flow` is a `Workflow`, or a function `obj -> Workflow` where a case kind has one flow per role (proposals'
    lead and co-handling units); then the step is unavailable on an object whose flow has no such transition."""
    per_object = not hasattr(flow, "get")  # a function of the object, not a declared flow
    fixed = None if per_object else flow.get(name)  # a misspelt transition fails at import
    if label is None and fixed is not None:
        label = fixed.label

    def available(user, obj, *context):
        workflow = flow(obj) if per_object else flow
        transition = next((t for t in workflow.transitions if t.name == name), None) if per_object else fixed
        return (
            transition is not None
            and workflow.state_of(obj) in transition.sources
            and transition.may(user, obj)
            and (when is None or when(user, obj, *context))
        )

    return Step(as_name or name, label, run, available, **options)


class StepTable:
    """An ordered table of steps, looked up by name."""

    def __init__(self, *steps: Step):
        self.steps: tuple[Step, ...] = steps
        self.by_name: dict[str, Step] = {s.name: s for s in steps}
        if len(self.by_name) != len(steps):
            raise ValueError("two steps share a name")

    def __iter__(self):
        return iter(self.steps)

    def names(self) -> list[str]:
        return [s.name for s in self.steps]

    def get(self, name: str) -> Step:
        """The step called `name`; an unknown name is NotFound (the same answer as a step one may not see)."""
        step = self.by_name.get(name)
        if step is None:
            raise NotFound()
        return step

    def available(self, user, obj, *context) -> list[Step]:
        """The steps open to `user` on `obj`. A table whose predicates need what the page has already read (e.g.
        proposals' pending requests) passes it as `context`; each predicate then takes (user, obj, *context)."""
        return [s for s in self.steps if s.available(user, obj, *context)]

    def perform(self, *, actor, obj, name: str, data: Mapping | None = None):
        """Run step `name` with the inputs `data` (a form's POST or an API body; missing values read as ""). Only
        dispatches: the service checks permission and state again, inside its transaction."""
        step = self.get(name)
        # a QueryDict's items() give each field's last value, never a list
        clean = {k: (v if v is not None else "") for k, v in (data or {}).items()}
        return step.run(actor, obj, clean)

    def perform_on_page(self, request, obj, name: str, *, done=DONE):
        """Run step `name` for a page's POST (the inputs are `request.POST`, the actor the signed-in user): a refusal
        becomes the page's error message, not found stays not found, success shows `done` (None: no message). The
        result, or None if refused; the view then redirects back to the object."""
        return run_on_page(
            request, lambda: self.perform(actor=request.user, obj=obj, name=name, data=request.POST), done
        )
