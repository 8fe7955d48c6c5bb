"""Automatic records (S3-6, S3-7, S0-20): created from what the platform knows, linked to their source, following
its changes (audited), reviewed by the entering unit's head like any other record; `lvzhi duty sync` rebuilds."""

import io

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from lvzhi.audit.models import AuditEvent
from lvzhi.duty import services
from lvzhi.duty.models import Record
from lvzhi.opinions import services as opinions
from lvzhi.proposals import services as proposals

from .helpers import total

R = Record.Status
TEXT = "东湖路与长江路交叉口的红绿灯已经坏了一周，早晚高峰拥堵严重，行人过街很危险，建议尽快修复并增设协管员。"


def _live(source_ref):
    """The records that stand for the source now (a counted cancellation only closes what it corrected)."""
    qs = Record.objects.filter(source_ref=source_ref, status__in=["pending", "counted"]).exclude(outcome="cancelled")
    return {r.outcome: r for r in qs}


def _review_all(w, head):
    for rec in Record.objects.filter(status=R.PENDING, unit__in=[w.general, w.proposals]):
        services.review_record(actor=head if rec.unit_id == w.general.pk else w.prop_head, record=rec)


@pytest.mark.req("S3-6", "S3-7")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_an_automatic_record_follows_its_public_opinion_report(w):
    report = opinions.create_report(
        actor=w.m1,
        title="红绿灯损坏",
        content=TEXT,
        category="sudden_problem",
        location="东湖区",
        co_reporter_ids=[],
        submit=True,
    )
    ref = f"opinions.report:{report.pk}"
    live = _live(ref)
    assert set(live) == {"submitted"}
    assert (live["submitted"].unit, live["submitted"].source, live["submitted"].status) == (
        w.general,
        "auto",
        R.PENDING,
    )
    assert total(w, w.m1) == 0  # not counted before the general office's head reviews it
    _review_all(w, w.gen_head)
    assert total(w, w.m1) == 10
    opinions.accept_report(actor=w.econ_staff, report=report)
    opinions.set_notable(actor=w.econ_staff, report=report, notable=True)  # adopted for the monthly digest
    assert set(_live(ref)) == {"submitted", "accepted", "adopted"}
    _review_all(w, w.gen_head)
    assert total(w, w.m1) == 15  # 10 + adopted 5
    # The report is no longer adopted: a cancelling correction, reviewed, supersedes the archived record.
    opinions.set_notable(actor=w.econ_staff, report=report, notable=False)
    cancel = Record.objects.get(source_ref=ref, outcome="cancelled")
    assert cancel.status == R.PENDING and cancel.corrects.outcome == "adopted" and total(w, w.m1) == 15
    _review_all(w, w.gen_head)
    assert set(_live(ref)) == {"submitted", "accepted"} and total(w, w.m1) == 10
    assert Record.objects.get(pk=cancel.corrects_id).status == R.SUPERSEDED
    # Adopted again: a new record; the history keeps all of them.
    opinions.set_notable(actor=w.econ_staff, report=report, notable=True)
    _review_all(w, w.gen_head)
    assert total(w, w.m1) == 15
    assert Record.objects.filter(source_ref=ref).count() == 5
    assert (
        AuditEvent.objects.filter(event="duty.source.sync", after__source=ref).count() == 5
    )  # submit, accept, adopt, un-adopt, adopt
    # The sync command changes nothing when everything follows its source.
    out = io.StringIO()
    call_command("duty", "sync", "--year", "2026", stdout=out)
    assert "'created': 0" in out.getvalue() and Record.objects.filter(source_ref=ref).count() == 5


@pytest.mark.req("S3-6")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_a_withdrawn_report_or_proposal_loses_its_points(w):
    report = opinions.create_report(
        actor=w.m2,
        title="路灯",
        content=TEXT,
        category="sudden_problem",
        location="东湖区",
        co_reporter_ids=[],
        submit=True,
    )
    opinions.withdraw_report(actor=w.m2, report=report)  # before review: the pending record is withdrawn
    assert list(Record.objects.filter(source_ref=f"opinions.report:{report.pk}").values_list("status", flat=True)) == [
        "withdrawn"
    ]
    item = proposals.create_draft(
        actor=w.m1, body=w.body, kind="proposal", title="关于加快老旧小区改造的提案", content=TEXT, category="经济建设"
    )
    item = proposals.submit(actor=w.m1, proposal=item)
    ref = f"proposals.proposal:{item.pk}"
    assert _live(ref)["submitted"].unit == w.proposals
    _review_all(w, w.gen_head)
    assert total(w, w.m1) == 10
    proposals.withdraw(actor=w.m1, proposal=item)
    cancel = Record.objects.get(source_ref=ref, outcome="cancelled")
    services.review_record(actor=w.prop_head, record=cancel)
    assert total(w, w.m1) == 0 and _live(ref) == {}


@pytest.mark.req("S0-20")
def test_platform_activity_becomes_points_with_a_cap(w):
    from lvzhi.content import services as content
    from lvzhi.content.models import Column

    content.ensure_default_columns(body=w.body)
    column = Column.objects.filter(body=w.body).first()
    column.owners.add(w.general)
    with freeze_time("2026-05-10 10:00:00+08:00"):
        for i in range(25):
            article = content.create_draft(
                actor=None, column=column, title=f"学习材料{i}", body_html="<p>学习内容。</p>", unit=w.general
            )
            content.record_activity(actor=w.m1, kind="read", article=article)
            if i < 3:
                content.record_activity(actor=w.m1, kind="favourite", article=article)
    with freeze_time("2026-06-02 10:00:00+08:00"):
        stats = services.sync_activity(body=w.body, member=w.m1, year=2026, month=5)
        assert stats["created"] == 2
        live = _live(f"platform:{w.body.pk}:2026-05")
        assert (live["reading"].quantity, live["favourite"].quantity, live["reading"].unit) == (25, 3, w.liaison)
        for rec in live.values():
            services.review_record(actor=w.liaison_head, record=rec)
        assert total(w, w.m1) == 20  # 25 + 3 points, at most 20 a year from platform activity
        assert services.sync_activity(body=w.body, member=w.m1, year=2026, month=5)["created"] == 0
