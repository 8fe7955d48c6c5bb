"""Incident reporting and traceability (S2-34): security events raise incidents for the security administrator,
de-duplicated within a window, handled (acknowledged, closed) and exported in the back office."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.accounts import auth_services
from lvzhi.accounts.errors import AccountLocked, InvalidCredentials, TokenInvalid
from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import Conflict, ValidationFailed
from lvzhi.notify.models import Delivery, Message
from lvzhi.security import services
from lvzhi.security.middleware import PendingIncidentsMiddleware
from lvzhi.security.models import Incident
from lvzhi.testing import login, make_body, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return make_body("安全市政协")


@pytest.fixture
def office(body):
    return make_unit(body, "信息化办", function="info_office")


@pytest.fixture
def secadmin(body):
    return make_user(body, roles=[("secadmin", body, True)], real_name="安全员")


@pytest.fixture
def other_secadmin():
    other = make_body("他市政协")
    return make_user(other, roles=[("secadmin", other, True)], real_name="他市安全员")


@pytest.fixture
def member(office):
    return make_user(office, roles=["staff"], real_name="职员甲")


def _fail_login(user, times):
    for _ in range(times):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            auth_services.login_with_password(phone=user.phone, password="wrong-password")


# --- lockouts -----------------------------------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_a_lockout_raises_one_incident_for_the_security_administrators_of_the_unit(
    settings, member, secadmin, other_secadmin
):
    settings.LVZHI_LOCKOUT_ATTEMPTS = 3
    _fail_login(member, 2)
    assert not Incident.objects.exists()
    _fail_login(member, 1)  # the third failure locks
    incident = Incident.objects.get()
    assert (incident.kind, incident.severity, incident.status) == ("account_lockout", "medium", "open")
    assert (incident.subject_type, incident.subject_id, incident.org_unit_id) == (
        "accounts.user",
        str(member.pk),
        member.unit_id,
    )
    assert incident.detail["user"] == member.pk and incident.detail["channel"] == "web"
    message = Message.objects.get(event="security.incident.raise")
    assert message.recipient == secadmin  # not the other body's security administrator
    assert message.link == f"/office/security/incidents/{incident.pk}/"
    assert "账户因连续登录失败被锁定" in message.title
    raised = AuditEvent.objects.get(event="security.incident.raise")
    assert raised.after["incident"] == incident.pk
    assert "职员甲" not in str(raised.after) and member.phone not in str(raised.after)


@pytest.mark.req("S2-34")
def test_repeats_within_the_window_are_counted_not_raised_again(settings, member, secadmin):
    settings.LVZHI_LOCKOUT_ATTEMPTS = 1
    start = timezone.now()
    with freeze_time(start):
        _fail_login(member, 1)
    for minutes in (31, 62):  # the lock (30 minutes) ended; locked again within the hour of the last one
        with freeze_time(start + dt.timedelta(minutes=minutes)):
            _fail_login(member, 1)
    incident = Incident.objects.get()
    assert incident.occurrences == 3
    assert incident.last_seen_at == start + dt.timedelta(minutes=62)
    assert Message.objects.filter(event="security.incident.raise").count() == 1  # no flood
    # a repeat long after the window is a new incident, told again
    with freeze_time(start + dt.timedelta(hours=4)):
        _fail_login(member, 1)
    assert Incident.objects.count() == 2
    assert Message.objects.filter(event="security.incident.raise").count() == 2


@pytest.mark.req("S2-34")
def test_a_closed_incident_is_not_reopened_by_a_repeat(settings, member, secadmin):
    settings.LVZHI_LOCKOUT_ATTEMPTS = 1
    _fail_login(member, 1)
    first = Incident.objects.get()
    services.close(actor=secadmin, incident=first)
    with freeze_time(timezone.now() + dt.timedelta(minutes=31)):
        _fail_login(member, 1)
    assert Incident.objects.count() == 2
    first.refresh_from_db()
    assert (first.status, first.occurrences) == ("closed", 1)


@pytest.mark.req("S2-34")
def test_unknown_number_lockout_is_an_incident_without_the_number(settings, secadmin):
    settings.LVZHI_LOCKOUT_ATTEMPTS = 2
    for _ in range(2):
        with pytest.raises((InvalidCredentials, AccountLocked)):
            auth_services.login_with_password(phone="13912345678", password="x")
    incident = Incident.objects.get()
    assert incident.kind == "account_lockout" and incident.subject_type == ""
    assert incident.detail["phone"] == "139****5678"
    assert "13912345678" not in str(incident.detail) + incident.dedup_key
    assert Message.objects.filter(recipient=secadmin, event="security.incident.raise").exists()


# --- token misuse -------------------------------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_a_revoked_token_used_repeatedly_is_an_incident(client, member, secadmin):
    token, raw = auth_services.issue_token(actor=member, user=member, device="手机")
    auth_services.revoke_token(actor=member, token=token)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    frozen = freeze_time(timezone.now().replace(minute=1))  # well inside one counting window
    frozen.start()
    for _ in range(services.TOKEN_MISUSE_THRESHOLD - 1):
        assert client.get("/api/v1/me", **headers).status_code == 401
    assert not Incident.objects.exists()
    assert client.get("/api/v1/me", **headers).status_code == 401
    incident = Incident.objects.get()
    assert (incident.kind, incident.severity) == ("token_misuse", "high")
    assert (incident.subject_type, incident.subject_id) == ("accounts.apitoken", str(token.pk))
    assert incident.detail == {
        "reason": "revoked",
        "token": token.pk,
        "user": member.pk,
        "count": services.TOKEN_MISUSE_THRESHOLD,
    }
    assert raw not in str(incident.detail)
    # high severity: the security administrator is also texted
    assert Delivery.objects.filter(channel="sms", to=secadmin.phone).count() == 1
    for _ in range(3):
        client.get("/api/v1/me", **headers)
    frozen.stop()
    incident.refresh_from_db()
    assert incident.occurrences == 4
    assert Delivery.objects.filter(channel="sms", to=secadmin.phone).count() == 1


@pytest.mark.req("S2-34")
def test_expired_and_unknown_tokens_count_too(member, secadmin):
    token, raw = auth_services.issue_token(actor=member, user=member)
    with freeze_time(timezone.now() + dt.timedelta(days=400)):
        for _ in range(services.TOKEN_MISUSE_THRESHOLD):
            with pytest.raises(TokenInvalid):
                auth_services.authenticate_token(raw)
    assert Incident.objects.get().detail["reason"] == "expired"
    for _ in range(services.TOKEN_MISUSE_THRESHOLD):
        with pytest.raises(TokenInvalid):
            auth_services.authenticate_token("made-up-token-" + "x" * 30)
    unknown = Incident.objects.get(detail__reason="unknown")
    assert unknown.subject_type == "" and unknown.org_unit_id is None


# --- audit chain and screening ----------------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_a_broken_audit_chain_is_a_critical_incident_for_every_security_administrator(member, secadmin, other_secadmin):
    from lvzhi.audit.db import install_guard, remove_guard

    victim = AuditEvent.objects.order_by("pk").first()
    remove_guard(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET event = 'accounts.tampered' WHERE id = %s", [victim.pk])
    finally:
        install_guard(connection)
    with pytest.raises(CommandError, match="BROKEN"):
        call_command("audit", "verify")
    incident = Incident.objects.get()
    assert (incident.kind, incident.severity, incident.org_unit_id) == ("audit_verify_failure", "critical", None)
    assert incident.detail["event_id"] == victim.pk
    told = set(Message.objects.filter(event="security.incident.raise").values_list("recipient_id", flat=True))
    assert told == {secadmin.pk, other_secadmin.pk}


@pytest.mark.req("S2-34")
def test_a_blocked_submission_raises_an_incident_that_outlives_the_refusals_rollback(member, secadmin):
    from lvzhi.screening.services import Finding, report_blocked

    secret = Finding("secret", "term", 0, 2, "**", True, "secret term", value="机密词")
    harmless = Finding("personal_data", "mobile", 0, 2, "**", False, "mobile")

    def view(request):
        with transaction.atomic():
            assert report_blocked(actor=member, findings=[secret, harmless], obj=member, org_unit=member.unit)
            raise ValidationFailed(code="blocked_by_screening")

    request = RequestFactory().post("/content/1/submit/")
    with pytest.raises(ValidationFailed):
        PendingIncidentsMiddleware(view)(request)
    incident = Incident.objects.get()
    assert (incident.kind, incident.severity) == ("screening_block", "high")
    assert incident.detail == {"actor": member.pk, "blocking_findings": 1}
    assert "机密词" not in str(incident.detail)
    assert not report_blocked(actor=member, findings=[harmless])


# --- the back office ------------------------------------------------------------------------------------------------


def _incidents(n, unit):
    now = timezone.now()
    for i in range(n):
        services.raise_incident(
            kind=Incident.Kind.LOCKOUT,
            severity=Incident.Severity.MEDIUM,
            subject=("accounts.user", 1000 + i),
            org_unit=unit,
            detail={"user": 1000 + i},
            now=now - dt.timedelta(minutes=i),
        )


@pytest.mark.req("S2-34")
@pytest.mark.parametrize("count", [3, 45])
def test_incident_list_is_paginated_with_bounded_queries(
    client, secadmin, office, count, django_assert_max_num_queries
):
    _incidents(count, office)
    login(client, secadmin)
    with django_assert_max_num_queries(14):
        response = client.get("/office/security/incidents/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "安全事件" in page
    assert page.count("data-incident-id=") == min(count, 30)
    if count > 30:
        assert client.get("/office/security/incidents/?page=2").content.decode().count("data-incident-id=") == 15


@pytest.mark.req("S2-34")
def test_only_security_administrators_over_the_unit_see_incidents(client, body, office, secadmin, other_secadmin):
    _incidents(1, office)
    incident = Incident.objects.get()
    services.raise_incident(kind=Incident.Kind.AUDIT_VERIFY, severity=Incident.Severity.CRITICAL)
    login(client, other_secadmin)
    page = client.get("/office/security/incidents/").content.decode()
    assert f'data-incident-id="{incident.pk}"' not in page  # another body's incident
    assert page.count("data-incident-id=") == 1  # the global one
    assert client.get(f"/office/security/incidents/{incident.pk}/").status_code == 404
    client.logout()
    others = [
        make_user(body, roles=[("auditadmin", body, True)]),
        make_user(body, roles=[("sysadmin", body, True)]),
        make_user(office, roles=["info_office"]),
        make_user(office, roles=["staff"]),
    ]
    for user in others:
        login(client, user)
        assert client.get("/office/security/incidents/").status_code == 404
        assert client.get(f"/office/security/incidents/{incident.pk}/").status_code == 404
        assert client.post(f"/office/security/incidents/{incident.pk}/close/").status_code == 404
        assert client.get("/office/security/incidents/export.xlsx").status_code == 404
        client.logout()
    incident.refresh_from_db()
    assert incident.status == "open"


@pytest.mark.req("S2-34")
def test_acknowledge_then_close_in_the_back_office_is_audited(client, office, secadmin):
    _incidents(1, office)
    incident = Incident.objects.get()
    login(client, secadmin)
    response = client.get(f"/office/security/incidents/{incident.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "账户因连续登录失败被锁定" in page and "待处理" in page
    assert 'data-testid="incident-acknowledge"' in page and 'data-testid="incident-close"' in page
    response = client.post(f"/office/security/incidents/{incident.pk}/acknowledge/", follow=True)
    assert "已确认" in response.content.decode()
    incident.refresh_from_db()
    assert (incident.status, incident.acknowledged_by) == ("acknowledged", secadmin)
    client.post(f"/office/security/incidents/{incident.pk}/close/")
    incident.refresh_from_db()
    assert (incident.status, incident.closed_by) == ("closed", secadmin)
    events = list(
        AuditEvent.objects.filter(event__startswith="security.incident.").order_by("pk").values_list("event", flat=True)
    )
    assert events == ["security.incident.raise", "security.incident.acknowledge", "security.incident.close"]
    with pytest.raises(Conflict):
        services.close(actor=secadmin, incident=incident)
    assert client.post(f"/office/security/incidents/{incident.pk}/close/").status_code == 409


@pytest.mark.req("S2-34")
def test_incidents_export_to_a_real_workbook(client, office, secadmin):
    _incidents(4, office)
    services.close(actor=secadmin, incident=Incident.objects.order_by("pk").first())
    login(client, secadmin)
    response = client.get("/office/security/incidents/export.xlsx?status=open")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "类别", "严重程度", "状态")
    assert len(rows) == 1 + 3
    assert {r[3] for r in rows[1:]} == {"待处理"}
    assert AuditEvent.objects.filter(event="security.incident.export", after__count=3).exists()
