"""The periodic jobs of bills, suggestions and proposals, run by `lvzhi tick` (each idempotent, claimed row by row).

- `record_missing_evaluations`: a reply the proposer did not evaluate in time is recorded as "no evaluation" (not
  as satisfied) and the item closes.
- `escalate_to_office`: an overdue unit (reply or opinion past its time limit) is reported once to the body's
  proposals office, and to the supervising leaders of a key-supervision item. (The unit's own head is told by
  the workflow's escalation.)
"""

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.accounts.roles import Role
from lvzhi.notify.services import notify
from lvzhi.workflow.models import Deadline
from lvzhi.workflow.selectors import users_with_roles

from .models import Assignment, Proposal
from .selectors import office_people
from .services import record_missing_evaluation
from .workflows import CO_FLOW, EVALUATE, LEAD_FLOW, OPINION, PROPOSAL_FLOW, REPLY

logger = logging.getLogger("lvzhi.proposals")
BATCH = 500


def record_missing_evaluations(now=None) -> int:
    now = now or timezone.now()
    ct = ContentType.objects.get_for_model(Proposal)
    ids = list(
        Deadline.objects.filter(
            content_type=ct, workflow=PROPOSAL_FLOW.name, kind=EVALUATE, met_at__isnull=True, due_at__lte=now
        ).values_list("object_id", flat=True)[:BATCH]
    )
    done = 0
    for pk in ids:
        if record_missing_evaluation(proposal=Proposal(pk=pk), now=now) is not None:
            done += 1
    return done


def escalate_to_office(now=None) -> int:
    now = now or timezone.now()
    ct = ContentType.objects.get_for_model(Assignment)
    overdue = Deadline.objects.filter(
        content_type=ct,
        workflow__in=[LEAD_FLOW.name, CO_FLOW.name],
        kind__in=[REPLY, OPINION],
        met_at__isnull=True,
        due_at__lte=now,
    ).values("object_id")
    ids = list(
        Assignment.objects.filter(
            pk__in=overdue, status=Assignment.Status.HANDLING, office_escalated_at__isnull=True
        ).values_list("pk", flat=True)[:BATCH]
    )
    return sum(_escalate(pk, now) for pk in ids)


def _escalate(pk: int, now) -> bool:
    with transaction.atomic():
        claimed = Assignment.objects.filter(pk=pk, office_escalated_at__isnull=True).update(office_escalated_at=now)
        if not claimed:
            return False
        assignment = Assignment.objects.select_related("unit", "proposal__office", "proposal__body").get(pk=pk)
        proposal = assignment.proposal
        recipients = office_people(proposal)
        if proposal.key_supervision:
            if proposal.supervising_leader_id:
                recipients.append(proposal.supervising_leader)
            else:
                recipients += users_with_roles(proposal.body, [Role.LEADER])
        notify(
            recipients,
            title=_("Overdue at %(unit)s: %(title)s") % {"unit": assignment.unit.name, "title": proposal.title},
            body=_("The unit's time limit has passed without a reply or opinion."),
            link=PROPOSAL_FLOW.link(proposal),
            event="proposals.assignment.overdue",
            obj=proposal,
        )
        return True
