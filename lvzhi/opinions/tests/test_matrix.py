"""The permission matrix of a public-opinion report's steps: every role × every step × every state, including
another committee's office, the hotline, the body's leader, the administrators and another body's people.

The expected table below is written by hand from the rules (S0-15 who handles a member's report, S0-16 the
office's and the hotline's steps and transfers, S0-16.2 verification, S0-16.3 rating, S0-17 topics and
proposals, S0-18 notable reports, leaders' instructions), not from `actions.py` or `workflows.py`. For each cell
where the step is allowed, the step is offered on the page and in the API and succeeds through both doors (the
page's form and `POST /api/v1/opinions/{id}/steps/{name}`); where it is not, both doors give the same refusal —
not found for whoever cannot see the report — and the report stays as it was."""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import ApplicationError
from lvzhi.opinions import actions, selectors, services
from lvzhi.opinions.models import Instruction, Report, TopicRequest
from lvzhi.opinions.permissions import may_view
from lvzhi.testing import login

from .conftest import submit

ROLES = [
    "member",  # the author
    "co",  # a co-reporter
    "other_member",  # another member of the same committee
    "staff",  # the office of the econ committee, which handles the report (until it is transferred)
    "head",  # the econ committee's office head
    "social_staff",  # the office of the social committee (the report is transferred there)
    "social_head",
    "liaison_staff",  # the members' liaison office: not this report's office
    "hotline",  # the members' hotline
    "leader",  # the body's leader
    "sysadmin",  # the administrators: no business content
    "staff_b2",  # another body (its head and hotline: the test after this one)
    "leader_b2",
    "member_b2",
]
STATES = [
    "draft",
    "submitted",
    "returned",
    "withdrawn",
    "accepted",
    "topic_pending",  # accepted, the office asked its head for a deliberation topic
    "instructed",  # accepted, the body's leader gave an instruction (批示)
    "handling",  # the committee handles it itself
    "transferred",  # to the social committee
    "return_pending",  # the social committee asked its head to send it back
    "at_hotline",
    "verifying",  # the hotline asked the office to verify; the office asked the member, who has not answered
    "hotline_done",
    "answered",
    "answered_late",  # answered, and the member let the rating period pass
    "closed",
]

# ---- the expected table, by hand ----------------------------------------------------------------------------------

TRANSFERRED = {"transferred", "return_pending"}
ACCEPTED = {"accepted", "topic_pending", "instructed"}
WITH_THE_HOTLINE = {"at_hotline", "verifying", "hotline_done", "answered", "answered_late", "closed"}
# The report is with the offices from its submission on, unless sent back to the member or withdrawn.
LIVE = set(STATES) - {"draft", "returned", "withdrawn"}


def office_staff(state) -> set:
    """The office handling the report now: the competent committee's once it is transferred."""
    return {"social_staff"} if state in TRANSFERRED else {"staff"}


def office_head(state) -> set:
    return {"social_head"} if state in TRANSFERRED else {"head"}


def allowed(step, state) -> set:
    """Who may take `step` on a report in `state`."""
    staff, head = office_staff(state), office_head(state)
    if step == "update":  # whoever handles it now posts handling updates for the member
        return {"hotline"} if state in ("at_hotline", "verifying") else staff if state == "handling" else set()
    who, states = _who_and_when(staff, head)[step]  # a KeyError: a step the table forgot
    return who if state in states else set()


