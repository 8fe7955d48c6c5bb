"""Department administrators (S3-15, S3-16), people (S3-4), analyses and results (S3-12, S3-13), the evaluation of
departments (S0-21) and mobilisation (S0-19), and the pages' query bounds."""

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.accounts.models import MemberProfile, RoleAssignment
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, NotFound, ValidationFailed
from lvzhi.duty import analyses, services
from lvzhi.duty.models import DepartmentAdmin, MemberYear
from lvzhi.testing import login, make_user

from .helpers import counted, enter


@pytest.mark.req("S3-15", "S3-16")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_one_administrator_per_department_and_the_rights_move_at_once(w):
    clerk_a = make_user(w.culture, real_name="文史干部甲")
    clerk_b = make_user(w.culture, real_name="文史干部乙")
    with pytest.raises(NotFound):  # only the members' work committee names them
        services.assign_admin(actor=w.econ_head, department=w.culture, user_id=clerk_a.pk)
    with pytest.raises(ValidationFailed):  # a person of the department
        services.assign_admin(actor=w.liaison_staff, department=w.culture, user_id=w.econ_staff.pk)
    services.assign_admin(actor=w.liaison_staff, department=w.culture, user_id=clerk_a.pk)
    # The administrator enters the department's records (cultural-history materials).
    rec = enter(w, kind="history", outcome="submitted", unit=w.culture, actor=clerk_a, title="文史资料")
    assert rec.unit == w.culture
    services.assign_admin(actor=w.liaison_staff, department=w.culture, user_id=clerk_b.pk)  # hand over
    assert DepartmentAdmin.objects.filter(department=w.culture, ended_at__isnull=True).get().user == clerk_b
    clerk_a = type(clerk_a).objects.get(pk=clerk_a.pk)  # a fresh request of the old holder: no rights any more
    with pytest.raises(NotFound):
        enter(w, kind="history", outcome="submitted", unit=w.culture, actor=clerk_a, title="文史资料2")
    clerk_b = type(clerk_b).objects.get(pk=clerk_b.pk)
    assert enter(w, kind="history", outcome="submitted", unit=w.culture, actor=clerk_b, title="文史资料3")
    with pytest.raises(Conflict):
        services.assign_admin(actor=w.liaison_staff, department=w.culture, user_id=clerk_b.pk)
    with pytest.raises(ValidationFailed):  # a refused hand-over leaves the holder in place, nothing half-done
        services.assign_admin(actor=w.liaison_staff, department=w.culture, user_id=w.econ_staff.pk)
    assert DepartmentAdmin.objects.filter(department=w.culture, ended_at__isnull=True).get().user == clerk_b
    assert DepartmentAdmin.objects.filter(department=w.culture).count() == 2
    handover = AuditEvent.objects.get(event="duty.admin.hand_over")
    assert handover.before == {"user": clerk_a.pk} and handover.after == {"user": clerk_b.pk}
    # The database itself refuses a second active administrator.
    with pytest.raises(IntegrityError), transaction.atomic():
        DepartmentAdmin.objects.create(department=w.culture, user=clerk_a)


@pytest.mark.req("S3-4")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_profiles_entered_kept_current_and_ended(w, client):
    newcomer = make_user(w.body, real_name="新委员")
    data = {"committee": w.econ.pk, "sector": w.sector.pk, "term": "第十三届", "workplace": "江海大学教授"}
    with pytest.raises(NotFound):  # a committee does not enter initial profiles
        services.enter_profile(actor=w.econ_staff, body=w.body, phone=newcomer.phone, data=data)
    with pytest.raises(ValidationFailed) as exc:
        services.enter_profile(actor=w.liaison_staff, body=w.body, phone="13999999999", data=data)
    assert exc.value.code == "phone_unknown"
    profile = services.enter_profile(actor=w.liaison_staff, body=w.body, phone=newcomer.phone, data=data)
    assert RoleAssignment.objects.filter(user=newcomer, role=Role.MEMBER, unit=w.body, revoked_at=None).exists()
    # The member's committee keeps it current, but does not move the member to another committee.
    services.update_profile(actor=w.econ_staff, profile=profile, data={**data, "workplace": "江海大学副校长"})
    assert MemberProfile.objects.get(pk=profile.pk).workplace == "江海大学副校长"
    with pytest.raises(Exception) as exc:
        services.update_profile(actor=w.econ_staff, profile=profile, data={**data, "committee": w.social.pk})
    assert exc.value.code == "committee_change_forbidden"
    with pytest.raises(NotFound):
        services.update_profile(actor=w.social_staff, profile=profile, data=data)
    login(client, w.econ_staff)
    assert "新委员" in client.get("/duty/people/").content.decode()
    client.logout()
    login(client, w.social_staff)
    assert "新委员" not in client.get("/duty/people/").content.decode()
    # Leaving: the members' work committee ends the profile; the history stays.
    with pytest.raises(NotFound):
        services.retire_profile(actor=w.econ_staff, profile=profile, reason="届满")
    services.retire_profile(actor=w.liaison_staff, profile=profile, reason="届满")
    assert not MemberProfile.objects.get(pk=profile.pk).is_active
    assert not RoleAssignment.objects.filter(user=newcomer, role=Role.MEMBER, revoked_at=None).exists()
    assert AuditEvent.objects.filter(event="accounts.profile.end", object_id=str(newcomer.pk)).exists()


