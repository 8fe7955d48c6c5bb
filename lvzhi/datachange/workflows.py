"""The state machine of a personal-data change request, imported by `lvzhi tick` (autodiscovery of `<app>.workflows`).

Its name and events keep the `accounts.` prefix they had before requests moved to their own app, so that the
audit log and the workflow history of existing requests read on without a break.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.accounts.roles import Role
from lvzhi.workflow.declaration import DENY_FORBIDDEN, DeadlineRule, Transition, Workflow

from .models import DataChangeRequest
from .permissions import may_handle

Status = DataChangeRequest.Status
DEADLINE_KIND = "carry_out"

DATA_CHANGE_FLOW = Workflow(
    "accounts.datachange",
    model=DataChangeRequest,
    states=Status,
    initial=Status.SUBMITTED,
    starts=[
        DeadlineRule(
            DEADLINE_KIND,
            setting="accounts.data_change_working_days",
            responsible=lambda r: r.unit,
            notify_roles=(Role.STAFF,),
            escalate_roles=(Role.HEAD,),
            label=gettext_lazy("Carry out the change"),
        )
    ],
    transitions=[
        Transition(
            "apply",
            sources=[Status.SUBMITTED],
            target=Status.DONE,
            allowed=may_handle,
            ends=[DEADLINE_KIND],
            label=gettext_lazy("Carry out"),
            denied=DENY_FORBIDDEN,
        ),
        Transition(
            "reject",
            sources=[Status.SUBMITTED],
            target=Status.REJECTED,
            allowed=may_handle,
            ends=[DEADLINE_KIND],
            label=gettext_lazy("Reject"),
            denied=DENY_FORBIDDEN,
        ),
    ],
    link=lambda r: reverse("datachange:detail", args=[r.pk]),
    title=lambda r: _("Personal-data change of %(name)s") % {"name": r.user.real_name},
    label=gettext_lazy("Personal-data change"),
)

__all__ = ["DATA_CHANGE_FLOW", "DEADLINE_KIND", "Status"]