def _who_and_when(staff, head) -> dict:
    """step: (who may take it, in which states); `staff` and `head` are the office handling the report now."""
    office = {
        # the office passes the report on (S0-16, S0-16.1)
        "accept": {"submitted"},
        "forward": {"submitted"} | ACCEPTED,
        "handle": {"submitted"} | ACCEPTED,
        "return": {"submitted"} | ACCEPTED,
        "transfer": {"submitted", "handling"} | ACCEPTED,
        # verification (S0-16.2): the office answers the hotline and may ask the member
        "ask_member": {"verifying", "handling"},
        "verified": {"verifying"},
        # the office passes the result on to the member (S0-16.3)
        "answer": {"hotline_done", "handling"},
        "close": {"answered_late"},
        # deliberation topics (S0-17): the office asks, one request a report
        "topic": LIVE - {"topic_pending"},
    }
    table = {step: (staff, states) for step, states in office.items()}
    # the receiving office takes it or asks to send it back; its head decides, also without being asked
    table["accept_transfer"] = table["request_return"] = ({"social_staff"}, {"transferred"})
    table["return_transfer"] = ({"social_head"}, TRANSFERRED)
    table["keep_transfer"] = ({"social_head"}, {"return_pending"})
    table["ask_verification"] = table["hotline_result"] = ({"hotline"}, {"at_hotline"})
    table["answer_question"] = ({"member"}, {"verifying"})
    table["rate"] = ({"member"}, {"answered", "answered_late"})
    table["withdraw"] = ({"member"}, {"submitted", "returned"})
    # S0-18 digest marks, S0-17 proposals: the office and its head
    table["notable"] = table["proposal"] = (staff | head, LIVE)
    table["approve_topic"] = table["reject_topic"] = (head, {"topic_pending"})
    # the leader, or the office for the leader; one instruction a leader (here: already given)
    table["instruct"] = ({"leader"} | staff | head, LIVE - {"instructed"})
    # the instruction's leader or the office
    table["correct_instruction"] = table["withdraw_instruction"] = ({"leader"} | staff | head, {"instructed"})
    return table


def offers(step, state) -> set:
    """Who is offered `step`: who may take it, and in one case more. Once a leader's instruction is recorded the
    office may still record another leader's (here the inputs name the same leader, so that is a conflict); the
    leader is not offered a second one of their own."""
    if (step, state) == ("instruct", "instructed"):
        return office_staff(state) | office_head(state)
    return allowed(step, state)


def sees(state) -> set:
    """Who reads the report (S0-4, S0-15): the author alone while a draft; then the author, the co-reporters, the
    handling office, the office that transferred it, the hotline once it has it, and the body's leader."""
    if state == "draft":
        return {"member"}
    seen = {"member", "co", "leader"} | office_staff(state) | office_head(state)
    if state in TRANSFERRED:
        seen |= {"staff", "head"}
    if state in WITH_THE_HOTLINE:
        seen.add("hotline")
    return seen


# The step's party: whose step it is, whatever the state. For them a step out of its state is a conflict (409);
# for anyone else who sees the report it is forbidden (403).
def party(step, state) -> set:
    staff, head = office_staff(state), office_head(state)
    if step in ("return_transfer", "keep_transfer", "approve_topic", "reject_topic"):
        return head
    if step in ("ask_verification", "hotline_result"):
        return {"hotline"} & sees(state)
    if step == "update":  # while handled, the handler's alone; otherwise anyone who handles it: not now
        handler = {"at_hotline": {"hotline"}, "verifying": {"hotline"}, "handling": staff}
        return handler.get(state, staff | ({"hotline"} & sees(state)))
    if step in ("answer_question", "rate", "withdraw"):
        return {"member"}
    if step in ("notable", "proposal"):
        return staff | head
    if step == "instruct":  # not on a report sent back to the member or withdrawn: nobody's step then
        return {"leader"} | staff | head if state in LIVE else set()
    if step in ("correct_instruction", "withdraw_instruction"):
        return {"leader"} | staff | head
    return staff


# Steps on a thing the report does not have (a pending topic, a recorded instruction) find nothing: not found.
NEEDS = {
    "approve_topic": {"topic_pending"},
    "reject_topic": {"topic_pending"},
    "correct_instruction": {"instructed"},
    "withdraw_instruction": {"instructed"},
}


def refusal(role, step, state) -> int:
    if role not in sees(state) or (step in NEEDS and state not in NEEDS[step]):
        return 404
    return 409 if role in party(step, state) else 403


# ---- the world --------------------------------------------------------------------------------------------------


