"""Onboarding a body from spreadsheets (issue 20): every kind of bad row refused with its message, a clean file
imported twice changing nothing the second time, a term change, the export round trip, permissions and bounds."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from openpyxl import load_workbook

from lvzhi.accounts.models import MemberProfile, RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.audit.services import verify_chain
from lvzhi.core.errors import Conflict, NotFound
from lvzhi.onboarding import services
from lvzhi.onboarding.models import ImportJob, RowResult, TermRoll
from lvzhi.testing import login, make_user

from .conftest import HEADERS, csv_file, id_card, member_row, xlsx_file

pytestmark = [pytest.mark.req("S0-2"), pytest.mark.req("S0-26"), pytest.mark.req("S3-4")]


def committed():
    """The tasks are queued at commit (the immediate backend then runs them)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def create(**kw) -> ImportJob:
    with committed():
        job = services.create_job(**kw)
    job.refresh_from_db()
    return job


def confirm(**kw) -> None:
    with committed():
        services.confirm_job(**kw)


def upload(world, f, actor=None, **kw) -> ImportJob:
    return create(actor=actor or world.clerk, body=world.body, kind="members", upload=f, **kw)


def run(world, rows, actor=None, exclude=False, **kw) -> ImportJob:
    job = upload(world, xlsx_file(rows), actor=actor, **kw)
    confirm(actor=actor or world.clerk, job=job, exclude_bad_rows=exclude)
    job.refresh_from_db()
    return job


def test_every_kind_of_bad_row_is_refused_with_its_message(world):
    stored = make_user(world.body, real_name="王已有", phone="13900003201")
    make_user(world.body, real_name="李外地", phone="13900003202")
    MemberProfile.objects.create(user=User.objects.get(phone="13900003202"), body=world.other)
    rows = [
        member_row(1),  # clean
        member_row(2, phone="1234567"),  # phone format
        member_row(3, id_card=id_card(3)[:-1] + ("0" if id_card(3)[-1] != "0" else "1")),  # check digit
        member_row(4, phone=member_row(1)[1]),  # duplicate phone in the file
        member_row(5, id_card=member_row(1)[2]),  # duplicate ID in the file
        member_row(6, phone=stored.phone),  # another person's account
        member_row(7, sector="不存在界"),  # unknown sector
        member_row(8, committee="不存在委员会"),  # unknown committee
        member_row(9, real_name="李外地", phone="13900003202"),  # a person in two bodies
        member_row(10, party="某某党"),  # unknown party
        member_row(11, term=""),  # missing term
    ]
    job = upload(world, xlsx_file(rows))
    assert job.status == ImportJob.Status.CHECKED
    assert (job.rows_total, job.rows_bad) == (11, 10)
    found = {(p.row, p.code): p.message for p in job.problems.all()}
    assert set(found) == {
        (3, "phone_invalid"),
        (4, "id_card_invalid"),
        (5, "duplicate_phone"),
        (6, "duplicate_id_card"),
        (7, "phone_other_person"),
        (8, "unknown_sector"),
        (9, "unknown_committee"),
        (10, "in_two_bodies"),
        (11, "unknown_party"),
        (12, "term_required"),
    }
    assert found[(5, "duplicate_phone")] == "与第2行手机号相同。"
    assert "不存在界" in found[(8, "unknown_sector")]
    assert "另一机构" in found[(10, "in_two_bodies")] or "其他机构" in found[(10, "in_two_bodies")]
    # Nothing is written until the file is clean or the bad rows are left out explicitly.
    with pytest.raises(Conflict) as refused:
        services.confirm_job(actor=world.clerk, job=job)
    assert refused.value.code == "file_not_clean"
    assert not User.objects.filter(phone=member_row(1)[1]).exists()
    confirm(actor=world.clerk, job=job, exclude_bad_rows=True)
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_excluded) == (ImportJob.Status.DONE, 1, 10)
    assert set(job.results.values_list("outcome", flat=True)) == {"created", "excluded"}
    assert not User.objects.filter(phone="1234567").exists()


def test_a_clean_file_imported_twice_changes_nothing_the_second_time(world):
    rows = [member_row(i) for i in range(1, 31)]
    first = run(world, rows)
    assert (first.status, first.rows_created, first.rows_failed) == (ImportJob.Status.DONE, 30, 0)
    user = User.objects.get(phone=member_row(1)[1])
    assert user.must_change_password and not user.has_usable_password()
    assert user.id_card == member_row(1)[2]
    assert RoleAssignment.objects.filter(user=user, role=Role.MEMBER, unit=world.body, revoked_at=None).exists()
    profile = MemberProfile.objects.get(user=user, body=world.body)
    assert (profile.sector, profile.committee, profile.party, profile.term) == (
        world.sector,
        world.committee,
        "九三学社",
        "第十四届",
    )
    assert AuditEvent.objects.filter(event="accounts.user.create", object_id=str(user.pk)).count() == 1
    assert verify_chain(checkpoints=[]).ok  # the bulk-appended events keep the chain whole
    events = AuditEvent.objects.count()
    second = run(world, rows)
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 30)
    assert User.objects.count() == 30 + 4
    # Only the job's own three events (create, confirm, done): no account, role or profile was touched.
    assert AuditEvent.objects.count() == events + 3


