"""S2-41 accountability list, S1-3.4 security duties, S2-32 operations archive, S1-4.2 registry exchange, demo."""

import datetime as dt
import io
import json
import zipfile

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from lvzhi.audit.models import AuditEvent
from lvzhi.core.errors import NotFound, ValidationFailed
from lvzhi.inspections import exchange, selectors, services
from lvzhi.inspections.models import SecurityDuty
from lvzhi.newmedia.models import Filing, FilingKind
from lvzhi.notify.models import Message
from lvzhi.testing import login

from .conftest import deductions

pytestmark = pytest.mark.django_db
NOW = "2026-10-09T10:00:00+08:00"


def _accepted_opening(o, unit, body):
    Filing.objects.create(outlet=o, kind=FilingKind.OPEN, status=Filing.Status.REPORTED, unit=unit, office=body,
                          decision_date=dt.date(2026, 1, 5), decision_ref="纪要", file_by=dt.date(2026, 1, 7),
                          on_time=True)  # fmt: skip


@pytest.mark.req("S2-41")
def test_accountability_list_names_units_and_what_was_done(client, w):
    for o in (w.site, w.wechat):
        _accepted_opening(o, w.housing, w.body)  # 住建局 filed; 教育局's account was never filed
    with freeze_time("2026-04-01T10:00:00+08:00"):
        r = services.create_round(actor=w.office, office=w.body, kind="monthly", year=2026, period=3,
                                  checked_on=dt.date(2026, 3, 31), outlet_ids=[w.site.pk])  # fmt: skip
        services.score_outlet(actor=w.office, check=r.checks.get(), items=deductions(None, W_D1=2))
        services.publish_round(actor=w.office, round_=r)
    with freeze_time(NOW):
        _page, rows = selectors.accountability(w.office, w.body)
        reasons = {row["unit"].pk: row["reasons"] for row in rows}
        assert reasons == {w.edu.pk: {"unfiled": 1}, w.housing.pk: {"unfixed": 1}}
        action = services.record_action(actor=w.office, office=w.body, unit=w.edu, reason="unfiled", kind="notice",
                                        taken_on=dt.date(2026, 10, 9), note="限期3个工作日内补办备案")  # fmt: skip
        with pytest.raises(NotFound):
            services.record_action(actor=w.office2, office=w.body, unit=w.edu, reason="unfiled", kind="talk",
                                   taken_on=dt.date(2026, 10, 9))  # fmt: skip
        with pytest.raises(NotFound):  # another city's unit
            services.record_action(actor=w.office, office=w.body, unit=w.dept2, reason="unfiled", kind="talk",
                                   taken_on=dt.date(2026, 10, 9))  # fmt: skip
        with pytest.raises(ValidationFailed) as exc:
            services.record_action(actor=w.office, office=w.body, unit=w.edu, reason="unfiled", kind="talk",
                                   taken_on=dt.date(2026, 10, 10))  # fmt: skip
        assert exc.value.code == "taken_on_future"
        event = AuditEvent.objects.get(event="inspections.accountability.action")
        assert event.after["kind"] == "notice" and "限期" not in json.dumps(event.after, ensure_ascii=False)
        login(client, w.office)
        page = client.get("/inspections/accountability/").content.decode()
        assert "市教育局" in page and "整改通知" in page and "限期3个工作日内补办备案" in page
        response = client.post("/inspections/accountability/", {"office": w.body.pk, "unit": w.housing.pk,
                               "reason": "unfixed", "kind": "talk", "taken_on": "2026-10-09", "note": ""})  # fmt: skip
        assert response.status_code == 302
        client.logout()
        login(client, w.op)
        assert client.get("/inspections/accountability/").status_code == 404
    assert action.taken_by == w.office


@pytest.mark.req("S1-3.4")
def test_security_duties_and_an_overdue_password_change_reminded_once(client, w):
    with freeze_time("2026-06-01T10:00:00+08:00"):
        services.record_duty(actor=w.op, outlet=w.wechat, kind="password", done_on=dt.date(2026, 6, 1),
                             responsible_id=w.chief.pk, note="更换管理员密码")  # fmt: skip
        with pytest.raises(ValidationFailed) as exc:  # someone outside the unit's new-media staff
            services.record_duty(actor=w.op, outlet=w.wechat, kind="emergency", done_on=dt.date(2026, 6, 1),
                                 responsible_id=w.edu_op.pk)  # fmt: skip
        assert exc.value.code == "responsible_invalid"
        with pytest.raises(NotFound):
            services.record_duty(actor=w.edu_op, outlet=w.wechat, kind="password", done_on=dt.date(2026, 6, 1),
                                 responsible_id=w.op.pk)  # fmt: skip
    with freeze_time("2026-08-29T10:00:00+08:00"):  # 89 days: not yet
        assert services.remind_passwords() == 0
    with freeze_time("2026-08-31T10:00:00+08:00"):  # 91 days
        assert services.remind_passwords() == 1
        assert services.remind_passwords() == 0
    assert Message.objects.filter(recipient=w.op, event="inspections.security.password_overdue").count() == 1
    login(client, w.op)  # today: 住建之声's change of 1 June is overdue again, the site never had one recorded
    page = client.get("/inspections/security/").content.decode()
    assert "住建之声" in page and page.count("pw-overdue") == 2
    data = {"kind": "password", "done_on": dt.date.today().isoformat(), "responsible": w.op.pk, "note": ""}
    response = client.post(f"/inspections/security/{w.wechat.pk}/", data)
    assert response.status_code == 302
    assert SecurityDuty.objects.filter(outlet=w.wechat).count() == 2
    assert client.get("/inspections/security/").content.decode().count("pw-overdue") == 1
    assert client.get(f"/inspections/security/{w.edu_wechat.pk}/").status_code == 404


