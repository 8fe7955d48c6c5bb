"""Past years' proposals and replies from a spreadsheet (issue 20): matched to the body's members, landed closed with
their units, reply and evaluation, counted by the statistics and the roll-ups, without the live workflow's
notifications; the same number and year twice is the same item; bad rows refused with their Chinese messages."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lvzhi.accounts.models import MemberProfile
from lvzhi.accounts.roles import Role
from lvzhi.accounts.tokens import issue_token
from lvzhi.audit.models import AuditEvent
from lvzhi.core import rollup
from lvzhi.core.errors import NotFound
from lvzhi.notify.models import Delivery, Message
from lvzhi.onboarding import services
from lvzhi.onboarding.columns import PROPOSAL_COLUMNS
from lvzhi.onboarding.models import ImportJob
from lvzhi.orgs.models import UnitFunction, UnitKind
from lvzhi.proposals.models import Assignment, Counter, Evaluation, Proposal, Reply
from lvzhi.proposals.services.history import HISTORY_SOURCE, _facts
from lvzhi.proposals.statistics import unit_statistics
from lvzhi.testing import make_unit, make_user

from .conftest import id_card, xlsx_file
from .test_import import confirm, create

pytestmark = [pytest.mark.req("S0-2"), pytest.mark.req("S0-26"), pytest.mark.req("S3-4")]

HEADERS = [c.header for c in PROPOSAL_COLUMNS]


def item(n: int, **over) -> list:
    values = {
        "year": "2024",
        "number": str(n),
        "kind": "提案",
        "title": f"关于第{n}件事的提案",
        "content": "第一段。\n第二段。",
        "proposers": "张委员(13900003551)",
        "category": "城乡建设",
        "lead_unit": "住建局",
        "co_units": "",
        "submitted": "2024-01-20",
        "replied": "2024-06-30",
        "reply": "已办理。",
        "classification": "A",
        "rating": "满意",
        "public": "否",
    }
    values.update(over)
    return [values[c.key] for c in PROPOSAL_COLUMNS]


@pytest.fixture
def past(world):
    w = world
    w.housing = make_unit(w.body, "住建局", kind=UnitKind.HANDLING_UNIT)
    w.transport = make_unit(w.body, "交通局", kind=UnitKind.HANDLING_UNIT)
    w.proposals_office = make_unit(
        w.body, "提案委员会", kind=UnitKind.COMMITTEE, function=UnitFunction.PROPOSALS_OFFICE
    )
    w.office_clerk = make_user(w.proposals_office, roles=[Role.STAFF], real_name="提案员")
    w.zhang = make_user(w.body, real_name="张委员", phone="13900003551")
    w.li = make_user(w.body, real_name="李委员", phone="13900003552", id_card=id_card(552))
    for person in (w.zhang, w.li):
        MemberProfile.objects.create(user=person, body=w.body, term="第十四届")
    w.former = make_user(w.body, real_name="赵前委员", phone="13900003553")
    MemberProfile.objects.create(user=w.former, body=w.body, term="第十三届", is_active=False)
    w.stranger = make_user(w.other, real_name="王外人", phone="13900003554")
    MemberProfile.objects.create(user=w.stranger, body=w.other)
    return w


def upload_items(w, rows, actor=None):
    return create(actor=actor or w.office_clerk, body=w.body, kind="proposals", upload=xlsx_file(rows, headers=HEADERS))


def test_every_kind_of_bad_history_row_is_refused_with_its_message(past):
    w = past
    rows = [
        item(1),  # clean
        item(2, number="二"),
        item(3, year="2999"),
        item(4, kind="建议"),  # a CPPCC has 提案 only
        item(5, proposers="王外人(13900003554)"),  # another body's member
        item(6, proposers="张委员"),  # no number to match by
        item(7, lead_unit="不存在局"),
        item(8, replied="2024-13-45"),
        item(9, rating="很好"),
        item(10, replied="", lead_unit=""),  # a reply without its date and unit
        item(1),  # the same year and number again
        item(12, title=""),
    ]
    job = upload_items(w, rows)
    assert job.status == ImportJob.Status.CHECKED, job.error
    found = {(p.row, p.code): p.message for p in job.problems.all()}
    assert set(found) == {
        (3, "number_invalid"),
        (4, "year_invalid"),
        (5, "kind_invalid"),
        (6, "proposer_unknown"),
        (7, "proposer_invalid"),
        (8, "unknown_lead_unit"),
        (9, "replied_invalid"),
        (10, "rating_invalid"),
        (11, "reply_incomplete"),
        (12, "duplicate_number"),
        (13, "title_required"),
    }
    assert found[(12, "duplicate_number")] == "与第2行年度和编号相同。"
    assert "王外人" in found[(6, "proposer_unknown")]
    assert "不存在局" in found[(8, "unknown_lead_unit")]
    confirm(actor=w.office_clerk, job=job, exclude_bad_rows=True)
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_excluded) == (ImportJob.Status.DONE, 1, 11)
    assert Proposal.objects.count() == 1


def three_items():
    return [
        item(1, proposers=f"张委员(13900003551)、李委员({id_card(552)})", co_units="交通局", public="是"),
        item(2, rating="不满意", classification="C"),
        item(3, proposers="赵前委员(13900003553)", reply="", replied="", rating="", classification=""),
    ]


def imported(w, rows):
    job = upload_items(w, rows)
    assert job.rows_bad == 0, list(job.problems.values_list("message", flat=True))
    confirm(actor=w.office_clerk, job=job)
    job.refresh_from_db()
    return job


def test_past_items_land_closed_and_feed_the_statistics_without_notifications(past):
    w = past
    messages, deliveries = Message.objects.count(), Delivery.objects.count()
    job = imported(w, three_items())
    assert (job.status, job.rows_created, job.rows_failed) == (ImportJob.Status.DONE, 3, 0)
    first = Proposal.objects.get(body=w.body, year=2024, number=1)
    assert (first.status, first.proposer, first.source_note) == ("closed", w.zhang, HISTORY_SOURCE)
    assert first.is_public
    assert first.reference == "2024-提案-0001"
    assert list(first.cosigners.values_list("user", "status")) == [(w.li.pk, "confirmed")]
    lead = first.assignments.get(role=Assignment.Role.LEAD)
    assert (lead.unit, lead.status, lead.classification, lead.rating) == (w.housing, "closed", "A", "satisfied")
    assert first.assignments.get(role=Assignment.Role.CO).unit == w.transport
    assert Reply.objects.get(proposal=first).status == Reply.Status.SENT
    assert Evaluation.objects.get(proposal=first).rating == "satisfied"
    assert Proposal.objects.get(number=3).proposer == w.former  # a former member's item counts too
    # No live workflow: nobody was told anything.
    assert (Message.objects.count(), Delivery.objects.count()) == (messages, deliveries)
    assert AuditEvent.objects.filter(event="proposals.history.import").count() == 3
    # The statistics and the roll-ups count them.
    stats = unit_statistics(body=w.body, year=2024)
    housing = next(r for r in stats["rows"] if r["unit_id"] == w.housing.pk)
    assert (housing["lead"], housing["replied"], housing["class_A"], housing["rating_unsatisfied"]) == (3, 2, 1, 1)
    assert housing["satisfaction"] == 50.0
    replied = rollup.pivot(
        rollup.totals("proposals.assignment", body_ids=[w.body.pk], metrics=["replied"], per_unit=True)
    )
    assert replied[w.housing.pk]["replied"] == 2
    assert Counter.objects.get(body=w.body, year=2024, kind="proposal").last == 3  # live numbers follow on


def test_the_same_number_and_year_again_is_the_same_item(past):
    w = past
    rows = three_items()
    imported(w, rows)
    events = AuditEvent.objects.count()
    again = imported(w, rows)
    assert (again.rows_created, again.rows_updated, again.rows_unchanged) == (0, 0, 3)
    assert AuditEvent.objects.count() == events + 3  # the job's create, confirm, done
    rows[1] = item(2, rating="不满意", classification="C", title="关于第2件事的提案（更正）")
    before = Proposal.objects.get(body=w.body, year=2024, number=2).pk
    fixed = imported(w, rows)
    assert (fixed.rows_updated, fixed.rows_unchanged) == (1, 2)
    second = Proposal.objects.get(body=w.body, year=2024, number=2)
    assert second.pk == before and second.title.endswith("（更正）")
    assert Proposal.objects.filter(body=w.body).count() == 3
    assert second.assignments.count() == 1 and Reply.objects.filter(proposal=second).count() == 1
    assert AuditEvent.objects.filter(event="proposals.history.update", object_id=str(second.pk)).count() == 1


def test_a_number_of_a_live_item_is_refused(past):
    w = past
    Proposal.objects.create(
        body=w.body, kind="proposal", proposer=w.zhang, title="在办", content="x", year=2024, number=7,
        status="handling", submitted_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    job = upload_items(w, [item(7)])
    assert {p.code for p in job.problems.all()} == {"number_taken"}


def test_only_the_bodys_proposals_office_and_information_office_import_history(past, client):
    w = past
    f = xlsx_file([item(1)], headers=HEADERS)
    assert upload_items(w, [item(1)], actor=w.info).status == ImportJob.Status.CHECKED
    other_office = make_unit(w.other, "提案委员会", kind=UnitKind.COMMITTEE, function=UnitFunction.PROPOSALS_OFFICE)
    other_clerk = make_user(other_office, roles=[Role.STAFF], real_name="外提案员")
    job = upload_items(w, [item(1)])
    for actor in (w.clerk, w.sysadmin, other_clerk, w.zhang):
        with pytest.raises(NotFound):
            services.create_job(actor=actor, body=w.body, kind="proposals", upload=f)
        with pytest.raises(NotFound):
            services.confirm_job(actor=actor, job=job)
    client.force_login(other_clerk)
    assert client.get(f"/office/onboarding/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/office/onboarding/bodies/{w.body.pk}/proposals/template.xlsx").status_code == 404
    client.force_login(w.office_clerk)
    page = client.get("/office/onboarding/")
    assert 'data-testid="template-proposals"' in page.content.decode()
    template = client.get(f"/office/onboarding/bodies/{w.body.pk}/proposals/template.xlsx")
    assert template.status_code == 200


def exported(w, actor=None) -> bytes:
    return services.export_workbook(actor=actor or w.office_clerk, body=w.body, kind="proposals")


def test_the_history_export_reimports_unchanged(past):
    w = past
    imported(w, three_items())
    live = Proposal.objects.create(
        body=w.body, kind="proposal", proposer=w.zhang, title="在办", content="x", year=2024, number=9,
        status="handling", submitted_at=dt.datetime(2024, 2, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    data = exported(w)
    rows = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 4  # the item handled on the platform is not in it
    first = dict(zip([c.key for c in PROPOSAL_COLUMNS], rows[1], strict=True))
    assert (first["number"], first["proposers"]) == ("1", "张委员(13900003551)、李委员(13900003552)")
    assert (first["co_units"], first["replied"], first["rating"], first["public"]) == (
        "交通局",
        "2024-06-30",
        "满意",
        "是",
    )
    assert first["content"] == "第一段。\n第二段。"
    facts = {
        p.pk: _facts(p)
        for p in Proposal.objects.filter(body=w.body).prefetch_related("assignments", "replies", "cosigners")
    }
    job = create(actor=w.office_clerk, body=w.body, kind="proposals", upload=SimpleUploadedFile("export.xlsx", data))
    assert job.rows_bad == 0, list(job.problems.values_list("message", flat=True))
    confirm(actor=w.office_clerk, job=job)
    job.refresh_from_db()
    assert (job.rows_total, job.rows_unchanged, job.rows_created, job.rows_updated) == (3, 3, 0, 0)
    after = {
        p.pk: _facts(p)
        for p in Proposal.objects.filter(body=w.body).prefetch_related("assignments", "replies", "cosigners")
    }
    assert after == facts and live.pk in after
    assert _sheet(exported(w)) == _sheet(data)  # the same rows again
    assert AuditEvent.objects.filter(event="onboarding.export", object_id=str(w.body.pk)).count() == 2


def _sheet(data: bytes) -> list:
    return list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))


def test_the_history_export_masks_id_card_numbers_but_for_the_information_office(past):
    w = past
    imported(w, three_items())
    type(w.li).objects.filter(pk=w.li.pk).update(phone="")  # named by the ID-card number then
    masked = _sheet(exported(w))[1][5]
    full = _sheet(exported(w, actor=w.info))[1][5]
    assert full == f"张委员(13900003551)、李委员({id_card(552)})"
    assert masked.startswith("张委员(13900003551)、李委员(") and "*" in masked and id_card(552) not in masked


def test_only_the_bodys_offices_export_history_and_the_queries_are_bounded(past, client, django_assert_max_num_queries):
    w = past
    imported(w, three_items())
    other_office = make_unit(w.other, "提案委员会", kind=UnitKind.COMMITTEE, function=UnitFunction.PROPOSALS_OFFICE)
    other_clerk = make_user(other_office, roles=[Role.STAFF], real_name="外提案员")
    for actor in (w.clerk, w.sysadmin, other_clerk, w.zhang):
        with pytest.raises(NotFound):
            exported(w, actor=actor)
    url = f"/office/onboarding/bodies/{w.body.pk}/proposals/export.xlsx"
    client.force_login(other_clerk)
    assert client.get(url).status_code == 404
    _token, secret = issue_token(actor=other_clerk, user=other_clerk, device="test")
    api = f"/api/v1/onboarding/bodies/{w.body.pk}/proposals/export.xlsx"
    response = client.get(api, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    client.force_login(w.office_clerk)
    assert 'data-testid="export-proposals"' in client.get("/office/onboarding/").content.decode()
    assert client.get(url).status_code == 200
    _token, secret = issue_token(actor=w.office_clerk, user=w.office_clerk, device="test")
    response = client.get(api, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and len(_sheet(response.content)) == 4
    with django_assert_max_num_queries(QUERY_BOUND):
        few = exported(w)
    imported(
        w, [item(n, proposers=f"张委员(13900003551)、李委员({id_card(552)})", co_units="交通局") for n in range(4, 34)]
    )
    with django_assert_max_num_queries(QUERY_BOUND):  # ten times the items, the same queries
        many = exported(w)
    assert (len(_sheet(few)), len(_sheet(many))) == (4, 34)


QUERY_BOUND = 10  # 9 measured: permission, audit, the items and their parts, one each per chunk


def test_the_upload_form_offers_only_the_kinds_the_user_may_import(past, client):
    """A proposals clerk may import past proposals only: the form offers nothing else, and a forged kind is refused
    with the form's message, not written."""
    w = past
    client.force_login(w.office_clerk)
    form = client.get("/office/onboarding/").context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["proposals"]
    response = client.post(
        "/office/onboarding/",
        {"body": w.body.pk, "kind": "members", "file": SimpleUploadedFile("m.xlsx", b"x")},
    )
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not ImportJob.objects.exists()
    client.force_login(w.info)
    offered = [value for value, _label in client.get("/office/onboarding/").context["form"].fields["kind"].choices]
    assert "staff" in offered and "proposals" in offered
