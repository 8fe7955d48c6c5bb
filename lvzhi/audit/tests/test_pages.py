"""The audit-log pages at /office/audit/: the audit administrator only; filters, keyset pages, detail, export."""

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.audit.services import record, verify_chain
from lvzhi.testing import login, make_body, make_unit, make_user

from .conftest import admin_login

pytestmark = pytest.mark.django_db

URL = "/office/audit/"


def _rows(response):
    return [int(x) for x in __import__("re").findall(r'data-event-id="(\d+)"', response.content.decode())]


# --- who may see it -------------------------------------------------------------------------------------------------

ROLES = [
    ("member", False),
    ("staff", False),
    ("head", False),
    ("leader", False),
    ("info_office", False),
    ("secrecy_office", False),
    ("sysadmin", False),
    ("secadmin", False),
    ("auditadmin", True),
]


@pytest.mark.req("S2-34", "S0-4")
@pytest.mark.parametrize(("role", "allowed"), ROLES)
@pytest.mark.parametrize("action", ["list", "detail", "export"])
def test_only_the_audit_administrator_reads_the_log(client, body, role, allowed, action):
    target = record("accounts.user.freeze", after={"reason": "x"})
    user = make_user(body, roles=[role], real_name="某人")
    if role in ("sysadmin", "secadmin", "auditadmin"):
        admin_login(client, user)
    else:
        login(client, user)
    before = AuditEvent.objects.count()
    url = {"list": URL, "detail": f"{URL}{target.pk}/", "export": f"{URL}export.xlsx"}[action]
    response = client.get(url)
    if allowed:
        assert response.status_code == 200
        expected = "audit.log.export" if action == "export" else "audit.log.view"
        assert AuditEvent.objects.order_by("-id").first().event == expected
    else:
        assert response.status_code == 404
        assert b"accounts.user.freeze" not in response.content
        assert not AuditEvent.objects.filter(event__startswith="audit.log.").exists()
        assert AuditEvent.objects.count() >= before