@pytest.mark.req("S2-32")
def test_operations_archive_per_outlet_and_year(client, w):
    _accepted_opening(w.site, w.housing, w.body)
    with freeze_time("2026-04-01T10:00:00+08:00"):
        r = services.create_round(actor=w.office, office=w.body, kind="monthly", year=2026, period=3,
                                  checked_on=dt.date(2026, 3, 31), outlet_ids=[w.site.pk])  # fmt: skip
        services.score_outlet(actor=w.office, check=r.checks.get(), items=deductions(None, W_D2=3))
        services.publish_round(actor=w.office, round_=r)
        services.record_duty(actor=w.op, outlet=w.site, kind="emergency", done_on=dt.date(2026, 4, 1),
                             responsible_id=w.op.pk, note="网站被篡改应急预案")  # fmt: skip
    with freeze_time(NOW):
        login(client, w.op)
        response = client.get(f"/inspections/archive/{w.site.pk}/2026.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row]
        assert "W-D2" in cells and "网站被篡改应急预案" in cells and "江海市住建局网站" in cells
        response = client.get(f"/inspections/archive/{w.site.pk}/2026.zip")
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            audit = json.loads(z.read(f"audit-{w.site.pk}-2026.json"))
            assert {"inspections.check.score", "inspections.security.record"} <= {e["event"] for e in audit}
            assert f"outlet-{w.site.pk}-2026.xlsx" in z.namelist()
        assert AuditEvent.objects.filter(event="inspections.archive.export").count() == 2
        assert client.get(f"/inspections/archive/{w.other.pk}/2026.xlsx").status_code == 404


@freeze_time(NOW)
@pytest.mark.req("S1-4.2")
def test_registry_exchange_format_export_and_reconcile(client, w):
    _accepted_opening(w.wechat, w.housing, w.body)
    w.wechat.account_id = "gh_zjzs"
    w.wechat.save()
    doc = exchange.export_registry(actor=w.office, office=w.body)
    assert doc["format"] == "lvzhi.registry/1" and {o["id"] for o in doc["outlets"]} == {
        w.site.pk, w.wechat.pk, w.edu_wechat.pk}  # fmt: skip
    assert next(o for o in doc["outlets"] if o["id"] == w.wechat.pk)["filed"] is True
    province = json.loads(json.dumps(doc))
    province["outlets"] = [o for o in province["outlets"] if o["id"] != w.edu_wechat.pk]
    next(o for o in province["outlets"] if o["id"] == w.wechat.pk)["name"] = "住建发布"
    province["outlets"].append({"platform": "douyin", "account_id": "dy_1", "name": "住建抖音"})
    login(client, w.office)
    response = client.post(f"/api/v1/inspections/registry/reconcile?office={w.body.pk}", province,
                           content_type="application/json")  # fmt: skip
    assert response.status_code == 200
    report = response.json()
    assert report["only_here"] == [w.edu_wechat.pk] and report["only_there"][0]["name"] == "住建抖音"
    assert report["differ"] == [{"id": w.wechat.pk, "platform": "wechat", "fields": ["name"]}]
    bad = client.post(f"/api/v1/inspections/registry/reconcile?office={w.body.pk}", "not json",
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["code"] == "registry_format_invalid"
    assert client.get(f"/api/v1/inspections/registry/export?office={w.body.pk}").status_code == 200
    client.logout()
    login(client, w.op)
    assert client.get(f"/api/v1/inspections/registry/export?office={w.body.pk}").status_code == 404


@pytest.mark.req("S1-5.3", "S2-40", "S2-41")
def test_demo_lets_the_office_and_a_unit_walk_and_is_idempotent(client):
    from lvzhi.accounts.models import User
    from lvzhi.inspections.demo import load_inspections_demo
    from lvzhi.newmedia.demo import load_newmedia_demo
    from lvzhi.orgs.models import BodyType
    from lvzhi.testing import make_body

    make_body("江海市人民政府", body_type=BodyType.GOVERNMENT)
    load_newmedia_demo()
    assert load_inspections_demo() > 0
    assert load_inspections_demo() == 0
    office = User.objects.get(phone="13900001501")
    login(client, office, password="Lvzhi@2026demo")
    rounds = client.get("/inspections/rounds/").content.decode()
    assert "省政府办公厅抽查" in rounds
    assert "文旅江海" in client.get("/inspections/assessment/").content.decode()
    assert "市文化和旅游局" in client.get("/inspections/accountability/").content.decode()
    client.logout()
    unit = User.objects.get(phone="13900001502")
    login(client, unit, password="Lvzhi@2026demo")
    home = client.get("/inspections/").content.decode()
    assert "市住建局" in home and "待报送" in home
    assert "住建之声" in client.get("/inspections/fixes/").content.decode()
    assert client.get("/inspections/public/").status_code == 200
