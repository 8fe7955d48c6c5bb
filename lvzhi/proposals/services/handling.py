"""Handling by the units: contacts with the proposer and co-handling opinions."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.core.timeutil import local_date
from lvzhi.notify.services import notify
from lvzhi.workflow.services import transition

from .. import permissions as perm
from ..models import Assignment, Contact
from ..workflows import CO_FLOW, flow_for
from .common import NOTE_MAX, OPINION_MAX, A, _clean, _link, unit_people


def _locked_assignment(assignment: Assignment) -> Assignment:
    locked = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal__body", "proposal__office", "unit")
        .filter(pk=assignment.pk)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def _may_see_assignment(actor, assignment) -> bool:
    return perm.works_at(actor, assignment.unit) or perm.is_office(actor, assignment.proposal)


@transaction.atomic
def record_contact(*, actor, assignment: Assignment, method: str, contacted_on: dt.date, note: str) -> Contact:
    """The unit records how and when it contacted the proposer (before the reply, within 15 working days)."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.status != A.HANDLING:
        raise Conflict(_("This unit's handling has ended."), code="transition_not_allowed")
    if method not in Contact.Method.values:
        raise ValidationFailed(_("Choose how the proposer was contacted."), code="contact_method")
    if not isinstance(contacted_on, dt.date):
        raise ValidationFailed(_("Enter the date of the contact."), code="contact_date")
    if contacted_on > local_date() or contacted_on < timezone.localtime(assignment.assigned_at).date():
        raise ValidationFailed(_("The contact date must lie between the assignment and today."), code="contact_date")
    note = _clean(note, limit=NOTE_MAX, code="note", required_message=_("Say briefly what was discussed."))
    contact = Contact.objects.create(
        assignment=assignment, method=method, contacted_on=contacted_on, note=note, recorded_by=actor
    )
    changes = {} if assignment.contacted_at else {"contacted_at": timezone.now()}
    transition(
        assignment,
        "contact",
        actor=actor,
        workflow=flow_for(assignment),
        comment=note,
        data={"method": method, "date": contacted_on.isoformat()},
        changes=changes,
    )
    return contact


@transaction.atomic
def send_opinion(*, actor, assignment: Assignment, opinion: str) -> Assignment:
    """A co-handling unit sends its opinion to the lead unit (协办意见)."""
    assignment = _locked_assignment(assignment)
    if not perm.works_at(actor, assignment.unit):
        raise NotFound()
    if assignment.role != Assignment.Role.CO:
        raise ValidationFailed(_("Only co-handling units send opinions; the lead unit replies."), code="not_co")
    opinion = _clean(
        opinion, limit=OPINION_MAX, code="opinion", multiline=True, required_message=_("Write the opinion.")
    )
    done = transition(
        assignment,
        "send_opinion",
        actor=actor,
        workflow=CO_FLOW,
        changes={"opinion": opinion, "opinion_at": timezone.now(), "opinion_by": actor},
        audit_after={"length": len(opinion)},
    )
    lead = assignment.proposal.assignments.filter(role=Assignment.Role.LEAD, status=A.HANDLING).first()
    if lead is not None:
        notify(
            unit_people(lead.unit),
            title=_("Co-handling opinion from %(unit)s: %(title)s")
            % {"unit": assignment.unit.name, "title": assignment.proposal.title},
            link=_link(assignment.proposal),
            event="proposals.assignment.opinion",
            obj=assignment.proposal,
        )
    return done
