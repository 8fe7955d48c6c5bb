"""The permission matrix: every role against reading and acting, in the states where it matters. What a user may
not see looks missing (404); what they see but may not do is refused (403); nothing changes either way."""

import pytest
from django.urls import reverse

from lvzhi.audit.models import AuditEvent
from lvzhi.opinions import services
from lvzhi.opinions.models import Report
from lvzhi.testing import login
from lvzhi.workflow.models import WorkflowEvent

from .conftest import submit

S = Report.Status
ROLES = [
    "member",  # the author
    "co",  # co-reporter
    "other_member",  # another member of the same committee
    "staff",  # the committee office
    "head",  # the office head
    "social_staff",  # another committee's office
    "liaison_staff",  # the members' liaison office
    "hotline",
    "leader",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "staff_b2",  # another body
    "hotline_b2",
    "leader_b2",
    "member_b2",
]
# Who reads a report (and its photos) in each state.
READERS = {
    "draft": {"member"},
    "submitted": {"member", "co", "staff", "head", "leader"},
    "at_hotline": {"member", "co", "staff", "head", "hotline", "leader"},
}


def _report(w, state):
    if state == "draft":
        return services.create_report(
            actor=w.member, title="草稿", content="还没写完", category="", co_reporter_ids=[w.co.pk]
        )
    report = submit(w, co=[w.co])
    if state == "at_hotline":
        report = services.forward_to_hotline(actor=w.staff, report=report)
    return report


@pytest.mark.req("S0-4", "S0-15", "S0-16")
@pytest.mark.parametrize("state", sorted(READERS))
def test_who_reads_a_report_web_and_api(client, w, state):
    report = _report(w, state)
    for role in ROLES:
        user = getattr(w, role)
        client.logout()
        login(client, user)
        page = client.get(f"/opinions/{report.pk}/")
        api = client.get(f"/api/v1/opinions/{report.pk}")
        expected = 200 if role in READERS[state] else 404
        assert (role, page.status_code) == (role, expected)
        assert (role, api.status_code) == (role, expected)
        if expected == 200:
            assert report.content in page.content.decode()
        else:
            assert report.content not in page.content.decode() and api.json()["code"] == "not_found"
    client.logout()
    assert client.get(f"/opinions/{report.pk}/").status_code == 302  # the public: to the login page
    assert client.get(f"/api/v1/opinions/{report.pk}").status_code == 401


@pytest.mark.req("S0-4")
def test_administrators_and_the_public_see_no_lists_and_no_bodies(client, w):
    report = _report(w, "at_hotline")
    services.post_update(actor=w.hotline, report=report, text="处理中")
    for role in ("sysadmin", "secadmin", "auditadmin"):
        client.logout()
        login(client, getattr(w, role))
        for url in ("/opinions/queue/", "/opinions/statistics/", "/opinions/digests/", "/opinions/queue/export.xlsx"):
            assert client.get(url).status_code == 404, (role, url)
        assert client.get("/opinions/new/").status_code == 404
        assert client.get("/api/v1/opinions/queue").status_code == 404
        assert client.get("/api/v1/opinions/statistics").status_code == 404
        mine = client.get("/opinions/")
        assert mine.status_code == 200 and report.title not in mine.content.decode()
    client.logout()
    for url in ("/opinions/", "/opinions/queue/", "/opinions/statistics/"):
        assert client.get(url).status_code == 302
    assert client.get("/api/v1/opinions/mine").status_code == 401


# (step, state, data, who succeeds, who sees it but is refused with 403)
ACTION_MATRIX = [
    ("accept", "submitted", {"category": "sudden_problem"}, {"staff"}, {"member", "co", "head", "leader"}),
    ("forward", "submitted", {"category": "sudden_problem"}, {"staff"}, {"member", "co", "head", "leader"}),
    ("return", "submitted", {"text": "请补充"}, {"staff"}, {"member", "co", "head", "leader"}),
    ("withdraw", "submitted", {"text": ""}, {"member"}, {"co", "staff", "head", "leader"}),
    ("update", "at_hotline", {"text": "处理中"}, {"hotline"}, {"member", "co", "staff", "head", "leader"}),
    (
        "hotline_result",
        "at_hotline",
        {"text": "已办结"},
        {"hotline"},
        {"member", "co", "staff", "head", "leader"},
    ),
]


def _trace(report) -> tuple:
    """What a step leaves behind: the state and the audit rows of the report (every step is audited)."""
    stored = Report.objects.get(pk=report.pk)
    return stored.status, AuditEvent.objects.filter(object_id=str(report.pk)).count()


