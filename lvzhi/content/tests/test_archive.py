"""The register's archive handling (S0-10): kept, lent (to whom, until when, returned; overdue loans shown) and
destroyed (requested by one person, approved by another), each audited; another department's register answers
as missing."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.content import services
from lvzhi.content.models import ArchiveLoan, ArchiveRecord, RegisterEntry
from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.testing import login, make_user

from .conftest import msg, publish_article

pytestmark = pytest.mark.django_db


def _entry(world, **kw):
    article = publish_article(world, **kw)
    return RegisterEntry.objects.get(article=article)


def _clone(entry, n):
    """n more register rows of the same department (a big register without publishing n articles)."""
    rows = []
    for i in range(n):
        row = RegisterEntry.objects.get(pk=entry.pk)
        row.pk, row.title = None, f"{entry.title}-{i}"
        rows.append(row)
    return RegisterEntry.objects.bulk_create(rows)


@pytest.mark.req("S0-10")
def test_an_item_is_kept_lent_returned_and_each_step_is_audited_with_codes_only(client, world):
    entry = _entry(world, title="全委会通知")
    login(client, world.author)
    page = client.get("/content/archive/").content.decode()
    assert "全委会通知" in page and msg("Not yet filed") in page
    assert client.post(f"/content/archive/{entry.pk}/keep/", {"location": "档案室甲柜"}).status_code == 302
    record = ArchiveRecord.objects.get(entry=entry)
    assert record.status == "kept" and record.location == "档案室甲柜" and record.kept_by == world.author
    due = timezone.localdate() + dt.timedelta(days=7)
    response = client.post(
        f"/content/archive/{entry.pk}/lend/",
        {"borrower": "李借阅", "borrower_unit": "研究室", "purpose": "写总结", "due_on": due.isoformat(),
         "version": record.version},
    )  # fmt: skip
    assert response.status_code == 302
    loan = ArchiveLoan.objects.get(record=record)
    assert (loan.borrower, loan.borrower_unit, loan.due_on, loan.lent_by) == ("李借阅", "研究室", due, world.author)
    record.refresh_from_db()
    assert record.status == "lent"
    page = client.get(f"/content/archive/{entry.pk}/").content.decode()
    assert "李借阅" in page and due.isoformat() in page
    # a lent item cannot be lent again nor destroyed
    with pytest.raises(Conflict):
        services.lend_archive(actor=world.author, entry=entry, borrower="王", due_on=due)
    with pytest.raises(Conflict):
        services.request_destruction(actor=world.author, entry=entry, reason="到期")
    login(client, world.reviewer)
    assert client.post(f"/content/archive/{entry.pk}/return/", {"version": record.version}).status_code == 302
    loan.refresh_from_db()
    record.refresh_from_db()
    assert loan.returned_at is not None and loan.returned_to == world.reviewer and record.status == "kept"
    events = list(AuditEvent.objects.filter(event__startswith="content.archive.").order_by("id"))
    assert [e.event for e in events] == ["content.archive.keep", "content.archive.lend", "content.archive.return"]
    for event in events:
        text = str(event.after)
        assert "李借阅" not in text and "档案室" not in text and "写总结" not in text  # codes, not free text
        assert event.after["entry"] == entry.pk


@pytest.mark.req("S0-10")
def test_an_overdue_loan_is_visible_on_the_list_and_in_its_filter(client, world):
    overdue, on_time = _entry(world, title="逾期件"), _entry(world, title="未逾期件")
    for entry in (overdue, on_time):
        services.keep_archive(actor=world.author, entry=entry, location="甲柜")
        services.lend_archive(actor=world.author, entry=entry, borrower="张三", due_on=timezone.localdate())
    ArchiveLoan.objects.filter(record__entry=overdue).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    login(client, world.head)
    page = client.get("/content/archive/").content.decode()
    assert 'data-testid="overdue-count"' in page and page.count('data-testid="overdue"') == 1
    only = client.get("/content/archive/?state=overdue").content.decode()
    assert "逾期件" in only and "未逾期件" not in only
    services.return_archive(actor=world.author, entry=overdue)
    assert 'data-testid="overdue-count"' not in client.get("/content/archive/").content.decode()
    ret = AuditEvent.objects.get(event="content.archive.return")
    assert ret.after["days_late"] == 2


@pytest.mark.req("S0-10")
def test_a_destruction_needs_an_approver_other_than_its_requester(client, world):
    entry = _entry(world, title="待销毁件")
    services.keep_archive(actor=world.head, entry=entry, location="乙柜")
    login(client, world.head)
    response = client.post(f"/content/archive/{entry.pk}/destroy/", {"reason": "超过保管期限"})
    assert response.status_code == 302
    record = ArchiveRecord.objects.get(entry=entry)
    assert record.status == "destroy_req" and record.destruction_requested_by == world.head
    # the requester may not approve their own request, even as a head
    response = client.post(f"/content/archive/{entry.pk}/decide/", {"approve": "1", "note": ""})
    assert response.status_code == 400
    assert msg("A destruction needs an approver other than the person who asked for it.") in response.content.decode()
    with pytest.raises(PermissionDenied) as own:
        services.decide_destruction(actor=world.head, entry=entry, approve=True)
    assert own.value.code == "self_approval"
    # staff of the department may not approve at all
    with pytest.raises(PermissionDenied) as staff:
        services.decide_destruction(actor=world.author, entry=entry, approve=True)
    assert staff.value.code == "not_approver"
    # refusing needs a note; another head approves
    with pytest.raises(ValidationFailed):
        services.decide_destruction(actor=world.publisher, entry=entry, approve=False, note="")
    login(client, world.publisher)
    assert client.post(f"/content/archive/{entry.pk}/decide/", {"approve": "1", "note": "同意"}).status_code == 302
    record.refresh_from_db()
    assert record.status == "destroyed" and record.destruction_approved_by == world.publisher
    assert record.destroyed_at is not None
    page = client.get(f"/content/archive/{entry.pk}/").content.decode()
    assert world.head.real_name in page and world.publisher.real_name in page
    event = AuditEvent.objects.get(event="content.archive.destroy")
    assert event.actor == world.publisher and event.after["requested_by"] == world.head.pk
    # destroyed is final
    with pytest.raises(Conflict):
        services.keep_archive(actor=world.head, entry=entry, location="丙柜")
    with pytest.raises(Conflict):
        services.lend_archive(actor=world.head, entry=entry, borrower="王", due_on=timezone.localdate())


@pytest.mark.req("S0-10")
def test_a_refused_destruction_keeps_the_item_and_a_leader_may_approve(world):
    entry = _entry(world)
    services.keep_archive(actor=world.author, entry=entry, location="甲柜")
    services.request_destruction(actor=world.author, entry=entry, reason="重复件")
    services.decide_destruction(actor=world.head, entry=entry, approve=False, note="仍需保存")
    record = ArchiveRecord.objects.get(entry=entry)
    assert record.status == "kept" and record.refusal_note == "仍需保存"
    assert AuditEvent.objects.filter(event="content.archive.destroy_refuse", actor=world.head).exists()
    services.request_destruction(actor=world.author, entry=entry, reason="重复件")
    services.decide_destruction(actor=world.leader, entry=entry, approve=True)
    record.refresh_from_db()
    assert record.status == "destroyed" and record.destruction_approved_by == world.leader


@pytest.mark.req("S0-10")
def test_another_departments_or_bodys_archive_answers_as_missing(client, world, other):
    entry = _entry(world, title="办公厅的件")
    foreign = _entry(other, title="西山县的件")
    services.keep_archive(actor=world.author, entry=entry, location="甲柜")
    committee_staff = make_user(world.economy, roles=[Role.STAFF], real_name="经委干部")
    for user in (committee_staff, other.head, world.member):
        login(client, user)
        assert client.get(f"/content/archive/{entry.pk}/").status_code == 404
        assert client.post(f"/content/archive/{entry.pk}/keep/", {"location": "x"}).status_code == 404
        with pytest.raises(NotFound):
            services.lend_archive(actor=user, entry=entry, borrower="王", due_on=timezone.localdate())
        with pytest.raises(NotFound):
            services.decide_destruction(actor=user, entry=entry, approve=True)
    login(client, committee_staff)
    assert "办公厅的件" not in client.get("/content/archive/").content.decode()
    login(client, world.member)
    assert client.get("/content/archive/").status_code == 404
    # a missing entry answers the same
    login(client, world.author)
    assert client.get("/content/archive/999999/").status_code == 404
    assert client.get(f"/content/archive/{foreign.pk}/").status_code == 404
    assert client.post(f"/content/archive/{entry.pk}/explode/").status_code == 404
    # the body's information office oversees the archive
    login(client, world.info_officer)
    assert client.get(f"/content/archive/{entry.pk}/").status_code == 200


@pytest.mark.req("S0-10")
def test_bad_archive_input_is_refused_and_nothing_is_half_written(client, world):
    entry = _entry(world)
    with pytest.raises(Conflict) as unfiled:
        services.lend_archive(actor=world.author, entry=entry, borrower="王", due_on=timezone.localdate())
    assert unfiled.value.code == "archive_not_kept"
    with pytest.raises(ValidationFailed):
        services.keep_archive(actor=world.author, entry=entry, location="  ")
    with pytest.raises(ValidationFailed):
        services.keep_archive(actor=world.author, entry=entry, location="柜" * 101)
    with pytest.raises(ValidationFailed):
        services.keep_archive(actor=world.author, entry=entry, location="甲\x00柜")
    assert not ArchiveRecord.objects.exists()
    services.keep_archive(actor=world.author, entry=entry, location="甲柜")
    today = timezone.localdate()
    for due in (today - dt.timedelta(days=1), today + dt.timedelta(days=400)):
        with pytest.raises(ValidationFailed) as bad_due:
            services.lend_archive(actor=world.author, entry=entry, borrower="王", due_on=due)
        assert bad_due.value.code == "loan_due_invalid"
    with pytest.raises(ValidationFailed):
        services.lend_archive(actor=world.author, entry=entry, borrower="", due_on=today)
    assert not ArchiveLoan.objects.exists() and ArchiveRecord.objects.get().status == "kept"
    with pytest.raises(Conflict):
        services.return_archive(actor=world.author, entry=entry)
    with pytest.raises(Conflict) as stale:
        services.request_destruction(actor=world.author, entry=entry, reason="x", expected_version=99)
    assert stale.value.code == "stale_version"
    with pytest.raises(Conflict):
        services.decide_destruction(actor=world.head, entry=entry, approve=True)
    login(client, world.author)
    response = client.post(f"/content/archive/{entry.pk}/lend/", {"borrower": "王", "due_on": "not-a-date"})
    assert response.status_code == 400
    response = client.post(f"/content/archive/{entry.pk}/lend/", {"borrower": "王", "due_on": "1999-01-01"})
    assert response.status_code == 400
    assert msg("The return date must lie between today and a year from now.") in response.content.decode()
    assert not ArchiveLoan.objects.exists()


@pytest.mark.req("S0-10")
def test_the_archive_list_has_a_query_bound(client, world, django_assert_max_num_queries):
    entry = _entry(world)
    rows = _clone(entry, 4)
    for row in rows:
        services.keep_archive(actor=world.author, entry=row, location="甲柜")
        services.lend_archive(actor=world.author, entry=row, borrower="王", due_on=timezone.localdate())
    login(client, world.head)
    client.get("/content/archive/")
    with django_assert_max_num_queries(14):
        assert client.get("/content/archive/").status_code == 200
    for row in _clone(entry, 15):
        services.keep_archive(actor=world.author, entry=row, location="乙柜")
        services.lend_archive(actor=world.author, entry=row, borrower="李", due_on=timezone.localdate())
    with django_assert_max_num_queries(14):
        page = client.get("/content/archive/")
    assert page.status_code == 200 and page.content.decode().count("李") >= 15
