"""Declared state machines and deadlines shared by every case-like module.

Import the declaration API from here: `from lvzhi.workflow import DeadlineRule, Transition, Workflow`;
the services from `lvzhi.workflow.services` (`transition`, `start`), the reads from `lvzhi.workflow.selectors`.
"""


def __getattr__(name):  # lazy, so that importing the package does not import Django models early
    if name in {"Workflow", "Transition", "DeadlineRule", "get_workflow", "workflow_for"}:
        from . import declaration  # lazy: the declarations import Django models (apps not ready yet)

        return getattr(declaration, name)
    raise AttributeError(name)
