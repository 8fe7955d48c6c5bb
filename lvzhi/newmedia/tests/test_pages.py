import datetime as dt
import json

import pytest
from freezegun import freeze_time

from lvzhi.accounts.roles import Role
from lvzhi.newmedia.models import Filing, Outlet, Rejection, Status
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import login, make_unit, make_user

from .conftest import people, register

pytestmark = pytest.mark.django_db
F = Filing.Status
NOW = "2026-06-08T10:00:00+08:00"

VIEWERS = ["op", "chief", "head", "office"]
STRANGERS = ["edu_op", "office2", "op2", "member", "sysadmin"]


def _client(client, w, who):
    if who != "anonymous":
        login(client, getattr(w, who))
    return client


@freeze_time(NOW)
@pytest.mark.req("S1-2", "S2-4", "S2-8")
@pytest.mark.parametrize("who", VIEWERS + STRANGERS + ["anonymous"])
def test_permission_matrix_seeing_an_account_and_its_filing(client, w, who):
    outlet = register(w)
    filing = outlet.filings.get()
    c = _client(client, w, who)
    urls = [
        f"/newmedia/outlets/{outlet.pk}/",
        f"/newmedia/filings/{filing.pk}/",
        f"/newmedia/filings/{filing.pk}/form.json",
        f"/newmedia/filings/{filing.pk}/form.xlsx",
    ]
    for url in urls:
        response = c.get(url)
        if who == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif who in VIEWERS:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 404, (who, url)  # another unit's or body's account: as if missing
    if who in VIEWERS:
        assert "住建之声" in c.get(f"/newmedia/outlets/{outlet.pk}/").content.decode()
    matrix = c.get("/newmedia/")
    if who in VIEWERS:
        assert "住建之声" in matrix.content.decode()
    elif who != "anonymous":
        assert matrix.status_code == 404 or "住建之声" not in matrix.content.decode()


@freeze_time(NOW)
@pytest.mark.req("S1-2", "S1-3.2", "S2-16")
@pytest.mark.parametrize(
    ("who", "step", "state", "after"),
    [
        ("op", "file", F.DECIDED, F.FILED),
        ("chief", "file", F.DECIDED, F.FILED),
        ("office", "file", F.DECIDED, F.DECIDED),  # forbidden: the unit files
        ("edu_op", "file", F.DECIDED, None),  # 404
        ("office", "accept", F.FILED, F.ACCEPTED),
        ("op", "accept", F.FILED, F.FILED),  # forbidden: the office accepts
        ("office2", "accept", F.FILED, None),
        ("office", "reject", F.FILED, F.REJECTED),
        ("head", "reject", F.FILED, F.FILED),
        ("office", "report", F.FILED, F.FILED),  # not in this state
        ("op", "file", F.FILED, F.FILED),  # twice
    ],
)
def test_permission_matrix_of_the_filing_steps(client, w, who, step, state, after):
    outlet = register(w)
    filing = outlet.filings.get()
    if state == F.FILED:
        from lvzhi.newmedia import services

        services.file_filing(actor=w.op, filing=filing)
    c = _client(client, w, who)
    reasons = "认证主体与主办单位不一致，请更正后重新备案。"
    response = c.post(f"/newmedia/filings/{filing.pk}/step/{step}/", {"text": reasons})
    filing.refresh_from_db()
    if after is None:
        assert response.status_code == 404
        assert filing.status == state
    else:
        assert response.status_code == 302
        assert filing.status == after
    assert Rejection.objects.exists() == (after == F.REJECTED)


@freeze_time(NOW)
@pytest.mark.req("S1-3.1", "S2-11", "S2-13")
def test_register_page_bad_input_is_refused_nothing_written(client, w):
    login(client, w.op)
    page = client.get("/newmedia/register/")
    assert page.status_code == 200 and "秦总编" in page.content.decode()
    base = {
        "host_unit": w.housing.pk,
        "platform": "wechat",
        "name": "住建之声",
        "verification_subject": "市住建局",
        "account_id": "gh_1",
        "decision_ref": "纪要",
        "decision_date": "2026-06-08",
        "head_consent": "on",
        "chief_editor": [w.chief.pk],
        "editor": [w.op.pk],
        "reviewer": [w.chief.pk],
        "technical": [w.tech.pk],
    }
    for change, text in [
        ({"name": "x" * 500}, "60"),
        ({"decision_date": "2026-13-45"}, ""),
        ({"head_consent": ""}, ""),
        ({"technical": []}, ""),
        ({"platform": "<script>"}, ""),
    ]:
        response = client.post("/newmedia/register/", {**base, **change})
        assert response.status_code == 400, change
        assert text in response.content.decode()
    assert client.post("/newmedia/register/", {**base, "host_unit": w.edu.pk}).status_code == 404  # not their unit
    assert not Outlet.objects.exists() and not Filing.objects.exists()
    response = client.post("/newmedia/register/", base)
    assert response.status_code == 302
    outlet = Outlet.objects.get()
    again = client.post("/newmedia/register/", base)
    assert again.status_code == 400 and Outlet.objects.count() == 1
    assert "住建之声" in again.content.decode()
    assert outlet.filings.get().status == F.DECIDED


