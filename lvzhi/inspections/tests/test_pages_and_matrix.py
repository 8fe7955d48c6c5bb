"""Pages, API, the permission matrix (role × step × state, another body's people included) and query bounds."""

import datetime as dt

import pytest
from freezegun import freeze_time

from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound, PermissionDenied
from lvzhi.inspections import actions, jobs, selectors, services
from lvzhi.inspections.models import Rectification, SelfInspection
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import login, make_unit, make_user

from .conftest import deductions, outlet

pytestmark = pytest.mark.django_db
NOW = "2026-10-09T10:00:00+08:00"

# role → the self-inspection steps offered in each state (written by hand)
SELF_MATRIX = {
    "op": {"due": ["submit"], "submitted": [], "returned": ["submit"], "accepted": []},
    "head": {"due": ["submit"], "submitted": [], "returned": ["submit"], "accepted": []},
    "office": {"due": [], "submitted": ["accept", "return"], "returned": [], "accepted": []},
    "edu_op": {"due": [], "submitted": [], "returned": [], "accepted": []},
    "staff": {"due": [], "submitted": [], "returned": [], "accepted": []},
    "office2": {"due": [], "submitted": [], "returned": [], "accepted": []},
    "op2": {"due": [], "submitted": [], "returned": [], "accepted": []},
    "sysadmin": {"due": [], "submitted": [], "returned": [], "accepted": []},
}
FIX_MATRIX = {
    "op": {"open": ["report_fixed"], "fixed": [], "closed": []},
    "office": {"open": [], "fixed": ["confirm", "send_back"], "closed": []},
    "edu_op": {"open": [], "fixed": [], "closed": []},
    "office2": {"open": [], "fixed": [], "closed": []},
    "member": {"open": [], "fixed": [], "closed": []},
}
SEES = {"op", "head", "office"}


def _report(w):
    with freeze_time("2026-10-02T09:00:00+08:00"):
        jobs.open_quarters()
    return SelfInspection.objects.get(unit=w.housing, year=2026, quarter=3)


@freeze_time(NOW)
@pytest.mark.req("S1-5.3")
def test_self_inspection_matrix(w):
    report = _report(w)
    for state in ("due", "submitted", "returned", "accepted"):
        SelfInspection.objects.filter(pk=report.pk).update(status=state)
        report.refresh_from_db()
        for role, expected in SELF_MATRIX.items():
            user = getattr(w, role)
            assert [s.name for s in actions.SELF_STEPS.available(user, report)] == expected[state], (role, state)
            if role in SEES:
                assert selectors.access_self(user, report.pk) == report
            else:
                with pytest.raises(NotFound):
                    selectors.access_self(user, report.pk)
    SelfInspection.objects.filter(pk=report.pk).update(status="submitted")
    report.refresh_from_db()
    with pytest.raises(PermissionDenied):  # a unit may see its report but not return it
        actions.SELF_STEPS.perform(actor=w.op, obj=report, name="return", data={"text": "x"})
    with pytest.raises(NotFound):
        actions.SELF_STEPS.perform(actor=w.office2, obj=report, name="accept", data={})


@pytest.mark.req("S1-5.3", "S2-40")
def test_fix_matrix(w):
    with freeze_time("2026-04-01T10:00:00+08:00"):
        r = services.create_round(actor=w.office, office=w.body, kind="spot", year=2026, period=1,
                                  checked_on=dt.date(2026, 3, 31), outlet_ids=[w.site.pk])  # fmt: skip
        services.score_outlet(actor=w.office, check=r.checks.get(), items=deductions(None, W_D1=1))
        services.publish_round(actor=w.office, round_=r)
    fix = Rectification.objects.get()
    for state in ("open", "fixed", "closed"):
        Rectification.objects.filter(pk=fix.pk).update(status=state)
        fix.refresh_from_db()
        for role, expected in FIX_MATRIX.items():
            got = [s.name for s in actions.FIX_STEPS.available(getattr(w, role), fix)]
            assert got == expected[state], (role, state)
    with pytest.raises(NotFound):
        selectors.access_fix(w.office2, fix.pk)
    assert selectors.access_fix(w.op, fix.pk) == fix


@freeze_time(NOW)
@pytest.mark.req("S1-5.3")
def test_unit_edits_and_submits_the_report_on_the_page_office_returns_it(client, w):
    report = _report(w)
    login(client, w.op)
    page = client.get(f"/inspections/self/{report.pk}/")
    assert page.status_code == 200 and 'data-testid="due-on">2026-10-13' in page.content.decode()
    assert client.post(f"/inspections/self/{report.pk}/", {"text": "第三季度自查\n住建之声：正常"}).status_code == 302
    report.refresh_from_db()
    assert report.report == "第三季度自查\n住建之声：正常"
    bad = client.post(f"/inspections/self/{report.pk}/", {"text": "x" * 20001})
    assert bad.status_code == 200 and "20000" in bad.content.decode()
    client.post(f"/inspections/self/{report.pk}/step/submit/", {"text": ""})
    report.refresh_from_db()
    assert report.status == "submitted" and report.on_time is True
    client.logout()
    login(client, w.office)
    assert client.get("/inspections/").status_code == 200
    client.post(f"/inspections/self/{report.pk}/step/return/", {"text": ""})  # a reason is required
    report.refresh_from_db()
    assert report.status == "submitted"
    client.post(f"/inspections/self/{report.pk}/step/return/", {"text": "补充网站错链整改情况"})
    report.refresh_from_db()
    assert report.status == "returned"
    client.logout()
    login(client, w.office2)
    assert client.get(f"/inspections/self/{report.pk}/").status_code == 404


