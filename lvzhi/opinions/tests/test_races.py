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
def test_one_clerk_accepts_while_another_forwards_to_the_hotline_exactly_one_wins(w):
    report = submit(w)
    outcomes = race(
        lambda: services.accept_report(actor=w.staff, report=Report.objects.get(pk=report.pk)),
        lambda: services.forward_to_hotline(actor=w.staff2, report=Report.objects.get(pk=report.pk)),
    )
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    assert _events(report, "accept", "forward") == 1
    assert AuditEvent.objects.filter(event__in=["opinions.report.accept", "opinions.report.forward"]).count() == 1
    status = Report.objects.get(pk=report.pk).status
    assert status in (Report.Status.ACCEPTED, Report.Status.AT_HOTLINE)
