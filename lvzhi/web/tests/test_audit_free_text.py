"""Finding 6 (三员): the audit rows a scenario across the modules writes carry references, codes, states and lengths
— never the free text people typed (titles, contents, notes, reasons, questions, answers, list names, terms).

Every free text below carries a marker; the test scans every audit row written by the scenario for it.
"""

import datetime as dt
import json

import pytest

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.audit.services import record
from lvzhi.datachange import services as datachange
from lvzhi.opinions import services as opinions
from lvzhi.opinions.tests.conftest import build_world
from lvzhi.screening import services as screening
from lvzhi.screening.models import ListKind
from lvzhi.testing import make_user
from lvzhi.workdays import services as workdays

MARK = "甲乙丙标记"


def leaks_since(first_id):
    found = []
    for event in AuditEvent.objects.filter(id__gt=first_id).order_by("id"):
        text = event.object_repr + json.dumps([event.before, event.after], ensure_ascii=False)
        if MARK in text:
            found.append((event.event, text))
    return found


@pytest.mark.req("S2-34", "S0-4")
@pytest.mark.django_db
def test_a_scenario_across_modules_writes_no_free_text_into_the_audit_log():
    w = build_world()
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    # opinions: draft, submit, accept with a note, a transfer with its reason, a return
    report = opinions.create_report(
        actor=w.member,
        title=f"东湖路{MARK}红绿灯",
        content=f"东湖路与长江路交叉口的红绿灯坏了{MARK}，早晚高峰拥堵严重，建议尽快修复并增设协管员。",
        category="sudden_problem",
        location=f"东湖区{MARK}",
        co_reporter_ids=[],
        submit=True,
    )
    report = opinions.accept_report(actor=w.staff, report=report, note=f"受理意见{MARK}")
    other = opinions.create_report(
        actor=w.member,
        title="社区停车难",
        content="社区停车位严重不足，夜间车辆占用消防通道，建议规划建设立体停车场并加强管理。",
        category="sudden_problem",
        location="东湖区",
        co_reporter_ids=[],
        submit=True,
    )
    opinions.transfer_report(actor=w.staff, report=other, to_committee=w.social, reason=f"属社法委职责{MARK}")
    third = opinions.create_report(
        actor=w.member,
        title="老旧小区加装电梯",
        content="老旧小区居民多为老年人，上下楼困难，建议简化加装电梯审批流程并给予财政补贴支持。",
        category="sudden_problem",
        location="东湖区",
        co_reporter_ids=[],
        submit=True,
    )
    opinions.return_report(actor=w.staff, report=third, reason=f"材料不全{MARK}")

    # screening: a list and its terms (advert and secrecy)
    keeper = make_user(w.info, roles=[(Role.INFO_OFFICE, w.body)], real_name="信息化办负责人")
    adverts = screening.create_list(actor=keeper, name=f"广告词{MARK}", kind=ListKind.ADVERT, body=w.body)
    screening.add_term(actor=keeper, word_list=adverts, term=f"棋牌{MARK}")

    # the calendar's note, a data-change refusal (workflow steps of other modules)
    workdays.set_override(actor=w.sysadmin, day=dt.date(2031, 6, 10), is_workday=False, note=f"调休{MARK}")
    change = datachange.submit_data_change(
        actor=w.member, changes={"email": "new@example.cn"}, reason=f"工作调动{MARK}"
    )
    datachange.reject_data_change(actor=w.liaison_staff, request=change, reason=f"证明不全{MARK}")

    # and the safety net: a business module that still passed a note gets its length, not its text
    event = record("opinions.report.example", obj=report, after={"note": f"备注{MARK}", "reason": "idle"})
    assert event.after == {"note_length": len(f"备注{MARK}"), "reason": "idle"}

    events = AuditEvent.objects.filter(id__gt=start)
    assert events.count() > 10
    names = set(events.values_list("event", flat=True))
    assert {"opinions.report.accept", "opinions.report.transfer", "screening.list.create"} <= names, names
    assert any(n.startswith("screening.term") for n in names)
    assert any(n.startswith("accounts.datachange") for n in names)
    assert leaks_since(start) == []
