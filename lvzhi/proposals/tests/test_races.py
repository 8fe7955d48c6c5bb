"""Concurrency on PostgreSQL (等保 level 3 probe, issue 11): every step two people can take at once on one item —
assign, send the reply, decide a unit's request — is taken once: one wins, the other gets Conflict, the history
has one event. (Accept is in test_rules.py.) SQLite serialises writers itself: skipped there."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict
from lvzhi.proposals import services
from lvzhi.proposals.models import Assignment, Contact, Proposal, UnitRequest
from lvzhi.testing import make_user
from lvzhi.workflow.models import WorkflowEvent

from .conftest import accepted, assigned, lead_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor == "sqlite", reason="row locks need PostgreSQL"),
]


def race(*calls) -> list[str]:
    """Run the calls in threads released at the same moment; 'ok' or the Conflict code of each, sorted."""
    barrier = threading.Barrier(len(calls))
    outcomes = []

    def run(call):
        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def _events(obj, transition):
    workflow = "proposals.proposal" if isinstance(obj, Proposal) else f"proposals.{obj.role}"
    return WorkflowEvent.objects.filter(workflow=workflow, object_id=obj.pk, transition=transition).count()


@pytest.mark.req("S4-2.2.4", "S2-34")
def test_two_clerks_assign_at_the_same_moment_exactly_one_wins(w):
    p = accepted(w)
    outcomes = race(
        lambda: services.assign(actor=w.clerk, proposal=Proposal.objects.get(pk=p.pk), lead_unit=w.unit_a),
        lambda: services.assign(actor=w.clerk2, proposal=Proposal.objects.get(pk=p.pk), lead_unit=w.unit_c),
    )
    assert outcomes[0] == "ok" and outcomes[1] != "ok" and len(outcomes) == 2
    assert _events(p, "assign") == 1
    assert Assignment.objects.filter(proposal=p, role=Assignment.Role.LEAD).count() == 1
    assert AuditEvent.objects.filter(event="proposals.proposal.assign").count() == 1


@pytest.mark.req("S4-2.2.4", "S2-34")
def test_two_unit_staff_send_the_reply_at_the_same_moment_it_goes_once(w):
    staff2 = make_user(w.unit_a, roles=[Role.HANDLING], real_name="住建局二")
    p = assigned(w, co=False)
    lead = lead_of(p)
    services.record_contact(
        actor=w.lead_staff, assignment=lead, method=Contact.Method.PHONE, contacted_on=timezone.localdate(), note="电话"
    )
    reply = services.save_reply(actor=w.lead_staff, assignment=lead, content="答复如下", classification="B")
    reply = services.sign_off_reply(actor=w.lead_head, reply=reply)
    outcomes = race(
        lambda: services.send_reply(actor=w.lead_staff, reply=reply),
        lambda: services.send_reply(actor=staff2, reply=reply),
    )
    assert outcomes[0] == "ok" and outcomes[1] != "ok" and len(outcomes) == 2
    assert _events(lead, "reply") == 1
    assert AuditEvent.objects.filter(event="proposals.lead.reply").count() == 1
    assert Proposal.objects.get(pk=p.pk).status == Proposal.Status.REPLIED


@pytest.mark.req("S4-2.2.4", "S2-34")
def test_two_clerks_decide_one_request_at_the_same_moment_exactly_one_wins(w):
    p = assigned(w, co=False)
    lead = lead_of(p)
    request = services.request_extension(
        actor=w.lead_staff, assignment=lead, until=timezone.localdate() + dt.timedelta(days=120), reason="情况复杂"
    )
    outcomes = race(
        lambda: services.decide_request(actor=w.clerk, request=request, approve=True),
        lambda: services.decide_request(actor=w.clerk2, request=request, approve=False, note="不同意"),
    )
    assert outcomes == ["ok", "request_decided"]
    assert UnitRequest.objects.get(pk=request.pk).status != UnitRequest.Status.PENDING
    approved = UnitRequest.objects.get(pk=request.pk).status == UnitRequest.Status.APPROVED
    assert _events(lead, "extend") == (1 if approved else 0)  # the losing decision left no trace
    assert AuditEvent.objects.filter(event__in=["proposals.request.approve", "proposals.request.reject"]).count() == 1