@freeze_time(NOW)
@pytest.mark.req("S1-5.3", "S2-40")
def test_office_creates_scores_and_publishes_a_round_on_the_pages_and_the_public_sees_it(client, w):
    login(client, w.office)
    response = client.post("/inspections/rounds/", {"kind": "monthly", "year": 2026, "period": 9,
                                                     "checked_on": "2026-09-28", "title": ""})  # fmt: skip
    assert response.status_code == 302
    round_id = int(response["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/inspections/rounds/{round_id}/").content.decode()
    assert "住建之声" in page and "西山文旅" not in page
    checks = selectors.checks_of(selectors.access_round(w.office, round_id))
    site = next(c for c in checks if c.outlet_id == w.site.pk)
    form = client.get(f"/inspections/checks/{site.pk}/")
    assert form.status_code == 200 and "W-V3" in form.content.decode()
    too_high = client.post(f"/inspections/checks/{site.pk}/", {"ded_W-D1": "11", "note_W-D1": "首页打不开"})
    assert too_high.status_code == 200 and "10" in too_high.content.decode()
    assert (
        client.post(f"/inspections/checks/{site.pk}/", {"ded_W-D1": "5", "note_W-D1": "首页打开缓慢"}).status_code
        == 302
    )
    for c in checks:
        if c.pk != site.pk:
            client.post(f"/inspections/checks/{c.pk}/", {})
    client.post(f"/inspections/rounds/{round_id}/step/publish/")
    client.logout()
    public = client.get(f"/inspections/public/rounds/{round_id}/")
    assert public.status_code == 200 and "95.00" in public.content.decode()
    assert client.get("/inspections/public/").status_code == 200
    api = client.get(f"/api/v1/inspections/public/rounds/{round_id}")
    assert api.status_code == 200 and len(api.json()["checks"]) == 3
    login(client, w.op)
    assert client.get("/inspections/rounds/").status_code == 404  # a unit runs no rounds
    assert client.get(f"/inspections/checks/{site.pk}/").status_code == 404
    assert "江海市住建局网站" in client.get("/inspections/results/").content.decode()
    fixes = client.get("/api/v1/inspections/fixes").json()
    assert [f["indicator"] for f in fixes["items"]] == ["W-D1"]
    fix_id = fixes["items"][0]["id"]
    done = client.post(f"/api/v1/inspections/fixes/{fix_id}/steps/report_fixed", {"text": "已扩容"},
                       content_type="application/json")  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "fixed"
    again = client.post(f"/api/v1/inspections/fixes/{fix_id}/steps/report_fixed", {"text": "已扩容"},
                        content_type="application/json")  # fmt: skip
    assert again.status_code == 409 and again.json()["code"] == "transition_not_allowed"


@freeze_time(NOW)
@pytest.mark.req("S1-5.3")
def test_api_errors_have_stable_codes(client, w):
    login(client, w.office)
    body = {"office": w.body.pk, "kind": "monthly", "year": 2026, "period": 13, "checked_on": "2026-09-30"}
    response = client.post("/api/v1/inspections/rounds", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "period_invalid"
    body["period"] = 9
    assert client.post("/api/v1/inspections/rounds", body, content_type="application/json").status_code == 200
    dup = client.post("/api/v1/inspections/rounds", body, content_type="application/json")
    assert dup.status_code == 409 and dup.json()["code"] == "round_exists"
    body["office"] = w.body2.pk
    assert client.post("/api/v1/inspections/rounds", body, content_type="application/json").status_code == 404
    assert client.get("/api/v1/inspections/self/999999").status_code == 404
    assert client.get("/api/v1/inspections/public/rounds/1").status_code == 404  # not published


@freeze_time(NOW)
@pytest.mark.req("S1-5.3", "S2-40")
def test_lists_are_query_bounded(client, w, django_assert_max_num_queries):
    made = []

    def grow(n):
        for _i in range(n):
            i = len(made)
            unit = make_unit(w.body, f"市第{i}局", kind=UnitKind.HANDLING_UNIT)
            make_user(unit, roles=[Role.NM_OPERATOR], real_name=f"运营{i}")
            made.append(outlet(w.body, unit, "wechat", f"第{i}号"))

    grow(2)
    _report(w)
    login(client, w.office)
    urls = ["/inspections/", "/inspections/rounds/", "/inspections/fixes/", "/inspections/results/",
            "/inspections/assessment/?year=2026", "/inspections/accountability/", "/inspections/security/",
            "/inspections/public/", "/api/v1/inspections/self", "/api/v1/inspections/fixes"]  # fmt: skip
    for url in urls:
        assert client.get(url).status_code == 200, url  # warm up
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(25) as ctx:
            client.get(url)
        counts[url] = len(ctx.captured_queries)
    grow(20)
    with freeze_time("2026-10-02T09:00:00+08:00"):
        services.open_quarter(office=w.body, year=2026, quarter=2)
    for url in urls:
        with django_assert_max_num_queries(counts[url] + 2, info=url):
            assert client.get(url).status_code == 200, url
