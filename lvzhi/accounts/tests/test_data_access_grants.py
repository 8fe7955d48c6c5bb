"""S0-4: an operator (system, security or audit administrator) queries or changes business data outside their own
cases only with the information office's approval: a request, an approval, a time-boxed grant, every use audited."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.accounts import grants
from lvzhi.accounts.models import DataAccessGrant
from lvzhi.accounts.permissions import may_access_business_data
from lvzhi.accounts.roles import Role
from lvzhi.audit.models import AuditEvent
from lvzhi.content import services as content
from lvzhi.core.errors import NotFound, PermissionDenied, ValidationFailed
from lvzhi.orgs.models import UnitFunction
from lvzhi.testing import login, make_body, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    from types import SimpleNamespace

    w = SimpleNamespace()
    w.body = make_body("江海市政协")
    w.other = make_body("北川市政协")
    info = make_unit(w.body, "信息化办", function=UnitFunction.INFO_OFFICE)
    w.general = make_unit(w.body, "办公厅", function=UnitFunction.GENERAL_OFFICE)
    w.sysadmin = make_user(info, roles=[(Role.SYSADMIN, w.body, True)], real_name="蒋系统")
    w.auditadmin = make_user(info, roles=[(Role.AUDITADMIN, w.body, True)], real_name="华审计")
    w.info_office = make_user(info, roles=[(Role.INFO_OFFICE, w.body, True)], real_name="冯信息")
    w.other_info = make_user(w.other, roles=[(Role.INFO_OFFICE, w.other, True)], real_name="赵外市")
    w.author = make_user(w.general, roles=[Role.STAFF], real_name="赵撰稿")
    content.ensure_default_columns(body=w.body)
    from lvzhi.content.models import Column

    w.article = content.create_draft(
        actor=w.author,
        column=Column.objects.get(body=w.body, code="notices"),
        title="通知",
        body_html="<p>正文内容</p>",
    )
    return w


@pytest.mark.req("S0-4")
def test_request_approve_use_and_expiry(w, capsys):
    target = f"content.article:{w.article.pk}"
    assert not may_access_business_data(w.sysadmin, body=w.body, target=target)  # no grant: no access
    assert may_access_business_data(w.author, body=w.body, target=target)  # not an operator: not restricted here
    with pytest.raises(PermissionDenied) as denied:
        grants.use_grant(actor=w.sysadmin, body=w.body, access="query", target=target)
    assert denied.value.code == "no_data_access_grant"
    with freeze_time("2026-11-27T09:00:00+08:00"):
        grant = grants.request_grant(
            actor=w.sysadmin, body=w.body, access="query", target="content.article", purpose="排查故障", hours=4
        )
        assert not may_access_business_data(w.sysadmin, body=w.body, target=target)  # requested, not approved
        with pytest.raises(NotFound):
            grants.decide_grant(actor=w.other_info, grant=grant, approve=True)  # another body's office
        grants.decide_grant(actor=w.info_office, grant=grant, approve=True)
        assert may_access_business_data(w.sysadmin, body=w.body, target=target)
        assert not may_access_business_data(w.sysadmin, body=w.body, access="change", target=target)
        assert not may_access_business_data(w.sysadmin, body=w.other, target=target)
        assert not may_access_business_data(w.auditadmin, body=w.body, target=target)  # the grant is personal
        call_command("business_data", target, operator=w.sysadmin.phone)
        assert "正文内容" in capsys.readouterr().out
        call_command("business_data", target, operator=w.sysadmin.phone)
    uses = AuditEvent.objects.filter(event="accounts.grant.use")
    assert uses.count() == 2 and uses.first().after == {"access": "query", "target": target, "grant": grant.pk}
    assert DataAccessGrant.objects.get(pk=grant.pk).uses == 2
    with freeze_time("2026-11-27T13:00:01+08:00"):  # four hours later: over
        assert not may_access_business_data(w.sysadmin, body=w.body, target=target)
        with pytest.raises(CommandError):
            call_command("business_data", target, operator=w.sysadmin.phone)
    events = set(AuditEvent.objects.filter(event__startswith="accounts.grant.").values_list("event", flat=True))
    assert events == {"accounts.grant.request", "accounts.grant.decide", "accounts.grant.use"}


@pytest.mark.req("S0-4")
def test_bad_requests_write_nothing(w):
    cases = [
        (w.author, {"target": "content.article"}, PermissionDenied),  # not an operator
        (w.sysadmin, {"target": "accounts.user"}, ValidationFailed),  # not business data
        (w.sysadmin, {"target": "content.nothing:1"}, ValidationFailed),
        (w.sysadmin, {"hours": 0}, ValidationFailed),
        (w.sysadmin, {"hours": 73}, ValidationFailed),
        (w.sysadmin, {"purpose": ""}, ValidationFailed),
    ]
    for actor, change, error in cases:
        params = {"body": w.body, "access": "query", "target": "content.article", "purpose": "排查", "hours": 4}
        with pytest.raises(error):
            grants.request_grant(actor=actor, **{**params, **change})
    assert not DataAccessGrant.objects.exists()


@pytest.mark.req("S0-4")
def test_the_information_office_decides_on_the_page_and_may_revoke(client, w):
    login(client, w.sysadmin)
    response = client.post(
        "/office/data-access/",
        {"body": w.body.pk, "access": "change", "target": "content.article", "purpose": "修复数据", "hours": "2"},
    )
    assert response.status_code == 302
    grant = DataAccessGrant.objects.get()
    login(client, w.info_office)
    page = client.get("/office/data-access/").content.decode()
    assert f'data-grant="{grant.pk}"' in page and "修复数据" in page
    assert client.post(f"/office/data-access/{grant.pk}/decide/", {"approve": "1"}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == "approved" and grant.decided_by == w.info_office
    assert (
        timezone.now() + dt.timedelta(hours=1, minutes=59) < grant.valid_until <= timezone.now() + dt.timedelta(hours=2)
    )
    target = f"content.article:{w.article.pk}"
    assert may_access_business_data(w.sysadmin, body=w.body, access="change", target=target)
    grants.revoke_grant(actor=w.info_office, grant=grant)
    assert not may_access_business_data(w.sysadmin, body=w.body, access="change", target=target)
    login(client, w.author)
    assert client.get("/office/data-access/").status_code == 404