@pytest.mark.req("S2-34")
def test_anonymous_is_sent_to_login(client, db):
    event = record("test.thing.x")
    for url in (URL, f"{URL}{event.pk}/", f"{URL}export.xlsx"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.req("S2-34")
def test_auditor_in_another_body_also_reads(client, db):
    """The audit administrator's role is system-wide: the log is one chain for the whole deployment."""
    other = make_body(name="另一县政协")
    record("test.thing.elsewhere", org_unit=other)
    auditor = make_user(other, roles=["auditadmin"])
    admin_login(client, auditor)
    assert client.get(URL).status_code == 200


@pytest.mark.req("S2-34")
def test_missing_event_is_404(auditor_client):
    assert auditor_client.get(f"{URL}999999/").status_code == 404


@pytest.mark.req("S2-34")
def test_post_is_refused(auditor_client):
    assert auditor_client.post(URL).status_code == 405


# --- the list, its filters and its pages ----------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_viewing_is_itself_audited(auditor_client, auditor):
    record("test.thing.create")
    response = auditor_client.get(URL, {"event": "test.", "date_from": "2020-01-01"})
    assert response.status_code == 200
    view = AuditEvent.objects.filter(event="audit.log.view").get()
    assert view.actor_id == auditor.pk
    assert view.after == {"filters": {"event": "test.", "date_from": "2020-01-01"}}
    assert verify_chain().ok


@pytest.mark.req("S2-34")
def test_filter_by_date_range(auditor_client):
    with freeze_time("2026-03-01 10:00:00+08:00"):
        early = record("test.thing.a")
    with freeze_time("2026-03-05 23:59:00+08:00"):
        middle = record("test.thing.b")
    with freeze_time("2026-03-06 00:01:00+08:00"):
        late = record("test.thing.c")
    ids = _rows(auditor_client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-05", "event": "test."}))
    assert ids == [middle.pk]
    ids = _rows(auditor_client.get(URL, {"date_from": "2026-03-01", "event": "test."}))
    assert ids == [late.pk, middle.pk, early.pk]
    ids = _rows(auditor_client.get(URL, {"date_to": "2026-03-01", "event": "test."}))
    assert ids == [early.pk]


@pytest.mark.req("S2-34")
def test_filter_by_event_prefix_object_and_unit(auditor_client, body, office):
    sub = make_unit(office, name="科室")
    a = record("secx.user.freeze", obj=body, org_unit=body)
    b = record("secx.user.unfreeze", obj=office, org_unit=office)
    c = record("secy.article.publish", obj=sub, org_unit=sub)
    assert _rows(auditor_client.get(URL, {"event": "secx.user."})) == [b.pk, a.pk]
    assert _rows(auditor_client.get(URL, {"event": "secy"})) == [c.pk]
    assert _rows(auditor_client.get(URL, {"event": "sec"})) == [c.pk, b.pk, a.pk]
    by_object = {"event": "sec", "object_type": "orgs.orgunit", "object_id": str(office.pk)}
    assert _rows(auditor_client.get(URL, by_object)) == [b.pk]
    assert _rows(auditor_client.get(URL, {"event": "sec", "org_unit": office.pk})) == [b.pk]
    assert _rows(auditor_client.get(URL, {"event": "sec", "org_unit": office.pk, "below": "on"})) == [c.pk, b.pk]
    assert _rows(auditor_client.get(URL, {"event": "sec", "org_unit": 99999999, "below": "on"})) == []


@pytest.mark.req("S2-34")
def test_filter_by_actor_name_full_and_masked_phone(auditor_client, body):
    zhang = make_user(body, real_name="张三", phone="13712345678")
    li = make_user(body, real_name="李四", phone="13812345678")
    a = record("test.thing.a", actor=zhang)
    b = record("test.thing.b", actor=li)
    assert _rows(auditor_client.get(URL, {"actor": "张三", "event": "test."})) == [a.pk]
    assert _rows(auditor_client.get(URL, {"actor": "13812345678", "event": "test."})) == [b.pk]
    assert _rows(auditor_client.get(URL, {"actor": "137****5678", "event": "test."})) == [a.pk]
    assert _rows(auditor_client.get(URL, {"actor": "1**", "event": "test."})) == []
    page = auditor_client.get(URL, {"event": "test."}).content.decode()
    assert "137****5678" in page and "13712345678" not in page  # the audit administrator sees masked phones


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-03-05", "date_to": "2026-03-01"}, "The start date is after the end date."),
        ({"date_from": "not-a-date"}, None),
        ({"event": "DROP TABLE;"}, None),
        ({"org_unit": "abc"}, None),
        ({"org_unit": "-3"}, None),
        ({"actor": "x" * 51}, None),
        ({"object_id": "9" * 41}, None),
    ],
)
def test_bad_filters_show_form_errors_not_500(auditor_client, params, message):
    record("test.thing.a")
    response = auditor_client.get(URL, params)
    assert response.status_code == 200
    assert b'class="errorlist' in response.content
    assert _rows(response) == []
    if message:
        with translation.override("zh-hans"):
            assert translation.gettext(message) in response.content.decode()
    assert not AuditEvent.objects.filter(event="audit.log.view").exists()
    export = auditor_client.get(f"{URL}export.xlsx", params)
    assert export.status_code == 400
    assert not AuditEvent.objects.filter(event="audit.log.export").exists()


@pytest.mark.req("S2-34")
def test_keyset_pages(auditor_client):
    events = [record(f"test.page.e{i}") for i in range(120)]
    newest_first = [e.pk for e in reversed(events)]
    first = auditor_client.get(URL, {"event": "test.page"})
    assert _rows(first) == newest_first[:50]
    assert f'before={newest_first[49]}" rel="next"' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    second = auditor_client.get(URL, {"event": "test.page", "before": newest_first[49]})
    assert _rows(second) == newest_first[50:100]
    third = auditor_client.get(URL, {"event": "test.page", "before": newest_first[99]})
    assert _rows(third) == newest_first[100:]
    assert 'rel="next"' not in third.content.decode()
    assert f'after={newest_first[100]}" rel="prev"' in third.content.decode()
    back = auditor_client.get(URL, {"event": "test.page", "after": newest_first[50]})
    assert _rows(back) == newest_first[:50]
    assert _rows(auditor_client.get(URL, {"event": "test.page", "before": "junk"})) == newest_first[:50]


