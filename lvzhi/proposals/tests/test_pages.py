"""The pages: drafting, co-signing, review, assignment, handling, reply, evaluation; errors on the page."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.proposals.models import Assignment, CoSigner, Proposal, Reply

from .conftest import accepted, assigned, replied
from .helpers import client_for

pytestmark = pytest.mark.django_db


def page(client, url, data=None):
    response = client.post(url, data) if data is not None else client.get(url)
    return response.status_code, response.content.decode()


@pytest.mark.req("S4-2.2.4")
def test_a_deputy_drafts_invites_and_submits_through_the_pages(w):
    deputy = client_for(w.deputy)
    status, html = page(deputy, "/proposals/new/")
    assert status == 200 and "社会建设" in html  # the body's categories
    status, html = page(
        deputy,
        "/proposals/new/",
        {"body": w.congress.pk, "kind": "suggestion", "title": "", "content": "x", "category": "社会建设"},
    )
    assert status == 400 and not Proposal.objects.exists()
    status, html = page(
        deputy,
        "/proposals/new/",
        {
            "body": w.congress.pk,
            "kind": "suggestion",
            "title": "关于完善社区养老服务的建议",
            "content": "社区养老服务设施不足。",
            "category": "社会建设",
            "keywords": "养老，社区",
            "disclosure_consent": "on",
        },
    )
    assert status == 302, html
    p = Proposal.objects.get()
    assert p.keyword_list == ["养老", "社区"] and p.disclosure_consent
    url = f"/proposals/{p.pk}/"
    status, html = page(deputy, url + "do/invite/", {"who": w.member.phone})
    assert status == 400 and 'data-testid="form-error"' in html
    status, html = page(deputy, url + "do/invite/", {"who": w.deputies[0].real_name})
    assert status == 302
    status, html = page(deputy, url + "do/invite/", {"who": w.deputies[0].phone})
    assert status == 400 and CoSigner.objects.filter(proposal=p).count() == 1
    cosigner = client_for(w.deputies[0])
    status, html = page(cosigner, url)
    assert status == 200 and 'data-testid="cosign"' in html
    assert page(cosigner, url + "do/cosign_confirm/", {})[0] == 302
    assert CoSigner.objects.get(proposal=p).status == CoSigner.Status.CONFIRMED
    assert page(deputy, url + "do/submit/", {})[0] == 302
    p.refresh_from_db()
    assert p.status == Proposal.Status.SUBMITTED
    status, html = page(deputy, "/proposals/")
    assert status == 200 and p.title in html


@pytest.mark.req("S4-2.2.4")
def test_office_and_units_work_through_the_pages_and_errors_show_on_the_page(w):
    p = accepted(w)
    clerk = client_for(w.clerk)
    url = f"/proposals/{p.pk}/"
    status, html = page(clerk, url)
    assert status == 200 and 'data-testid="assign"' in html
    status, html = page(clerk, url + "do/assign/", {"lead_unit": w.unit_a.pk, "co_units": [w.unit_a.pk]})
    assert status == 400 and 'data-testid="form-error"' in html
    assert page(clerk, url + "do/assign/", {"lead_unit": w.unit_a.pk, "co_units": [w.unit_b.pk]})[0] == 302
    lead = Assignment.objects.get(proposal=p, role="lead")
    co = Assignment.objects.get(proposal=p, role="co")

    staff = client_for(w.lead_staff)
    status, html = page(staff, url)
    assert status == 200 and 'data-testid="unit-work-lead"' in html and w.deputy.phone in html
    prefix = f"a{lead.pk}-"
    today = timezone.localdate().isoformat()
    status, html = page(
        staff,
        f"/proposals/assignments/{lead.pk}/reply/",
        {prefix + "content": "答复函正文", prefix + "classification": "B"},
    )
    assert status == 302
    reply = Reply.objects.get(proposal=p)
    status, html = page(staff, f"/proposals/replies/{reply.pk}/sign_off/", {})
    assert status == 400 and 'data-testid="page-error"' in html
    status, html = page(staff, f"/proposals/replies/{reply.pk}/send/", {})
    assert status == 400 and 'data-testid="page-error"' in html
    reply.refresh_from_db()
    assert reply.status == Reply.Status.DRAFT and reply.signed_by is None
    assert page(client_for(w.lead_head), f"/proposals/replies/{reply.pk}/sign_off/", {})[0] == 302
    status, html = page(staff, f"/proposals/replies/{reply.pk}/send/", {})
    assert status == 400  # no contact recorded yet
    status, html = page(
        staff,
        f"/proposals/assignments/{lead.pk}/contact/",
        {prefix + "method": "phone", prefix + "contacted_on": today, prefix + "note": "电话沟通"},
    )
    assert status == 302
    co_client = client_for(w.co_staff)
    status, html = page(
        co_client, f"/proposals/assignments/{co.pk}/opinion/", {f"a{co.pk}-opinion": "协办意见：同意。"}
    )
    assert status == 302
    assert page(staff, f"/proposals/replies/{reply.pk}/send/", {})[0] == 302
    p.refresh_from_db()
    assert p.status == Proposal.Status.REPLIED

    deputy = client_for(w.deputy)
    status, html = page(deputy, url)
    assert 'data-testid="evaluate"' in html and "答复函正文" in html
    assert "协办意见：同意" not in html  # the content of internal opinions is for the office and the units
    status, html = page(deputy, url + "do/evaluate/", {"rating": "unsatisfied", "comment": ""})
    assert status == 400
    assert page(deputy, url + "do/evaluate/", {"rating": "basic"})[0] == 302
    p.refresh_from_db()
    assert p.status == Proposal.Status.CLOSED and p.rating == "basic"


@pytest.mark.req("S4-2.2.4")
def test_unit_requests_are_decided_on_the_item_page(w):
    p = assigned(w, co=False)
    lead = p.assignments.get()
    staff = client_for(w.lead_staff)
    until = (timezone.localdate() + dt.timedelta(days=120)).isoformat()
    status, html = page(
        staff,
        f"/proposals/assignments/{lead.pk}/extension/",
        {f"a{lead.pk}-until": until, f"a{lead.pk}-reason": "需要调研"},
    )
    assert status == 302
    request = lead.requests.get()
    clerk = client_for(w.clerk)
    status, html = page(clerk, "/proposals/office/?state=requests")
    assert status == 200 and "需要调研" in html
    status, html = page(clerk, f"/proposals/requests/{request.pk}/decide/", {f"r{request.pk}-approve": "0"})
    assert status == 400  # a rejection needs a reason
    status, html = page(
        clerk,
        f"/proposals/requests/{request.pk}/decide/",
        {f"r{request.pk}-approve": "1", f"r{request.pk}-note": "同意"},
    )
    assert status == 302
    request.refresh_from_db()
    assert request.status == "approved"


@pytest.mark.req("S4-2.2.4")
def test_statistics_page_and_the_annual_report_export(w):
    from io import BytesIO

    from openpyxl import load_workbook

    from lvzhi.audit.models import AuditEvent

    p = replied(w, classification="A")
    clerk = client_for(w.clerk)
    year = p.year
    status, html = page(clerk, f"/proposals/office/stats/?year={year}")
    assert status == 200 and "市住建局" in html
    response = clerk.get(f"/proposals/office/export.xlsx?body={w.congress.pk}&year={year}")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    summary, items = book.worksheets
    rows = list(summary.iter_rows(values_only=True))
    unit_row = next(r for r in rows if r[0] == "市住建局")
    assert unit_row[1:6] == (1, 1, 0, 1, 1)  # assigned, lead, co, replied, on time
    item_rows = list(items.iter_rows(values_only=True))
    assert item_rows[1][2] == p.title and item_rows[1][6] == "市住建局" and item_rows[1][7] == "市教育局"
    assert AuditEvent.objects.filter(event="proposals.report.export", actor=w.clerk).exists()
    # Another body's statistics are not found; so are the pages for someone who is not office staff.
    assert clerk.get(f"/proposals/office/stats/?body={w.cppcc.pk}").status_code == 404
    assert client_for(w.deputy).get("/proposals/office/stats/").status_code == 404
    assert client_for(w.lead_staff).get("/proposals/office/export.xlsx").status_code == 404