def make_state(w, state) -> Report:
    if state == "draft":
        return services.create_report(
            actor=w.member, title="草稿", content="还没写完", category="", co_reporter_ids=[w.co.pk]
        )
    report = submit(w, co=[w.co])
    steps = {
        "returned": lambda r: services.return_report(actor=w.staff, report=r, reason="请补充"),
        "withdrawn": lambda r: services.withdraw_report(actor=w.member, report=r, reason=""),
        "accepted": lambda r: services.accept_report(actor=w.staff, report=r),
        "handling": lambda r: services.handle_in_committee(actor=w.staff, report=r),
        "transferred": lambda r: services.transfer_report(
            actor=w.staff, report=r, to_committee=w.social, reason="属于社会和法制委员会职责"
        ),
        "at_hotline": lambda r: services.forward_to_hotline(actor=w.staff, report=r),
    }
    base = {
        "topic_pending": "accepted",
        "instructed": "accepted",
        "return_pending": "transferred",
        "verifying": "at_hotline",
        "hotline_done": "at_hotline",
        "answered": "at_hotline",
        "answered_late": "at_hotline",
        "closed": "at_hotline",
    }.get(state, state)
    if base != "submitted":
        report = steps[base](report)
    if state == "topic_pending":
        services.request_topic(actor=w.staff, report=report, title="交通信号灯维护", summary="群众关注")
    elif state == "instructed":
        services.instruct_report(
            actor=w.leader, report=report, level="city", day=timezone.localdate().isoformat(), text="请抓紧办理"
        )
    elif state == "return_pending":
        report = services.request_transfer_return(actor=w.social_staff, report=report, reason="不属于本委职责")
    elif state == "verifying":
        report = services.ask_verification(actor=w.hotline, report=report, question="请核实具体位置")
        services.ask_member(actor=w.staff, report=report, question="具体位置是？")
    elif state in ("hotline_done", "answered", "answered_late", "closed"):
        report = services.report_hotline_result(actor=w.hotline, report=report, result="已修复")
        if state != "hotline_done":
            report = services.answer_member(actor=w.staff, report=report, answer="已修复")
        if state == "answered_late":
            Report.objects.filter(pk=report.pk).update(answered_at=timezone.now() - timezone.timedelta(days=60))
        if state == "closed":
            services.rate_report(actor=w.member, report=report, level="satisfied")
    report = Report.objects.get(pk=report.pk)
    assert report.status == {
        "topic_pending": "accepted",
        "instructed": "accepted",
        "answered_late": "answered",
    }.get(state, state), (state, report.status)
    return report


def inputs(w, step, report) -> dict:
    """Valid inputs of each step, the same for the page's form and the API's body."""
    other = w.econ if report.committee_id == w.social.pk else w.social
    today = timezone.localdate().isoformat()
    instruction = Instruction.objects.filter(report=report, status="recorded").first()
    instruction_id = instruction.pk if instruction else 0
    return {
        "accept": {"category": "sudden_problem", "text": "受理"},
        "forward": {"category": "sudden_problem", "text": ""},
        "handle": {"category": "sudden_problem", "text": ""},
        "transfer": {"committee": other.pk, "text": "请对口委员会办理"},
        "return": {"text": "请补充"},
        "accept_transfer": {"text": ""},
        "request_return": {"text": "不属于本委职责"},
        "return_transfer": {"text": "请原委员会办理"},
        "keep_transfer": {"text": ""},
        "ask_verification": {"text": "请核实位置"},
        "ask_member": {"text": "具体是哪个路口？"},
        "answer_question": {"text": "北侧路口"},
        "verified": {"text": "已核实"},
        "update": {"text": "正在处理"},
        "hotline_result": {"text": "已修复"},
        "answer": {"text": "已修复"},
        "rate": {"level": "satisfied", "text": ""},
        "close": {"text": "超期未评价"},
        "withdraw": {"text": ""},
        "notable": {},
        "topic": {"title": "交通信号灯维护", "text": "群众关注"},
        "approve_topic": {"text": ""},
        "reject_topic": {"text": ""},
        "proposal": {"text": ""},
        "instruct": {"leader": w.leader.pk, "level": "city", "day": today, "text": "请抓紧办理"},
        "correct_instruction": {
            "instruction": instruction_id,
            "leader": w.leader.pk,
            "level": "city",
            "day": today,
            "text": "请尽快办理并反馈",
        },
        "withdraw_instruction": {"instruction": instruction_id, "text": "误记"},
    }[step]


def trace(report) -> tuple:
    """What any step leaves behind: the state, the audit trail (every step is audited), the marks."""
    stored = Report.objects.get(pk=report.pk)
    topics = tuple(TopicRequest.objects.filter(report=report).values_list("status", flat=True))
    instructions = tuple(Instruction.objects.filter(report=report).values_list("status", flat=True))
    steps = AuditEvent.objects.filter(event__startswith="opinions.").count()  # not the refusals' security log
    return (stored.status, stored.is_notable, stored.proposal_id, topics, instructions, steps)