@pytest.mark.req("S0-16", "S0-16.1", "S0-16.3")
@pytest.mark.parametrize(("name", "state", "data", "allowed", "refused"), ACTION_MATRIX)
def test_who_may_take_each_step(client, w, name, state, data, allowed, refused):
    for role in ROLES:
        report = _report(w, state)
        before = WorkflowEvent.objects.filter(object_id=report.pk).count()
        trace = _trace(report)
        client.logout()
        login(client, getattr(w, role))
        response = client.post(reverse("opinions:step", args=[report.pk, name]), data)
        after = Report.objects.get(pk=report.pk)
        if role in allowed:
            assert (role, response.status_code) == (role, 302)
            assert _trace(report) != trace, role  # the step was taken: a state change or an audited record
            fresh = _report(w, state)  # the API's success path, on an item in the same state
            fresh_trace = _trace(fresh)
            api = client.post(f"/api/v1/opinions/{fresh.pk}/steps/{name}", data, content_type="application/json")
            assert (role, api.status_code) == (role, 200), api.content
            assert api.json()["id"] == fresh.pk and api.json()["status"] == Report.objects.get(pk=fresh.pk).status
            assert _trace(fresh) != fresh_trace, role
        else:
            expected = 403 if role in refused else 404
            assert (role, response.status_code) == (role, expected)
            assert after.status == report.status
            assert WorkflowEvent.objects.filter(object_id=report.pk).count() == before
            assert _trace(report) == trace, role
            api = client.post(f"/api/v1/opinions/{report.pk}/steps/{name}", data, content_type="application/json")
            assert (role, api.status_code) == (role, expected)
            assert expected == 403 or api.json()["code"] == "not_found"  # a 404 looks exactly like a missing one
            assert _trace(report) == trace, role


@pytest.mark.req("S0-16.3")
def test_only_the_author_rates_and_only_the_office_answers(w):
    report = _report(w, "at_hotline")
    report = services.report_hotline_result(actor=w.hotline, report=report, result="已修复")
    with pytest.raises(services.PermissionDenied):
        services.answer_member(actor=w.hotline, report=report, answer="已修复")
    with pytest.raises(services.PermissionDenied):
        services.answer_member(actor=w.head, report=report, answer="已修复")
    report = services.answer_member(actor=w.staff, report=report, answer="已修复")
    for role in ("co", "staff", "head", "hotline", "leader"):
        with pytest.raises(services.PermissionDenied):
            services.rate_report(actor=getattr(w, role), report=report, level="satisfied")
    for role in ("other_member", "staff_b2"):
        with pytest.raises(services.PermissionDenied):
            services.rate_report(actor=getattr(w, role), report=report, level="satisfied")
    services.rate_report(actor=w.member, report=report, level="satisfied")


@pytest.mark.req("S0-16")
def test_staff_never_handle_their_own_report(w):
    from lvzhi.accounts.services import grant_role

    grant_role(actor=None, user=w.staff, role="member", unit=w.body)
    from lvzhi.accounts.services import set_member_profile

    set_member_profile(actor=None, user=w.staff, body=w.body, committee=w.econ)
    report = submit(w, w.staff)
    with pytest.raises(services.PermissionDenied):
        services.forward_to_hotline(actor=w.staff, report=report)
    services.forward_to_hotline(actor=w.staff2, report=report)


@pytest.mark.req("S0-16.2")
def test_the_verification_thread_is_for_those_involved(client, w):
    report = _report(w, "at_hotline")
    services.ask_verification(actor=w.hotline, report=report, question="请核实具体位置")
    services.ask_member(actor=w.staff, report=report, question="具体位置是？")
    # Only the author answers; only the office asks the member.
    with pytest.raises(services.PermissionDenied):
        services.answer_member_question(actor=w.co, report=report, answer="北侧")
    with pytest.raises(services.PermissionDenied):
        services.ask_member(actor=w.hotline, report=report, question="直接问")
    services.answer_member_question(actor=w.member, report=report, answer="北侧")
    with pytest.raises(services.Conflict):
        services.answer_member_question(actor=w.member, report=report, answer="再答一次")
    for role, visible in (("co", True), ("hotline", True), ("leader", True), ("social_staff", False)):
        client.logout()
        login(client, getattr(w, role))
        page = client.get(f"/opinions/{report.pk}/")
        assert ("具体位置是？" in page.content.decode()) is visible, role