@pytest.mark.req("S2-34")
@pytest.mark.parametrize("count", [5, 70])
def test_list_queries_are_bounded(auditor_client, django_assert_max_num_queries, body, office, count):
    users = [make_user(body, real_name=f"用户{i}") for i in range(3)]
    for i in range(count):
        record("test.load.x", actor=users[i % 3], obj=office, org_unit=[body, office][i % 2], after={"i": i})
    with django_assert_max_num_queries(15):
        response = auditor_client.get(URL, {"event": "test.load"})
    assert len(_rows(response)) == min(count, 50)


@pytest.mark.req("S2-34")
def test_list_query_count_is_constant(auditor_client, body, office):
    def measure(n):
        for i in range(n):
            record("test.const.x", actor=make_user(body, real_name=f"人{i}"), org_unit=office)
        with CaptureQueriesContext(connection) as ctx:
            auditor_client.get(URL, {"event": "test.const"})
        return len(ctx.captured_queries)

    assert measure(3) == measure(40)


# --- one event ------------------------------------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_detail_shows_before_and_after_and_is_audited(auditor_client, auditor, body):
    member = make_user(body, real_name="王五", phone="13612345678")
    event = record(
        "accounts.user.freeze",
        actor=auditor,
        obj=member,
        org_unit=body,
        before={"is_frozen": False},
        after={"is_frozen": True, "reason": "<script>盗号</script>"},
    )
    response = auditor_client.get(f"{URL}{event.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "accounts.user.freeze" in page and event.hash in page and event.prev_hash in page
    assert "&quot;is_frozen&quot;: false" in page and "&lt;script&gt;盗号&lt;/script&gt;" in page
    assert "<script>盗号" not in page
    view = AuditEvent.objects.order_by("-id").first()
    assert (view.event, view.object_type, view.object_id) == ("audit.log.view", "audit.auditevent", str(event.pk))


# --- export ---------------------------------------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_export_is_a_real_workbook_of_the_filtered_list_and_is_audited(auditor_client, auditor, body):
    zhang = make_user(body, real_name="张三", phone="13712345678")
    record("test.exp.a", actor=zhang, org_unit=body, after={"formula": '=HYPERLINK("http://x")'})
    record("test.exp.b", actor=zhang, org_unit=body, before={"n": 1})
    record("other.thing", actor=zhang)
    response = auditor_client.get(f"{URL}export.xlsx", {"event": "test.exp"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="audit-log-' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + 2 events
    assert [r[2] for r in rows[1:]] == ["test.exp.b", "test.exp.a"]
    assert rows[1][3] == "张三" and rows[1][4] == "137****5678" and rows[1][5] == "测试市政协"
    assert json.loads(rows[2][10]) == {"formula": '=HYPERLINK("http://x")'}
    cell = sheet.cell(row=3, column=11)
    assert cell.data_type == "s"  # text, never a formula
    exported = AuditEvent.objects.order_by("-id").first()
    assert exported.event == "audit.log.export" and exported.actor_id == auditor.pk
    assert exported.after == {"filters": {"event": "test.exp"}, "count": 2}


@pytest.mark.req("S2-34")
def test_export_refuses_too_many_rows(auditor_client, monkeypatch):
    from lvzhi.audit import views

    monkeypatch.setattr(views, "EXPORT_LIMIT", 3)
    for i in range(4):
        record(f"test.big.e{i}")
    response = auditor_client.get(f"{URL}export.xlsx", {"event": "test.big"})
    assert response.status_code == 400
    assert "4" in response.content.decode()
    assert not AuditEvent.objects.filter(event="audit.log.export").exists()
    assert auditor_client.get(f"{URL}export.xlsx", {"event": "test.big.e1"}).status_code == 200
