"""Bad input gives a clear error and writes nothing; per-body rules (S3-18); two clerks at once (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from freezegun import freeze_time

from lvzhi.accounts import services as account_services
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.notify.models import Message
from lvzhi.orgs.models import Level, UnitKind
from lvzhi.proposals import services
from lvzhi.proposals.models import Assignment, CoSigner, Kind, Proposal
from lvzhi.testing import make_unit, make_user
from lvzhi.workflow.models import WorkflowEvent
from lvzhi.workflow.selectors import deadline_of

from .conftest import accepted, assigned, aware, draft, submitted, with_body_setting
from .helpers import Api

pytestmark = pytest.mark.django_db


@pytest.mark.req("S4-2.2.4")
def test_cosigners_must_be_of_the_same_body_and_sign_once(w):
    p = draft(w)
    api = Api(w.deputy)
    for outsider in (w.member, w.county_deputy, w.clerk):
        status, data = api.post(f"/{p.pk}/cosigners", {"user_id": outsider.pk})
        assert (status, data["code"]) == (400, "cosigner_not_member"), outsider
        assert outsider.real_name not in data["message"]  # nothing learnt about other bodies' people
    assert api.post(f"/{p.pk}/cosigners", {"user_id": w.deputy.pk})[1]["code"] == "cosigner_is_proposer"
    assert api.post(f"/{p.pk}/cosigners", {"who": ""})[1]["code"] == "cosigner_required"
    assert api.post(f"/{p.pk}/cosigners", {"who": "不存在的人"})[1]["code"] == "cosigner_unknown"
    # An unknown number gets the same answer as a person of another body: no probing which numbers exist.
    assert (
        api.post(f"/{p.pk}/cosigners", {"who": "13999999999"})[1]
        == api.post(f"/{p.pk}/cosigners", {"who": w.member.phone})[1]
    )
    assert api.post(f"/{p.pk}/cosigners", {"user_id": 999999})[1]["code"] == "cosigner_not_member"
    assert api.post(f"/{p.pk}/cosigners", {"who": w.cosigner.real_name})[0] == 201
    status, data = api.post(f"/{p.pk}/cosigners", {"who": w.cosigner.phone})
    assert (status, data["code"]) == (409, "cosigner_twice")
    assert CoSigner.objects.filter(proposal=p).count() == 1
    cosigner = Api(w.cosigner)
    assert cosigner.post(f"/{p.pk}/cosign", {"confirm": True})[0] == 200
    status, data = cosigner.post(f"/{p.pk}/cosign", {"confirm": True})
    assert (status, data["code"]) == (409, "cosign_answered")
    # Two deputies with the same name: the mobile number is needed.
    make_user(w.congress, roles=["deputy"], real_name="代表5")
    assert api.post(f"/{p.pk}/cosigners", {"who": "代表5"})[1]["code"] == "cosigner_ambiguous"
    # A deputy whose role was revoked cannot confirm any more.
    q = draft(w, title="第二件")
    services.invite_cosigner(actor=w.deputy, proposal=q, user=w.deputies[2])
    assignment = w.deputies[2].role_assignments.get(role="deputy")
    account_services.revoke_role(actor=None, assignment=assignment)
    status, data = Api(w.deputies[2]).post(f"/{q.pk}/cosign", {"confirm": True})
    assert (status, data["code"]) == (400, "cosigner_not_member")


@pytest.mark.req("S4-2.2.4", "S3-18")
def test_a_bill_needs_the_session_and_the_statutory_number_of_signers_or_a_delegation(w):
    p = draft(w, kind=Kind.BILL, title="关于制定物业管理条例的议案")
    api = Api(w.deputy)
    status, data = api.post(f"/{p.pk}/submit")
    assert (status, data["code"]) == (400, "bill_outside_session")
    with_body_setting(w.congress, "proposals.in_session", True)
    with_body_setting(w.congress, "proposals.session_name", "第十六届人民代表大会第三次会议")
    for d in w.deputies[:8]:
        services.invite_cosigner(actor=w.deputy, proposal=p, user=d)
        services.respond_cosign(actor=d, proposal=p, confirm=True)
    status, data = api.post(f"/{p.pk}/submit")
    assert (status, data["code"]) == (400, "not_enough_signers")
    assert "10" in data["message"] and "9" in data["message"]
    assert Proposal.objects.get(pk=p.pk).status == Proposal.Status.DRAFT
    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.deputies[8])
    services.respond_cosign(actor=w.deputies[8], proposal=p, confirm=True)
    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.deputies[9])  # invited, never answers
    status, data = api.post(f"/{p.pk}/submit")
    assert (status, data["status"]) == (200, "submitted")
    p.refresh_from_db()
    assert p.during_session and p.session_name == "第十六届人民代表大会第三次会议"
    assert CoSigner.objects.get(proposal=p, user=w.deputies[9]).status == CoSigner.Status.DECLINED  # lapsed

    # In the name of a delegation: no co-signers needed, but only one's own delegation.
    account_services.set_member_profile(actor=None, user=w.deputy, body=w.congress, delegation=w.delegation)
    other = make_unit(w.congress, "西山县代表团", kind=UnitKind.DELEGATION)
    status, data = api.post(
        "",
        {
            "body_id": w.congress.pk,
            "kind": "bill",
            "title": "代表团议案",
            "content": "内容",
            "category": "社会建设",
            "delegation_id": other.pk,
        },
    )
    assert (status, data["code"]) == (400, "not_your_delegation")
    status, data = api.post(
        "",
        {
            "body_id": w.congress.pk,
            "kind": "bill",
            "title": "代表团议案",
            "content": "内容",
            "category": "社会建设",
            "delegation_id": w.delegation.pk,
        },
    )
    assert status == 201
    assert api.post(f"/{data['id']}/submit")[1]["status"] == "submitted"


@pytest.mark.req("S3-18", "S4-2.2")
def test_a_county_body_sets_its_own_rules_and_a_township_inherits_them(w):
    township = make_township(w)
    with_body_setting(w.county, "proposals.bill_min_signers", 5)
    with_body_setting(w.county, "proposals.in_session", True)
    with_body_setting(w.county, "proposals.reply_months", 2)
    t_deputies = [make_user(township, roles=["deputy"], real_name=f"镇代表{i}") for i in range(5)]
    t_office = make_unit(township, "镇人大办", function="proposals_office")
    t_clerk = make_user(t_office, roles=["staff"])
    p = services.create_draft(
        actor=t_deputies[0], body=township, kind=Kind.BILL, title="镇议案", content="内容", category="其他"
    )
    for d in t_deputies[1:4]:
        services.invite_cosigner(actor=t_deputies[0], proposal=p, user=d)
        services.respond_cosign(actor=d, proposal=p, confirm=True)
    with pytest.raises(ValidationFailed) as exc:
        services.submit(actor=t_deputies[0], proposal=p)
    assert exc.value.code == "not_enough_signers"  # 4 of 5
    services.invite_cosigner(actor=t_deputies[0], proposal=p, user=t_deputies[4])
    services.respond_cosign(actor=t_deputies[4], proposal=p, confirm=True)
    p = services.submit(actor=t_deputies[0], proposal=p)
    services.accept(actor=t_clerk, proposal=p)
    with freeze_time(aware(2025, 7, 1, 10)):
        p = services.assign(actor=t_clerk, proposal=Proposal.objects.get(pk=p.pk), lead_unit=w.unit_a)
    # The township inherits the county's two months, read from the item's body, not the unit's (a government).
    assert deadline_of(p.assignments.get(), "reply").last_day == dt.date(2025, 9, 1)
    # The city keeps the default of three months.
    with freeze_time(aware(2025, 7, 1, 10)):
        city = assigned(w, co=False)
    assert deadline_of(city.assignments.get(), "reply").last_day == dt.date(2025, 10, 9)


def make_township(w):
    from lvzhi.orgs.models import BodyType
    from lvzhi.testing import make_body

    return make_body("测试镇人大", level=Level.TOWNSHIP, body_type=BodyType.CONGRESS, parent=w.county)


@pytest.mark.req("S4-2.2.4")
def test_bad_drafts_are_refused_with_clear_codes_and_nothing_is_written(w):
    api = Api(w.deputy)
    base = {"body_id": w.congress.pk, "kind": "suggestion", "title": "标题", "content": "内容", "category": "社会建设"}
    cases = [
        ({"title": ""}, 400, "title_required"),
        ({"title": "长" * 201}, 400, "title_too_long"),
        ({"content": "  "}, 400, "content_required"),
        ({"content": "字" * 20001}, 400, "content_too_long"),
        ({"category": "不存在的类别"}, 400, "unknown_category"),
        ({"keywords": ["一", "二", "三", "四", "五", "六"]}, 400, "too_many_keywords"),
        ({"keywords": ["这是一个非常非常长的关键词啊"]}, 400, "keyword_too_long"),
        ({"kind": "proposal"}, 400, "wrong_kind"),
        ({"body_id": w.cppcc.pk}, 400, "not_a_member"),
        ({"body_id": 999999}, 400, "unknown_unit"),
        ({"title": None}, 422, "validation_failed"),
    ]
    for change, status_expected, code in cases:
        status, data = api.post("", {**base, **change})
        assert (status, data["code"]) == (status_expected, code), change
    response = api.client.post("/api/v1/proposals", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Proposal.objects.exists()
    # A submission without a category is refused; the draft stays a draft.
    p = draft(w, category="")
    status, data = api.post(f"/{p.pk}/submit")
    assert (status, data["code"]) == (400, "category_required")
    assert Proposal.objects.get(pk=p.pk).status == Proposal.Status.DRAFT
    # A member proposes to the CPPCC (a proposal), not to the congress.
    status, data = Api(w.member).post("", {**base, "body_id": w.cppcc.pk, "kind": "proposal"})
    assert status == 201


@pytest.mark.req("S4-2.2.4")
def test_review_errors(w):
    p = submitted(w)
    clerk = Api(w.clerk)
    assert clerk.post(f"/{p.pk}/not-accept", {"reason": ""})[1]["code"] == "reason_required"
    assert clerk.post(f"/{p.pk}/convert", {"reason": " "})[1]["code"] == "reason_required"
    assert clerk.post(f"/{p.pk}/merge", {"into_id": p.pk})[1]["code"] == "merge_into_itself"
    cppcc = submitted(w, kind=Kind.PROPOSAL, proposer=w.member, body=w.cppcc, title="政协提案")
    assert clerk.post(f"/{p.pk}/merge", {"into_id": cppcc.pk})[1]["code"] == "merge_other_body"
    closed = submitted(w, title="已不予立案")
    services.not_accept(actor=w.clerk, proposal=closed, reason="重复")
    assert clerk.post(f"/{p.pk}/merge", {"into_id": closed.pk})[1]["code"] == "merge_target_state"
    assert Proposal.objects.get(pk=p.pk).status == Proposal.Status.SUBMITTED
    a = accepted(w, title="另一件")
    status, data = clerk.post(f"/{a.pk}/assign", {"lead_unit_id": w.office.pk})
    assert (status, data["code"]) == (400, "not_a_handling_unit")
    status, data = clerk.post(f"/{a.pk}/assign", {"lead_unit_id": w.unit_a.pk, "co_unit_ids": [w.unit_a.pk]})
    assert (status, data["code"]) == (400, "lead_also_co")
    assert not Assignment.objects.filter(proposal=a).exists()
    assert Proposal.objects.get(pk=a.pk).status == Proposal.Status.ACCEPTED
    status, data = clerk.post(f"/{a.pk}/accept")
    assert (status, data["code"]) == (409, "transition_not_allowed")


@pytest.mark.req("S4-2.2.4")
def test_merge_links_the_items_and_tells_both_proposers(w):
    main = submitted(w, keywords="停车 老旧小区")
    other = submitted(w, proposer=w.deputies[3], title="关于解决小区停车难的建议", keywords="停车")
    status, data = Api(w.clerk).get(f"/{other.pk}/similar")
    assert [i["id"] for i in data] == [main.pk]
    status, data = Api(w.clerk).post(f"/{other.pk}/merge", {"into_id": main.pk, "note": "内容相近，并案办理"})
    assert (status, data["status"]) == (200, "merged")
    other.refresh_from_db()
    assert other.merged_into == main
    assert Message.objects.filter(recipient=w.deputies[3], event="proposals.proposal.merge").exists()
    assert Message.objects.filter(recipient=w.deputy, event="proposals.proposal.merge").exists()
    # The merged item's proposer follows the main item and hears of its reply.
    status, data = Api(w.deputies[3]).get(f"/{main.pk}")
    assert status == 200 and data["merged"][0]["id"] == other.pk


@pytest.mark.req("S4-2.2.4")
def test_a_bill_that_does_not_qualify_is_handled_as_a_suggestion(w):
    with_body_setting(w.congress, "proposals.in_session", True)
    with_body_setting(w.congress, "proposals.bill_min_signers", 1)
    bill = submitted(w, kind=Kind.BILL, title="议案")
    status, data = Api(w.clerk).post(f"/{bill.pk}/convert", {"reason": "不属于本级人大职权，作为建议办理"})
    assert (status, data["status"]) == (200, "submitted")
    bill.refresh_from_db()
    assert bill.kind == Kind.SUGGESTION and bill.converted_from == Kind.BILL
    proposal = submitted(w, kind=Kind.PROPOSAL, proposer=w.member, body=w.cppcc, title="提案")
    status, data = Api(w.cppcc_clerk).post(f"/{proposal.pk}/convert", {"reason": "转为委员来信"})
    assert (status, data["status"]) == (200, "converted")


@pytest.mark.req("S0-17")
def test_draft_from_report_for_the_public_opinion_module(w):
    p = services.draft_from_report(
        actor=w.cppcc_clerk,
        proposer=w.member,
        title=" 关于 规范校外培训的建议 ",
        body="正文\n第二段",
        source_note="社情民意 #7",
    )
    assert (p.kind, p.body, p.status, p.proposer) == (Kind.PROPOSAL, w.cppcc, Proposal.Status.DRAFT, w.member)
    assert p.title == "关于 规范校外培训的建议" and p.content == "正文\n第二段" and p.source_note == "社情民意 #7"
    assert Message.objects.filter(recipient=w.member, event="proposals.proposal.draft_from_report").exists()
    assert WorkflowEvent.objects.filter(object_id=p.pk, workflow="proposals.proposal", transition="draft").exists()
    assert AuditEvent.objects.filter(event="proposals.proposal.draft", actor=w.cppcc_clerk).exists()
    # A deputy gets a suggestion to the congress.
    s = services.draft_from_report(actor=w.deputy, proposer=w.deputy, title="t", body="b", source_note="")
    assert (s.kind, s.body) == (Kind.SUGGESTION, w.congress)
    for bad in ({"proposer": w.clerk}, {"title": ""}, {"body": ""}, {"body": "x" * 20001}):
        args = {"actor": w.cppcc_clerk, "proposer": w.member, "title": "t", "body": "b", "source_note": ""} | bad
        with pytest.raises(ValidationFailed):
            services.draft_from_report(**args)
    with pytest.raises(NotFound):
        services.draft_from_report(actor=w.sysadmin, proposer=w.member, title="t", body="b", source_note="")


@pytest.mark.req("S4-2.2.4")
@pytest.mark.django_db(transaction=True)
def test_two_clerks_accept_at_the_same_moment_exactly_one_wins(w):
    if connection.vendor == "sqlite":
        pytest.skip("row locks need PostgreSQL; SQLite serialises writers itself")
    p = submitted(w)
    barrier = threading.Barrier(2)
    outcomes = []

    def run(clerk):
        try:
            barrier.wait()
            services.accept(actor=clerk, proposal=Proposal.objects.get(pk=p.pk))
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(clerk,)) for clerk in (w.clerk, w.clerk2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "transition_not_allowed"]
    p.refresh_from_db()
    assert p.status == Proposal.Status.ACCEPTED and p.number == 1
    assert WorkflowEvent.objects.filter(object_id=p.pk, transition="accept").count() == 1
    assert AuditEvent.objects.filter(event="proposals.proposal.accept").count() == 1
    # Two different items accepted at once get consecutive numbers, never the same one.
    items = [submitted(w, title=f"第{i}件") for i in range(2)]
    barrier = threading.Barrier(2)
    outcomes.clear()
    threads = [
        threading.Thread(
            target=lambda c=c, i=i: (barrier.wait(), services.accept(actor=c, proposal=i), connection.close())
        )
        for c, i in zip((w.clerk, w.clerk2), items, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = sorted(Proposal.objects.filter(pk__in=[i.pk for i in items]).values_list("number", flat=True))
    assert numbers == [2, 3]