def offered(user, report, step) -> bool:
    fresh = Report.objects.get(pk=report.pk)
    return may_view(user, fresh) and step in {s.name for s in actions.available_actions(user, fresh)}


def api_post(client, report, step, data):
    response = client.post(
        f"/api/v1/opinions/{report.pk}/steps/{step}", json.dumps(data), content_type="application/json"
    )
    return response.status_code, response.json()


STEPS = actions.STEPS.names()


def test_the_table_covers_every_step():
    assert sorted(STEPS) == sorted(
        ["accept", "forward", "handle", "transfer", "return", "accept_transfer", "request_return", "return_transfer",
         "keep_transfer", "ask_verification", "ask_member", "answer_question", "verified", "update", "hotline_result",
         "answer", "rate", "close", "withdraw", "notable", "topic", "approve_topic", "reject_topic", "proposal",
         "instruct", "correct_instruction", "withdraw_instruction"]
    )  # fmt: skip


def dispatch(user, report, step, data) -> int:
    """What both doors do after parsing (`selectors.access_report`, then the step table), as a status."""
    try:
        actions.perform(actor=user, report=selectors.access_report(user, report.pk), name=step, data=data)
    except ApplicationError as exc:
        return exc.status
    return 200


def through_both_doors(client, report, step, data, before) -> tuple:
    """(API status, API changed anything, page status, page changed anything), each rolled back."""
    with transaction.atomic():
        status, answer = api_post(client, report, step, data)
        api_changed = trace(report) != before
        transaction.set_rollback(True)
    with transaction.atomic():
        page = client.post(reverse("opinions:step", args=[report.pk, step]), data)
        page_changed = trace(report) != before
        transaction.set_rollback(True)
    return (status, api_changed, page.status_code, page_changed), answer


@pytest.mark.django_db
@pytest.mark.req("S0-4", "S0-15", "S0-16", "S0-16.1", "S0-16.2", "S0-16.3", "S0-17", "S0-18")
@pytest.mark.parametrize("state", STATES)
def test_role_by_step_by_state(w, state):
    """Every cell through the step dispatch both doors share; every allowed cell through the API and the page
    (the step succeeds through each); for every role, its first refused step of the state through both doors too
    (the same refusal on the page, in the API, and in the dispatch)."""
    report = make_state(w, state)
    before = trace(report)
    wrong = {}
    for role in ROLES:
        user = getattr(w, role)
        client = None
        door_checked = False
        for step in STEPS:
            may = allowed(step, state)
            data = inputs(w, step, report)
            if offered(user, report, step) != (role in offers(step, state)):
                wrong[(step, role)] = ("offered", role in offers(step, state))
            expected = 200 if role in may else refusal(role, step, state)
            with transaction.atomic():
                status = dispatch(user, report, step, data)
                changed = trace(report) != before
                transaction.set_rollback(True)
            if (status, changed) != (expected, expected == 200):
                wrong[(step, role)] = ((status, changed), expected)
                continue
            if expected == 200 or not door_checked:
                if client is None:
                    client = Client()
                    login(client, user)
                got, answer = through_both_doors(client, report, step, data, before)
                if got != (expected, expected == 200, 302 if expected == 200 else expected, expected == 200):
                    wrong[(step, role)] = (got, expected, "doors", answer)
                elif expected == 404 and answer.get("code") != "not_found":
                    wrong[(step, role)] = (answer, "a 404 looks exactly like a missing report")
                door_checked = door_checked or expected != 200
    if wrong:
        pytest.fail("\n".join(f"{key}: {value}" for key, value in sorted(wrong.items())))


@pytest.mark.django_db
@pytest.mark.req("S0-4", "S0-16")
def test_another_bodys_people_and_the_administrators_are_told_not_found(w):
    report = make_state(w, "at_hotline")
    for role in ("staff_b2", "head_b2", "hotline_b2", "leader_b2", "member_b2", "sysadmin"):
        client = Client()
        login(client, getattr(w, role))
        for step in ("accept", "update", "hotline_result", "notable", "instruct"):
            status, answer = api_post(client, report, step, inputs(w, step, report))
            assert (role, step, status, answer["code"]) == (role, step, 404, "not_found")
        assert client.get(f"/api/v1/opinions/{report.pk}").status_code == 404
