"""The permission matrix (S3-1, S3-10): every role against every page and action of the module, with the expected
table written out here, another body included. Forbidden looks missing (404) for what one may not see."""

import pytest
from freezegun import freeze_time

from lvzhi.duty import services
from lvzhi.testing import login

from .helpers import counted, enter

ROLES = [
    "m1",
    "m2",
    "m3",
    "econ_staff",
    "econ_head",
    "social_staff",
    "gen_staff",
    "gen_head",
    "liaison_staff",
    "liaison_head",
    "prop_staff",
    "leader",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "staff_b2",
    "head_b2",
    "liaison_b2",
    "leader_b2",
    "member_b2",
]
OFFICES = {
    "econ_staff",
    "econ_head",
    "social_staff",
    "gen_staff",
    "gen_head",
    "liaison_staff",
    "liaison_head",
    "prop_staff",
    "leader",
    "staff_b2",
    "head_b2",
    "liaison_b2",
    "leader_b2",
}
# Pages of the first body (GET): who gets 200; everybody else 404 (or, for 我的履职, a redirect for office staff).
# (Another body's people get their own body's pages: what they must not see is the first body's data, below.)
PAGES = {
    "/duty/": {"m1", "m2", "m3", "member_b2"},
    "/duty/manage/": OFFICES,
    "/duty/ranking/": OFFICES,
    "/duty/analysis/": OFFICES,
    "/duty/departments/": {
        "gen_staff",
        "gen_head",
        "liaison_staff",
        "liaison_head",
        "leader",
        "liaison_b2",
        "leader_b2",
    },
    "/duty/samples/": {"liaison_staff", "liaison_head", "liaison_b2"},
    "/duty/results/": {"liaison_staff", "liaison_head", "liaison_b2"},
    "/duty/admins/": {"liaison_staff", "liaison_head", "liaison_b2"},
    "/duty/people/": {
        "econ_staff",
        "econ_head",
        "social_staff",
        "liaison_staff",
        "liaison_head",
        "prop_staff",
        "staff_b2",
        "head_b2",
        "liaison_b2",
    },
}
FIRST_BODY = {
    "m1",
    "m2",
    "m3",
    "econ_staff",
    "econ_head",
    "social_staff",
    "gen_staff",
    "gen_head",
    "liaison_staff",
    "liaison_head",
    "prop_staff",
    "leader",
}
# m1's details (their year page) and one of m1's records: who sees them.
SEE_M1 = {"m1", "econ_staff", "econ_head", "gen_staff", "gen_head", "liaison_staff", "liaison_head", "leader"}
SEE_M1_RECORD = SEE_M1  # the record was organised and entered by the economic committee
REVIEWERS = {"econ_head"}


@pytest.mark.req("S3-1", "S3-10")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_who_sees_which_page(w, client):
    services.recompute_year(body=w.body, year=2026)
    for role in ROLES:
        user = getattr(w, role)
        client.logout()
        login(client, user)
        for url, allowed in PAGES.items():
            status = client.get(url).status_code
            if role in allowed:
                assert (role, url, status) == (role, url, 200)
            elif url == "/duty/" and role in OFFICES:
                assert (role, url, status) == (role, url, 302)  # office staff go to 履职管理
            else:
                assert (role, url, status) == (role, url, 404)
        if role not in FIRST_BODY:  # another body's people never see the first body's members
            html = client.get("/duty/ranking/?year=2026").content.decode()
            assert "金文博" not in html and "魏静怡" not in html


@pytest.mark.req("S3-10")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_a_member_sees_only_their_own_details_and_rank(w, client):
    rec = counted(w, member=w.m1, title="常委会议")
    counted(w, member=w.m2, title="常委会议")
    for role in ROLES:
        user = getattr(w, role)
        client.logout()
        login(client, user)
        member_page = client.get(f"/duty/members/{w.m1.pk}/?year=2026")
        record_page = client.get(f"/duty/records/{rec.pk}/")
        api = client.get(f"/api/v1/duty/records/{rec.pk}")
        expected_member = 200 if role in SEE_M1 - {"m1"} else 404  # a member's own year is 我的履职, not this page
        assert (role, member_page.status_code) == (role, expected_member)
        expected = 200 if role in SEE_M1_RECORD else 404
        assert (role, record_page.status_code, api.status_code) == (role, expected, expected)
        if expected == 404:
            assert "常委会议" not in record_page.content.decode() and api.json()["code"] == "not_found"
    # A member's own page shows their own records and ranks, never another member's.
    client.logout()
    login(client, w.m2)
    me = client.get("/api/v1/duty/me?year=2026").json()
    assert [r["id"] for r in me["records"]] == [r.pk for r in w.m2.duty_records.all()]
    assert rec.pk not in [r["id"] for r in me["records"]]
    assert me["ranks"]["body"] == {"rank": 1, "of": 3}


@pytest.mark.req("S3-7", "S3-10")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_who_may_review_withdraw_and_approve(w, client):
    for role in ROLES:
        rec = enter(w, member=w.m2, title=f"会议{role}")
        user = getattr(w, role)
        client.logout()
        login(client, user)
        response = client.post(f"/api/v1/duty/records/{rec.pk}/steps/review", {}, content_type="application/json")
        rec.refresh_from_db()
        if role in REVIEWERS:
            assert (role, response.status_code, rec.status) == (role, 200, "counted")
        elif role in (SEE_M1_RECORD - {"m1"}) | {"m2"}:  # they see m2's record but may not review it
            assert (role, response.status_code, rec.status) == (role, 403, "pending")
        else:
            assert (role, response.status_code, rec.status) == (role, 404, "pending")


@pytest.mark.req("S3-1")
@freeze_time("2026-06-11 10:00:00+08:00")
def test_the_three_views_are_linked_from_home(w, client):
    login(client, w.m1)
    html = client.get("/").content.decode()
    assert "我的履职" in html and "/duty/" in html and "履职管理" not in html
    client.logout()
    login(client, w.econ_staff)
    html = client.get("/").content.decode()
    assert "履职管理" in html and "/duty/manage/" in html
    html = client.get("/duty/manage/").content.decode()
    assert "人员管理" in html and "录入履职信息" in html
    services.recompute_year(body=w.body, year=2026)