def test_gbk_csv_reads_like_the_workbook(world):
    job = upload(world, csv_file([member_row(1), member_row(2)], encoding="gbk"))
    assert (job.status, job.rows_total, job.rows_bad) == (ImportJob.Status.CHECKED, 2, 0)
    job = upload(world, csv_file([member_row(1)], encoding="utf-8-sig"))
    assert (job.rows_total, job.rows_bad) == (1, 0)


def test_a_file_without_the_template_headers_is_refused_in_words(world):
    job = upload(world, xlsx_file([["x"]], headers=["名字", "电话"]))
    assert job.status == ImportJob.Status.FAILED
    assert "姓名" in job.error
    job = upload(world, SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not a zip"))
    assert job.status == ImportJob.Status.FAILED


def test_the_sms_option_issues_an_initial_password(world, settings):
    job = upload(world, xlsx_file([member_row(1)]))
    confirm(actor=world.clerk, job=job, send_sms=True)
    user = User.objects.get(phone=member_row(1)[1])
    assert user.has_usable_password() and user.must_change_password
    from lvzhi.notify.models import Delivery

    assert Delivery.objects.filter(to=user.phone, channel="sms").count() == 1


def test_term_change_marks_leavers_former_and_keeps_their_records(world):
    run(world, [member_row(i, term="第十三届") for i in range(1, 6)])
    new_list = [member_row(i) for i in (1, 2, 3)] + [member_row(i) for i in (6, 7)]
    job = upload(world, xlsx_file(new_list), replaces_term="第十三届")
    assert (job.term_stays, job.term_leaves, job.term_new) == (3, 2, 2)
    confirm(actor=world.clerk, job=job)
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_updated, job.rows_left) == (ImportJob.Status.DONE, 2, 3, 2)
    leaver = User.objects.get(phone=member_row(4)[1])
    assert leaver.is_active  # the account and its records stay
    assert not MemberProfile.objects.get(user=leaver, body=world.body).is_active
    assert not RoleAssignment.objects.filter(user=leaver, role=Role.MEMBER, revoked_at=None).exists()
    stayer = User.objects.get(phone=member_row(1)[1])
    assert MemberProfile.objects.get(user=stayer, body=world.body).term == "第十四届"
    rolls = TermRoll.objects.filter(body=world.body)
    assert rolls.filter(term="第十三届", is_current=False).count() == 5
    assert rolls.filter(term="第十四届", is_current=True).count() == 5
    assert AuditEvent.objects.filter(event="accounts.profile.end").count() == 2
    with pytest.raises(Exception) as unknown:
        upload(world, xlsx_file(new_list), replaces_term="第九届")
    assert unknown.value.code == "term_unknown"


def test_export_then_import_changes_nothing(world):
    run(world, [member_row(i) for i in range(1, 21)])
    for actor in (world.info, world.clerk):  # full numbers / masked ID numbers
        data = services.export_workbook(actor=actor, body=world.body, kind="members")
        sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == HEADERS and len(rows) == 21
        masked = "*" in (rows[1][2] or "")
        assert masked == (actor == world.clerk)
        job = upload(world, SimpleUploadedFile("export.xlsx", data), actor=actor)
        assert job.rows_bad == 0, list(job.problems.values_list("message", flat=True))
        confirm(actor=actor, job=job)
        job.refresh_from_db()
        assert (job.rows_total, job.rows_unchanged, job.rows_created, job.rows_updated) == (20, 20, 0, 0)


def test_units_import_builds_the_tree_and_round_trips(world):
    book = [
        ["W1", "文史委员会", "专委会", "", "文史委"],
        ["W2", "文史一处", "办公室", "W1", ""],
        ["W3", "文史二处", "办公室", "文史委员会", ""],
        ["W4", "坏的", "星球", "W9", ""],
    ]
    from lvzhi.onboarding.columns import UNIT_COLUMNS

    f = xlsx_file(book, headers=[c.header for c in UNIT_COLUMNS], name="units.xlsx")
    with pytest.raises(NotFound):
        services.create_job(actor=world.clerk, body=world.body, kind="units", upload=f)
    job = create(actor=world.sysadmin, body=world.body, kind="units", upload=f)
    assert {p.code for p in job.problems.all()} == {"unknown_kind", "unknown_parent"}
    confirm(actor=world.sysadmin, job=job, exclude_bad_rows=True)
    job.refresh_from_db()
    assert job.rows_created == 3
    top = world.body.units.get(name="文史委员会")
    assert set(top.children.values_list("name", flat=True)) == {"文史一处", "文史二处"}
    data = services.export_workbook(actor=world.sysadmin, body=world.body, kind="units")
    again = create(actor=world.sysadmin, body=world.body, kind="units", upload=SimpleUploadedFile("u.xlsx", data))
    assert again.rows_bad == 0
    confirm(actor=world.sysadmin, job=again)
    again.refresh_from_db()
    assert again.rows_created == 0 and again.rows_unchanged == again.rows_total