@freeze_time(NOW)
@pytest.mark.req("S1-3.1", "S2-2")
def test_matrix_and_lists_are_query_bounded(client, w, django_assert_max_num_queries):
    units = [make_unit(w.body, f"市第{i}局", kind=UnitKind.HANDLING_UNIT) for i in range(8)]
    for i, unit in enumerate(units):
        chief = make_user(unit, roles=[Role.NM_EDITOR], real_name=f"总编{i}")
        for platform in ("wechat", "weibo", "douyin"):
            register(w, unit=unit, actor=chief, platform=platform, name=f"第{i}局发布", people=people(chief))
    for o in Outlet.objects.all()[:10]:
        Outlet.objects.filter(pk=o.pk).update(status=Status.OPEN)
    login(client, w.office)
    for url in ("/newmedia/", "/newmedia/accountability/", "/newmedia/cleanup/", "/newmedia/queue/",
                "/newmedia/notices/"):  # fmt: skip
        with django_assert_max_num_queries(15):
            response = client.get(url)
        assert response.status_code == 200, url
    page = client.get("/newmedia/").content.decode()
    assert page.count('data-testid="matrix-row"') == 24
    assert "第7局发布" in page
    with django_assert_max_num_queries(15):
        api = client.get("/api/v1/newmedia/outlets")
    assert api.status_code == 200 and sum(len(u["outlets"]) for u in api.json()["units"]) == 24


@freeze_time(NOW)
@pytest.mark.req("S1-3.2", "S1-A", "S2-16")
def test_api_register_file_and_steps(client, w):
    login(client, w.op)
    body = {
        "host_unit": w.housing.pk,
        "platform": "weibo",
        "name": "住建之声",
        "verification_subject": "市住建局",
        "decision_date": "2026-06-08",
        "decision_ref": "纪要",
        "head_consent": True,
        "account_id": "zj",
        "people": people(w.chief, w.op, w.tech),
    }
    response = client.post("/api/v1/newmedia/outlets", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    outlet_id = response.json()["id"]
    again = client.post("/api/v1/newmedia/outlets", json.dumps(body), content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "duplicate_account"
    bad = client.post("/api/v1/newmedia/outlets", json.dumps({**body, "platform": "x"}), "application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "platform_invalid"
    filing_id = Filing.objects.get(outlet_id=outlet_id).pk
    detail = client.get(f"/api/v1/newmedia/filings/{filing_id}").json()
    assert detail["actions"] == ["file"] and detail["file_by"] == "2026-06-10"
    filed = client.post(f"/api/v1/newmedia/filings/{filing_id}/steps/file", "{}", content_type="application/json")
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
    denied = client.post(f"/api/v1/newmedia/filings/{filing_id}/steps/accept", "{}", content_type="application/json")
    assert denied.status_code == 403
    assert client.get("/api/v1/newmedia/filings/99999999").status_code == 404
    client.logout()
    login(client, w.office2)
    assert client.get(f"/api/v1/newmedia/filings/{filing_id}").status_code == 404
    assert client.get(f"/api/v1/newmedia/outlets/{outlet_id}").status_code == 404
    client.logout()
    login(client, w.office)
    form = client.get(f"/api/v1/newmedia/filings/{filing_id}/form").json()
    assert {f["key"]: f["value"] for f in form["fields"]}["platform"] == "微博"


@pytest.mark.req("S2-17")
def test_public_notice_page_needs_no_login(client, w):
    from lvzhi.newmedia import services

    with freeze_time("2026-09-22T10:00:00+08:00"):
        outlet = register(w, decision=dt.date(2026, 9, 21))
        filing = outlet.filings.get()
        services.file_filing(actor=w.op, filing=filing)
        services.accept_filing(actor=w.office, filing=filing)
        close = services.propose(actor=w.op, outlet=Outlet.objects.get(pk=outlet.pk), kind="close",
                                 decision_date=dt.date(2026, 9, 22), decision_ref="纪要",
                                 reason="整合关停")  # fmt: skip
        services.file_filing(actor=w.op, filing=close)
        services.accept_filing(actor=w.office, filing=close)
        page = client.get("/newmedia/notices/").content.decode()
    assert "住建之声" in page and "2026-10-20" in page and "整合关停" in page
