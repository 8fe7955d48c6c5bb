"""A leader's instruction (批示) on a public-opinion report, recorded as a step of the report (opinions step table and
INSTRUCTION_FLOW, audited), makes the author's automatic duty record; withdrawing or correcting the instruction is
followed by the duty record (a correcting record, audited). A leader of another body cannot instruct."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.duty import services
from lvzhi.duty.models import Record
from lvzhi.opinions import actions
from lvzhi.opinions import selectors as opinion_selectors
from lvzhi.opinions import services as opinions
from lvzhi.opinions.models import Instruction
from lvzhi.testing import PASSWORD, login, make_user
from lvzhi.workflow.models import WorkflowEvent

from .helpers import total

R = Record.Status
TEXT = "东湖路与长江路交叉口的红绿灯已经坏了一周，早晚高峰拥堵严重，行人过街很危险，建议尽快修复并增设协管员。"


def _report(w):
    report = opinions.create_report(
        actor=w.m1,
        title="红绿灯损坏",
        content=TEXT,
        category="sudden_problem",
        location="东湖区",
        co_reporter_ids=[],
        submit=True,
    )
    return opinions.accept_report(actor=w.econ_staff, report=report)


def _instructed(member):
    return Record.objects.filter(member=member, outcome="instructed")


def _review(w):
    for rec in Record.objects.filter(status=R.PENDING, unit=w.general):
        services.review_record(actor=w.gen_head, record=rec)


@pytest.mark.req("S3-6", "S3-9", "S0-20")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_a_leaders_instruction_earns_the_author_points_and_withdrawing_it_takes_them_back(w, client):
    report = _report(w)
    _review(w)
    before = total(w, w.m1)
    login(client, w.leader)
    page = client.get(f"/opinions/{report.pk}/").content.decode()
    assert 'data-action="instruct"' in page
    response = client.post(
        reverse("opinions:step", args=[report.pk, "instruct"]),
        {"level": "city", "day": "2026-06-11", "text": "请交通局会同公安交警部门抓紧修复。"},
    )
    assert response.status_code == 302
    item = Instruction.objects.get(report=report)
    assert (item.leader, item.level, str(item.day), item.recorded_by) == (w.leader, "city", "2026-06-11", w.leader)
    assert WorkflowEvent.objects.filter(
        workflow="opinions.instruction", object_id=item.pk, transition="record"
    ).exists()
    assert AuditEvent.objects.filter(event="opinions.report.instruct", object_id=str(report.pk)).count() == 1
    rec = _instructed(w.m1).get()
    assert (rec.kind, rec.unit, rec.status, rec.points) == ("opinion", w.general, R.PENDING, 10)
    assert rec.source_ref == f"opinions.instruction:{item.pk}#instruction"
    assert total(w, w.m1) == before  # counts once the general office's head reviewed it
    _review(w)
    assert total(w, w.m1) == before + 10
    detail = client.get(f"/opinions/{report.pk}/").content.decode()
    assert 'data-testid="instructions"' in detail and "请交通局会同公安交警部门抓紧修复。" in detail
    # The same leader cannot record a second standing instruction on the report.
    with pytest.raises(Conflict) as exc:
        opinions.instruct_report(actor=w.leader, report=report, level="city", day="2026-06-11", text="再次批示")
    assert exc.value.code == "instruction_exists"

    # Withdrawn: the counted record is cancelled by a correcting record; reviewed, the points are gone.
    actions.perform(actor=w.leader, report=report, name="withdraw_instruction", data={"instruction": item.pk})
    item.refresh_from_db()
    assert item.status == "withdrawn"
    cancellation = Record.objects.get(corrects=rec)
    assert (cancellation.outcome, cancellation.status) == ("cancelled", R.PENDING)
    assert AuditEvent.objects.filter(event="opinions.instruction.withdraw", object_id=str(item.pk)).count() == 1
    _review(w)
    rec.refresh_from_db()
    assert rec.status == R.SUPERSEDED and total(w, w.m1) == before


@pytest.mark.req("S3-6", "S3-9")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_the_office_records_an_instruction_for_a_named_leader_and_a_correction_replaces_it(w):
    with freeze_time("2026-06-04 10:00:00+08:00"):
        report = _report(w)
    item = opinions.instruct_report(
        actor=w.econ_staff, report=report, leader=w.leader.pk, level="city", day="2026-06-05", text="请研究。"
    )
    assert (item.leader, item.recorded_by) == (w.leader, w.econ_staff)
    first = _instructed(w.m1).get()
    assert str(first.day) == "2026-06-05"
    # Before review the correction withdraws the pending record and makes the new one, dated as corrected.
    new = opinions.correct_instruction(
        actor=w.econ_staff, instruction=item, level="provincial", day="2026-06-10", text="请抓紧研究落实。"
    )
    item.refresh_from_db()
    first.refresh_from_db()
    assert (item.status, new.corrects, new.level, new.leader) == ("corrected", item, "provincial", w.leader)
    assert first.status == R.WITHDRAWN
    live = _instructed(w.m1).filter(status=R.PENDING).get()
    assert (str(live.day), live.source_ref) == ("2026-06-10", f"opinions.instruction:{new.pk}#instruction")
    assert AuditEvent.objects.filter(event="opinions.report.instruct_correct", object_id=str(report.pk)).count() == 1
    assert [i.pk for i in opinion_selectors.recorded_instructions(report)] == [new.pk]


@pytest.mark.req("S3-6", "S3-10")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_who_may_instruct(w, client):
    report = _report(w)
    # A leader of another body does not even see the report, and cannot name themself through the office either.
    with pytest.raises(NotFound):
        opinion_selectors.access_report(w.leader_b2, report.pk)
    login(client, w.leader_b2)
    response = client.post(
        reverse("opinions:step", args=[report.pk, "instruct"]), {"level": "city", "day": "2026-06-11", "text": "批示"}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        opinions.instruct_report(actor=w.leader_b2, report=report, level="city", day="2026-06-11", text="批示")
    with pytest.raises(ValidationFailed) as exc:
        opinions.instruct_report(
            actor=w.econ_staff, report=report, leader=w.leader_b2.pk, level="city", day="2026-06-11", text="批示"
        )
    assert exc.value.code == "leader_invalid"
    # Members, the author and the three administrators cannot instruct; nothing is written.
    for user in (w.m2, w.m1, w.sysadmin):
        assert not actions.STEPS.get("instruct").available(user, report)
        with pytest.raises(PermissionDenied):
            opinions.instruct_report(actor=user, report=report, level="city", day="2026-06-11", text="批示")
    # Bad input: a Chinese message on the page, nothing written.
    login(client, w.leader)
    for data, code in (
        ({"level": "galactic", "day": "2026-06-11", "text": "批示"}, "level_invalid"),
        ({"level": "city", "day": "2026-06-12", "text": "批示"}, "day_invalid"),  # tomorrow
        ({"level": "city", "day": "2026-01-01", "text": "批示"}, "day_invalid"),  # before the report
        ({"level": "city", "day": "昨天", "text": "批示"}, "day_invalid"),
        ({"level": "city", "day": "2026-06-11", "text": ""}, "text"),
    ):
        response = client.post(reverse("opinions:step", args=[report.pk, "instruct"]), data)
        assert response.status_code == 400, (data, code)
        assert 'data-testid="step-error"' in response.content.decode()
    assert not Instruction.objects.exists() and not _instructed(w.m1).exists()
    # Another leader's instruction cannot be withdrawn by a leader who did not give it.
    item = opinions.instruct_report(actor=w.leader, report=report, level="city", day="2026-06-11", text="请研究。")
    other = make_user(w.body, roles=[Role.LEADER], real_name="副主席乙")
    assert not actions.STEPS.get("withdraw_instruction").available(other, report)
    with pytest.raises(PermissionDenied):
        opinions.withdraw_instruction(actor=other, instruction=item)
    # The API: the same step, a stable error code.
    token = client.post(
        "/api/v1/auth/token",
        {"phone": w.leader.phone, "password": PASSWORD, "device": "phone"},
        content_type="application/json",
    ).json()["token"]
    response = client.post(
        f"/api/v1/opinions/{report.pk}/steps/withdraw_instruction",
        {"instruction": 999999},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404 and response.json()["code"] == "not_found"