def test_another_bodys_office_cannot_import_into_yours_or_see_your_jobs(world, client):
    job = upload(world, xlsx_file([member_row(1)]))
    f = xlsx_file([member_row(2)])
    for actor in (world.other_clerk, world.sysadmin):  # another body's liaison; the system administrator (三员)
        with pytest.raises(NotFound):
            services.create_job(actor=actor, body=world.body, kind="members", upload=f)
        with pytest.raises(NotFound):
            services.confirm_job(actor=actor, job=job)
        with pytest.raises(NotFound):
            services.export_workbook(actor=actor, body=world.body, kind="members")
    login(client, world.other_clerk)
    for url in (
        f"/office/onboarding/jobs/{job.pk}/",
        f"/office/onboarding/jobs/{job.pk}/report.xlsx",
        f"/office/onboarding/bodies/{world.body.pk}/members/export.xlsx",
    ):
        assert client.get(url).status_code == 404
    response = client.post(f"/office/onboarding/jobs/{job.pk}/confirm/")
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKED
    member = make_user(world.body, real_name="某委员")
    client.logout()
    login(client, member)
    assert client.get("/office/onboarding/").status_code == 404


def test_pages_through_the_office_upload_confirm_and_report(world, client):
    login(client, world.clerk)
    page = client.get("/office/onboarding/")
    assert page.status_code == 200
    assert client.get(f"/office/onboarding/bodies/{world.body.pk}/members/template.xlsx").status_code == 200
    with committed():
        response = client.post(
            "/office/onboarding/",
            {"body": world.body.pk, "kind": "members", "file": xlsx_file([member_row(1), member_row(2, phone="1")])},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    page = client.get(response["Location"])
    assert "手机号" in page.content.decode() or "11" in page.content.decode()
    assert 'data-code="phone_invalid"' in page.content.decode()
    with committed():
        client.post(f"/office/onboarding/jobs/{job.pk}/confirm/", {"exclude_bad_rows": "on"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    report = client.get(f"/office/onboarding/jobs/{job.pk}/report.xlsx")
    book = load_workbook(io.BytesIO(report.content), read_only=True)
    assert len(book.sheetnames) == 3
    template = client.get(f"/office/onboarding/bodies/{world.body.pk}/members/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.data_validations.dataValidation  # the lists (party, sector, committee)


def test_list_pages_are_bounded_in_queries(world, client, django_assert_max_num_queries):
    login(client, world.clerk)
    job = upload(world, xlsx_file([member_row(i, phone="x") for i in range(1, 4)]))

    def pages():
        with django_assert_max_num_queries(14):
            assert client.get("/office/onboarding/").status_code == 200
        with django_assert_max_num_queries(14):
            assert client.get(f"/office/onboarding/jobs/{job.pk}/").status_code == 200

    pages()
    for _ in range(5):
        upload(world, xlsx_file([member_row(i, phone="x") for i in range(1, 80)]))
    job = upload(world, xlsx_file([member_row(i, phone="x") for i in range(1, 80)]))
    pages()
    assert RowResult.objects.count() == 0


def test_the_upload_is_deleted_once_the_job_is_done_failed_or_cancelled(world, client):
    storage = ImportJob._meta.get_field("file").storage
    done = run(world, [member_row(1)])
    assert done.status == ImportJob.Status.DONE and not done.file
    assert done.file_digest and done.results.count() == 1  # the report stays
    failed = upload(world, SimpleUploadedFile("a.xlsx", b"PK\x03\x04 not a zip"))
    assert failed.status == ImportJob.Status.FAILED and not failed.file
    checked = upload(world, xlsx_file([member_row(2)]))
    name = checked.file.name
    assert storage.exists(name)
    with pytest.raises(NotFound):
        services.cancel_job(actor=world.other_clerk, job=checked)
    login(client, world.clerk)
    with committed():
        assert client.post(f"/office/onboarding/jobs/{checked.pk}/cancel/").status_code == 302
    checked.refresh_from_db()
    assert checked.status == ImportJob.Status.CANCELLED and not checked.file and not storage.exists(name)
    assert AuditEvent.objects.filter(event="onboarding.job.cancel", object_id=str(checked.pk)).count() == 1
    with pytest.raises(Conflict):
        services.confirm_job(actor=world.clerk, job=checked)


def test_the_tick_job_cancels_unconfirmed_files_after_two_weeks(world):
    import datetime as dt

    from django.utils import timezone

    from lvzhi.core.tick import run_tick

    fresh = upload(world, xlsx_file([member_row(1)]))
    stale = upload(world, xlsx_file([member_row(2)]))
    ImportJob.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(days=15))
    name = stale.file.name
    with committed():
        result = run_tick(only=["onboarding.purge_uploads"])
    assert "error" not in str(result["onboarding.purge_uploads"])
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, bool(stale.file)) == (ImportJob.Status.CANCELLED, False)
    assert not ImportJob._meta.get_field("file").storage.exists(name)
    assert (fresh.status, bool(fresh.file)) == (ImportJob.Status.CHECKED, True)