@pytest.mark.req("S3-12", "S3-13")
def test_yearly_analysis_with_last_year_and_the_signed_off_results(w, client):
    with freeze_time("2025-06-11 10:00:00+08:00"):
        from lvzhi.duty import ruledata

        ruledata.install(
            actor=None, body=w.body, year=2025, rules=ruledata.CITY_RULES, caps=ruledata.CITY_CAPS, threshold=10
        )
        counted(w, member=w.m1, kind="speech", outcome="delivered", day=dt.date(2025, 6, 10))
    with freeze_time("2026-06-11 10:00:00+08:00"):
        counted(w, member=w.m1, kind="plenary_speech", outcome="delivered", unit=w.general, actor=w.gen_staff)
        counted(w, member=w.m2, kind="meeting", outcome="attended")
        services.recompute_year(body=w.body, year=2026)
        a = analyses.analyse(body=w.body, year=2026, threshold=10)
        assert (a.members, a.maximum, a.minimum, a.below_count) == (3, 10, 0, 2)
        assert (a.average, a.last_year_members, a.last_year_average) == (4.0, 3, 1.3)  # 2025: m1 had 4 points
        econ = analyses.analyse(body=w.body, year=2026, committee=w.econ, threshold=10)
        assert econ.members == 2 and [row.member for row in econ.below] == [w.m2]
        login(client, w.econ_staff)
        page = client.get("/duty/analysis/?year=2026&threshold=10")
        html = page.content.decode()
        assert page.status_code == 200 and "<svg" in html and "经济委员会" in html and "陶宏宇" not in html
        xlsx = client.get("/duty/analysis/export.xlsx?year=2026&threshold=10")
        book = load_workbook(io.BytesIO(xlsx.content))
        assert book["低于积分线"]["A2"].value == "魏静怡"
    with freeze_time("2027-01-08 10:00:00+08:00"):
        client.logout()
        login(client, w.liaison_head)
        response = client.post("/duty/results/", {"year": 2026, "to_employers": "1"})
        assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
        book = load_workbook(io.BytesIO(response.content))
        rows = list(book.active.iter_rows(min_row=2, values_only=True))
        assert rows[0][:2] == (1, "金文博") and rows[0][5] == 10
        pub = AuditEvent.objects.get(event="duty.results.publish")
        assert pub.after["recipients"] == ["party_organisation", "united_front", "employers"]
        assert client.post("/duty/results/", {"year": 2026}).status_code == 302  # twice: refused, with a message


@pytest.mark.req("S0-21", "S0-19")
def test_departments_are_evaluated_on_organising_members(w, client):
    with freeze_time("2026-06-10 09:00:00+08:00"):
        event = services.open_event(
            actor=w.econ_staff,
            organiser=w.econ,
            title="座谈会",
            day=dt.date(2026, 6, 10),
            invitee_ids=[w.m1.pk, w.m2.pk],
        )
        services.remind_invitees(actor=w.econ_staff, event=event)
        services.check_in(actor=w.m1, event_id=event.pk, token=services.qr_token(event))
        services.close_event(actor=w.econ_staff, event=event)
    with freeze_time("2026-06-25 09:00:00+08:00"):  # entered late: after 5 working days
        services.enter_event_records(actor=w.econ_staff, event=event)
        obj = services.raise_objection(
            actor=w.m2, body=w.body, year=2026, target="total", to="liaison", text_value="请核实"
        )
        services.answer_objection(actor=w.liaison_staff, objection=obj, uphold=False, answer="无误")
    rows = {r["unit"].pk: r for r in analyses.department_evaluation(body=w.body, year=2026)}
    econ = rows[w.econ.pk]
    assert (econ["events"], econ["invitations"], econ["reminders"], econ["reached"]) == (1, 2, 2, 2)
    assert (econ["participation"], econ["records"], econ["records_on_time"]) == (50.0, 2, 0.0)
    assert (rows[w.liaison.pk]["objections"], rows[w.liaison.pk]["objections_on_time"]) == (1, 100.0)
    login(client, w.leader)
    html = client.get("/duty/departments/?year=2026").content.decode()
    assert "经济委员会" in html and "50.0" in html


@pytest.mark.req("S3-9", "S3-10")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_list_pages_have_a_query_bound_whatever_the_data(w, client, django_assert_max_num_queries):
    from lvzhi.accounts import services as account_services
    from lvzhi.testing import make_user as mk

    for i in range(30):
        m = mk(w.body, roles=[(Role.MEMBER, w.body)], real_name=f"委员{i}")
        account_services.set_member_profile(actor=None, user=m, body=w.body, committee=w.econ, sector=w.sector)
        counted(w, member=m, title=f"会议{i}")
    services.recompute_year(body=w.body, year=2026)
    login(client, w.liaison_head)
    for url in (
        "/duty/ranking/?year=2026",
        "/duty/manage/",
        "/duty/people/",
        "/duty/analysis/?year=2026",
        "/duty/departments/?year=2026",
        "/duty/events/",
        "/duty/objections/",
        "/api/v1/duty/ranking?year=2026",
    ):
        with django_assert_max_num_queries(40):
            assert client.get(url).status_code == 200, url
    client.logout()
    login(client, w.m1)
    with django_assert_max_num_queries(30):
        assert client.get("/duty/?year=2026").status_code == 200
    assert MemberYear.objects.filter(body=w.body, year=2026).count() == 33
