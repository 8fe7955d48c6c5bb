"""Staff with their roles from a spreadsheet (issue 20): only the information office imports them, only roles it may
grant (三员分立: no administrator role, no information office, no members), every bad row refused in Chinese, every
account audited with a password to change, the same file twice changing nothing, the export round trip."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from lvzhi.accounts.models import RoleAssignment, User
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import NotFound
from lvzhi.notify.models import Delivery
from lvzhi.onboarding import services
from lvzhi.onboarding.columns import STAFF_COLUMNS
from lvzhi.onboarding.models import ImportJob
from lvzhi.orgs.models import UnitLeader
from lvzhi.testing import login, make_unit, make_user

from .conftest import id_card, xlsx_file
from .test_import import confirm, create

pytestmark = [pytest.mark.req("S0-2"), pytest.mark.req("S0-26"), pytest.mark.req("S3-4")]

STAFF_HEADERS = [c.header for c in STAFF_COLUMNS]


def staff_row(i: int, **over) -> list:
    values = {
        "real_name": f"干部{i:04d}",
        "phone": f"1390000{3500 + i:04d}",
        "id_card": id_card(500 + i),
        "unit": "办公室",
        "role": "工作人员",
        "title": "科员",
    }
    values.update(over)
    return [values[c.key] for c in STAFF_COLUMNS]


def staff_file(rows, name="staff.xlsx"):
    return xlsx_file(rows, headers=STAFF_HEADERS, name=name)


def named(unit):
    for duty in UnitLeader.Duty.values:
        UnitLeader.objects.create(unit=unit, duty=duty, name="某领导")
    return unit


@pytest.fixture
def office(world):
    world.office = named(make_unit(world.body, "办公室"))
    world.bare = make_unit(world.body, "研究室")  # no responsible leaders named yet (S2-5)
    return world


def upload_staff(world, rows, actor=None):
    return create(actor=actor or world.info, body=world.body, kind="staff", upload=staff_file(rows))


def test_every_kind_of_bad_staff_row_is_refused_with_its_message(office):
    w = office
    make_user(w.body, real_name="王已有", phone="13900003590")
    admin = make_user(w.office, roles=[Role.SECADMIN], real_name="安全员", phone="13900003591")
    make_user(w.other, real_name="外机构人", phone="13900003592")
    rows = [
        staff_row(1),  # clean
        staff_row(2, phone="1390000"),  # phone format
        staff_row(3, id_card=id_card(503)[:-1] + ("0" if id_card(503)[-1] != "0" else "1")),  # check digit
        staff_row(4, unit="不存在处"),  # unit not in the body
        staff_row(5, role="系统管理员"),  # 三员: never by an office
        staff_row(6, role="审计管理员"),
        staff_row(7, role="信息化办"),  # the information office does not multiply itself
        staff_row(8, role="委员"),  # members come through their own list
        staff_row(9, role="宇航员"),  # unknown role
        staff_row(10, unit="研究室"),  # S2-5: the unit's leaders are not named
        staff_row(11, phone="13900003590"),  # another person's number
        staff_row(12, real_name=admin.real_name, phone=admin.phone, id_card=""),  # an administrator
        staff_row(13, real_name="外机构人", phone="13900003592", id_card=""),  # works in another body
        staff_row(14, role=""),  # role missing
        staff_row(1, role="工作人员"),  # the same role at the same unit twice
    ]
    job = upload_staff(w, rows)
    assert job.status == ImportJob.Status.CHECKED
    found = {(p.row, p.code): p.message for p in job.problems.all()}
    assert set(found) == {
        (3, "phone_invalid"),
        (4, "id_card_invalid"),
        (5, "unknown_unit"),
        (6, "role_not_grantable"),
        (7, "role_not_grantable"),
        (8, "role_not_grantable"),
        (9, "role_not_grantable"),
        (10, "unknown_role"),
        (11, "unit_leaders_missing"),
        (12, "phone_other_person"),
        (13, "admin_roles_separated"),
        (14, "account_other_body"),
        (15, "role_required"),
        (16, "duplicate_role"),
    }
    assert "不存在处" in found[(5, "unknown_unit")]
    assert "系统管理员" in found[(6, "role_not_grantable")] and "安全管理员" in found[(6, "role_not_grantable")]
    assert found[(13, "admin_roles_separated")] == "管理员不得兼任其他角色。"
    assert found[(16, "duplicate_role")] == "与第2行同一单位同一角色重复。"
    confirm(actor=w.info, job=job, exclude_bad_rows=True)
    job.refresh_from_db()
    assert (job.status, job.rows_created, job.rows_excluded) == (ImportJob.Status.DONE, 1, 14)
    # Nothing of a refused row was written: no administrator role, no role for the administrator.
    assert (
        not RoleAssignment.objects.filter(role__in=[Role.SYSADMIN, Role.AUDITADMIN, Role.INFO_OFFICE])
        .exclude(user__in=[w.info, w.sysadmin])
        .exists()
    )
    assert set(RoleAssignment.objects.filter(user=admin, revoked_at=None).values_list("role", flat=True)) == {
        Role.SECADMIN
    }


def test_a_clean_staff_file_twice_changes_nothing_and_every_account_is_audited(office, settings):
    w = office
    rows = [staff_row(i) for i in range(1, 6)] + [staff_row(1, role="处室负责人")]  # one person, two roles
    first = upload_staff(w, rows)
    assert first.rows_bad == 0, list(first.problems.values_list("message", flat=True))
    confirm(actor=w.info, job=first, send_sms=True)
    first.refresh_from_db()
    assert (first.status, first.rows_created, first.rows_updated, first.rows_failed) == ("done", 5, 1, 0)
    user = User.objects.get(phone=staff_row(1)[1])
    assert (user.unit, user.title, user.must_change_password) == (w.office, "科员", True)
    assert set(RoleAssignment.objects.filter(user=user, revoked_at=None).values_list("role", flat=True)) == {
        Role.STAFF,
        Role.HEAD,
    }
    created = User.objects.filter(phone__in=[r[1] for r in rows])
    for person in created:
        assert AuditEvent.objects.filter(event="accounts.user.create", object_id=str(person.pk)).count() == 1
        assert AuditEvent.objects.filter(event="accounts.password.issue_initial", object_id=str(person.pk)).count() == 1
    assert Delivery.objects.filter(to__in=[r[1] for r in rows], channel="sms").count() == 5
    events = AuditEvent.objects.count()
    second = upload_staff(w, rows)
    assert second.rows_bad == 0, list(second.problems.values_list("message", flat=True))
    confirm(actor=w.info, job=second, send_sms=True)
    second.refresh_from_db()
    assert (second.rows_created, second.rows_updated, second.rows_unchanged) == (0, 0, 6)
    assert AuditEvent.objects.count() == events + 3  # the job's own create, confirm, done
    assert Delivery.objects.filter(channel="sms").count() == 5


def test_the_staff_export_reimports_unchanged(office):
    w = office
    upload = upload_staff(w, [staff_row(i) for i in range(1, 4)] + [staff_row(2, role="机关领导")])
    confirm(actor=w.info, job=upload)
    data = services.export_workbook(actor=w.info, body=w.body, kind="staff")
    rows = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == STAFF_HEADERS and len(rows) == 6  # with the fixture's liaison clerk
    again = create(actor=w.info, body=w.body, kind="staff", upload=SimpleUploadedFile("s.xlsx", data))
    assert again.rows_bad == 0, list(again.problems.values_list("message", flat=True))
    confirm(actor=w.info, job=again)
    again.refresh_from_db()
    assert (again.rows_total, again.rows_unchanged) == (5, 5)


def test_only_the_information_office_of_the_body_imports_staff(office, client):
    w = office
    f = staff_file([staff_row(1)])
    job = upload_staff(w, [staff_row(1)])
    other_info = make_user(w.other, roles=[(Role.INFO_OFFICE, w.other, True)], real_name="外信息员")
    for actor in (w.clerk, w.sysadmin, other_info):  # liaison office, 三员, another body's information office
        with pytest.raises(NotFound):
            services.create_job(actor=actor, body=w.body, kind="staff", upload=f)
        with pytest.raises(NotFound):
            services.confirm_job(actor=actor, job=job)
        with pytest.raises(NotFound):
            services.export_workbook(actor=actor, body=w.body, kind="staff")
        if actor == w.sysadmin:
            continue  # an administrator's pages first want the second factor (S2-34); the services refuse above
        client.force_login(actor)
        for url in (
            f"/office/onboarding/jobs/{job.pk}/",
            f"/office/onboarding/bodies/{w.body.pk}/staff/template.xlsx",
            f"/office/onboarding/bodies/{w.body.pk}/staff/export.xlsx",
        ):
            assert client.get(url).status_code == 404, (actor, url)
    login(client, w.info)
    template = client.get(f"/office/onboarding/bodies/{w.body.pk}/staff/template.xlsx")
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == STAFF_HEADERS
    assert [c.value for c in sheet[2]][4] == "工作人员"  # the example row
    formulas = " ".join(v.formula1 for v in sheet.data_validations.dataValidation)
    assert "工作人员" in formulas and "系统管理员" not in formulas
    assert "办公室" in [c.value for c in book["选项"]["D"]]


def test_the_demo_offices_reach_the_staff_and_history_imports(db, client):
    from lvzhi.onboarding.demo import INFO_CLERK, PROPOSALS_CLERK, load_onboarding_demo
    from lvzhi.onboarding.permissions import may_import
    from lvzhi.orgs.models import UnitFunction, UnitKind
    from lvzhi.testing import make_body

    body = make_body("江海市政协")
    make_unit(body, "委员联络委员会", kind=UnitKind.COMMITTEE, function=UnitFunction.LIAISON_OFFICE)
    make_unit(body, "经济界", kind=UnitKind.SECTOR)
    make_unit(body, "信息化办", function=UnitFunction.INFO_OFFICE)
    make_unit(body, "提案委员会", kind=UnitKind.COMMITTEE, function=UnitFunction.PROPOSALS_OFFICE)
    assert load_onboarding_demo() >= 3
    info, proposals = User.objects.get(phone=INFO_CLERK), User.objects.get(phone=PROPOSALS_CLERK)
    assert may_import(info, body, "staff") and not may_import(proposals, body, "staff")
    assert may_import(proposals, body, "proposals") and not may_import(proposals, body, "members")
    client.force_login(proposals)
    page = client.get("/office/onboarding/").content.decode()
    assert 'data-testid="template-proposals"' in page and 'data-testid="template-staff"' not in page
    assert client.get(f"/office/onboarding/bodies/{body.pk}/proposals/template.xlsx").status_code == 200
    client.force_login(info)
    assert client.get(f"/office/onboarding/bodies/{body.pk}/staff/template.xlsx").status_code == 200
    assert load_onboarding_demo() == 0  # idempotent
