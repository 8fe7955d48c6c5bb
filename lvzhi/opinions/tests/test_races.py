"""Concurrency on PostgreSQL (等保 level 3, issue 11): two clerks of the committee office take the same new report
at the same moment — both accept it, or one accepts while the other forwards it to the hotline. The row lock
(`select_for_update` in the services' `_lock`) lets exactly one win; the other gets Conflict (HTTP 409) and the
history and the audit log have one event. SQLite serialises writers itself: skipped there."""

import threading

import pytest
from django.db import connection

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict
from lvzhi.opinions import services
from lvzhi.opinions.models import Report
from lvzhi.workflow.models import WorkflowEvent

from .conftest import submit

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
            assert exc.status == 409
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def _events(report, *transitions):
    return WorkflowEvent.objects.filter(object_id=report.pk, transition__in=transitions).count()


@pytest.mark.req("S0-16", "S2-34")
def test_two_clerks_accept_the_same_report_at_once_exactly_one_wins(w):
    report = submit(w)
    outcomes = race(
        lambda: services.accept_report(actor=w.staff, report=Report.objects.get(pk=report.pk), note="甲受理"),
        lambda: services.accept_report(actor=w.staff2, report=Report.objects.get(pk=report.pk), note="乙受理"),
    )
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    assert _events(report, "accept") == 1
    assert AuditEvent.objects.filter(event="opinions.report.accept").count() == 1


@pytest.mark.req("S0-16", "S2-34")
def test_one_clerk_returns_while_another_forwards_to_the_hotline_exactly_one_wins(w):
    """Returning to the member and forwarding to the hotline exclude each other (neither is possible after the
    other): of two clerks acting at once exactly one succeeds, the other gets 409, one event and one audit row."""
    report = submit(w)
    outcomes = race(
        lambda: services.return_report(actor=w.staff, report=Report.objects.get(pk=report.pk), reason="请补充地址"),
        lambda: services.forward_to_hotline(actor=w.staff2, report=Report.objects.get(pk=report.pk)),
    )
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    assert _events(report, "return", "forward") == 1
    audited = AuditEvent.objects.filter(event__in=["opinions.report.return", "opinions.report.forward"])
    assert audited.count() == 1
    assert Report.objects.get(pk=report.pk).status in (Report.Status.RETURNED, Report.Status.AT_HOTLINE)


@pytest.mark.req("S0-16", "S2-34")
def test_accept_and_forward_at_once_are_serialised(w):
    """Accepting and forwarding may both happen (forwarding an accepted report is a step of its own), but one after
    the other: whichever order the row lock gives, the report ends at the hotline and every success left exactly one
    event and one audit row: no lost update, no step taken from a state it did not see."""
    report = submit(w)
    outcomes = race(
        lambda: services.accept_report(actor=w.staff, report=Report.objects.get(pk=report.pk)),
        lambda: services.forward_to_hotline(actor=w.staff2, report=Report.objects.get(pk=report.pk)),
    )
    successes = outcomes.count("ok")
    assert successes in (1, 2) and len(outcomes) == 2, outcomes
    assert _events(report, "accept", "forward") == successes
    audited = AuditEvent.objects.filter(event__in=["opinions.report.accept", "opinions.report.forward"])
    assert audited.count() == successes
    assert Report.objects.get(pk=report.pk).status == Report.Status.AT_HOTLINE
