"""Findings as cases: the workflow (fix → verify / reopen, dismiss), who may do what (role × step × state, another
body's data answers 404), de-duplication, working-day deadlines, on-duty records reported upward, counterfeit
accounts, the pages and the API with bounded queries, and the assessment's facts."""

import datetime as dt

import pytest

from lvzhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from lvzhi.monitoring import actions, selectors, services
from lvzhi.monitoring.models import Finding
from lvzhi.testing import login

from .conftest import watch


def raise_on(outlet, kind="dead_links", url="http://x.gov.cn/a"):
    return services.raise_finding(kind=kind, summary="死链", outlet=outlet, url=url, evidence={"url": url})[0]


@pytest.mark.req("S1-3.3")
def test_fix_verify_reopen_dismiss(w):
    f = raise_on(w.site)
    assert f.status == "open" and f.next_due_at is not None
    with pytest.raises(Conflict):
        services.verify_finding(actor=w.office, finding=f)  # not yet fixed
    f = services.fix_finding(actor=w.op, finding=f, note="已删除死链")
    assert f.status == "fixed" and f.fix_note == "已删除死链" and f.fixed_by == w.op
    f = services.reopen_finding(actor=w.office, finding=f, note="仍有死链")
    assert f.status == "open" and f.fix_due_at is not None
    f = services.fix_finding(actor=w.op, finding=f, note="已全部修复")
    f = services.verify_finding(actor=w.office, finding=f)
    assert f.status == "closed" and f.verified_by == w.office
    g = raise_on(w.site)  # a recurrence after closing is a new finding
    assert g.pk != f.pk
    g = services.dismiss_finding(actor=w.office, finding=g, reason="误报：页面已迁移")
    assert g.status == "dismissed"
    with pytest.raises(ValidationFailed):
        services.dismiss_finding(actor=w.office, finding=raise_on(w.wechat), reason="")


MATRIX = [
    # (actor, step, state, outcome)
    ("op", "fix", "open", "ok"),
    ("edu_op", "fix", "open", NotFound),  # another unit's finding: does not exist for them
    ("staff", "fix", "open", NotFound),
    ("office", "fix", "open", PermissionDenied),
    ("office2", "fix", "open", NotFound),  # another body
    ("sysadmin", "fix", "open", NotFound),
    ("office", "verify", "fixed", "ok"),
    ("op", "verify", "fixed", PermissionDenied),
    ("office2", "verify", "fixed", NotFound),
    ("office", "verify", "open", Conflict),
    ("office", "reopen", "fixed", "ok"),
    ("op", "reopen", "fixed", PermissionDenied),
    ("office", "dismiss", "open", "ok"),
    ("op", "dismiss", "open", PermissionDenied),
    ("op", "fix", "closed", Conflict),
]


@pytest.mark.req("S1-3.3", "S2-39")
@pytest.mark.parametrize("who,step,state,outcome", MATRIX)
def test_permission_matrix(w, who, step, state, outcome):
    f = raise_on(w.site)
    if state in ("fixed", "closed"):
        f = services.fix_finding(actor=w.op, finding=f, note="改了")
    if state == "closed":
        f = services.verify_finding(actor=w.office, finding=f)
    actor = getattr(w, who)
    if outcome == "ok":
        assert actions.perform(actor=actor, finding=f, name=step, data={"note": "说明"}).status != state
    else:
        with pytest.raises(outcome):
            actions.perform(actor=actor, finding=f, name=step, data={"note": "说明"})
        assert Finding.objects.get(pk=f.pk).status == state


@pytest.mark.req("S2-39")
def test_one_open_finding_per_outlet_kind_and_url(w):
    a = raise_on(w.site)
    b = raise_on(w.site)
    c = raise_on(w.site, url="http://x.gov.cn/b")
    assert a.pk == b.pk and c.pk != a.pk
    a.refresh_from_db()
    assert a.occurrences == 2
    services.fix_finding(actor=w.op, finding=a, note="修复")
    raise_on(w.site)
    a.refresh_from_db()
    assert a.seen_after_fix and a.status == "fixed"


@pytest.mark.req("S2-39")
def test_harmful_content_recorded_by_hand_and_reported_upward(w):
    f = services.record_by_hand(
        actor=w.office,
        outlet_id=w.wechat.pk,
        kind="harmful_content",
        summary="评论区出现赌博广告",
        excerpt="澳门葡京 真人荷官",
    )
    assert f.veto and f.source == "duty" and "澳门葡京" in " ".join(f.evidence["screening"])
    assert [s.name for s in actions.available_actions(w.office, f)] == ["dismiss", "report"]
    f = services.report_upward(actor=w.office, finding=f, note="已报省政务公开办")
    assert f.reported_at and f.report_note == "已报省政务公开办"
    with pytest.raises(ValidationFailed):
        services.report_upward(actor=w.office, finding=f, note="再报")
    with pytest.raises(NotFound):
        services.record_by_hand(actor=w.office2, outlet_id=w.wechat.pk, kind="harmful_content", summary="x")
    with pytest.raises(NotFound):
        services.report_upward(actor=w.op, finding=f, note="x")


@pytest.mark.req("S2-39")
def test_counterfeit_accounts_by_name_similarity(w):
    f = services.report_counterfeit(actor=w.office, platform="wechat", name="住建之声官方", url="https://fake")
    assert f.kind == "counterfeit_account" and f.outlet == w.wechat and f.host_unit == w.housing
    assert f.evidence["similar"][0]["name"] == "住建之声"
    again = services.report_counterfeit(actor=w.office, platform="wechat", name="住建之声官方", url="https://fake")
    assert again.pk == f.pk
    with pytest.raises(ValidationFailed) as exc:
        services.report_counterfeit(actor=w.office, platform="wechat", name="完全无关的号")
    assert exc.value.code == "no_similar_account"
    f = services.fix_finding(actor=w.op, finding=f, note="已向平台投诉，账号已被封禁")
    assert services.verify_finding(actor=w.office, finding=f).status == "closed"


@pytest.mark.req("S2-40")
def test_assessment_facts(w):
    f = raise_on(w.site, kind="not_updated_14_days")
    raise_on(w.other)
    facts = selectors.assessment_facts([w.site.pk], dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [(x.outlet_id, x.kind, x.veto, x.status) for x in facts] == [
        (w.site.pk, "not_updated_14_days", True, "open")
    ]
    assert (
        facts[0].due_on is not None and facts[0].fixed_on is None and facts[0].link == f"/monitoring/findings/{f.pk}/"
    )


@pytest.mark.req("S1-3.3")
def test_pages_for_the_host_unit_and_the_office(w, client, django_assert_max_num_queries):
    for i in range(3):
        raise_on(w.site, url=f"http://x.gov.cn/{i}")
    login(client, w.op)
    page = client.get("/monitoring/")
    assert page.status_code == 200 and page.content.decode().count('data-kind="dead_links"') == 3
    f = Finding.objects.first()
    assert client.get(f"/monitoring/findings/{f.pk}/").status_code == 200
    response = client.post(f"/monitoring/findings/{f.pk}/steps/fix/", {"note": "已修复"})
    assert response.status_code == 302 and Finding.objects.get(pk=f.pk).status == "fixed"
    assert client.get("/monitoring/office/").status_code == 404
    client.logout()
    login(client, w.office2)
    assert client.get(f"/monitoring/findings/{f.pk}/").status_code == 404
    client.logout()
    login(client, w.office)
    client.get("/monitoring/office/")
    with django_assert_max_num_queries(14) as few:
        assert client.get("/monitoring/office/?status=all").status_code == 200
    for i in range(3, 30):
        raise_on(w.wechat, url=f"http://x.gov.cn/{i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/monitoring/office/?status=all").content.decode()
    assert body.count("data-kind=") == 30


@pytest.mark.req("S1-3.3")
def test_api_steps_and_errors(w, client):
    f = raise_on(w.site)
    login(client, w.op)
    response = client.post(
        f"/api/v1/monitoring/findings/{f.pk}/steps/fix", {"note": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "note_required"
    response = client.post(
        f"/api/v1/monitoring/findings/{f.pk}/steps/fix", {"note": "好了"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "fixed"
    response = client.post(f"/api/v1/monitoring/findings/{f.pk}/steps/verify", {}, content_type="application/json")
    assert response.status_code == 403
    assert client.get("/api/v1/monitoring/findings/mine").json()["count"] == 1
    client.logout()
    login(client, w.op2)
    assert client.get(f"/api/v1/monitoring/findings/{f.pk}").status_code == 404


@pytest.mark.req("S2-25")
def test_item_entry_page_and_crawl_now(w, client):
    watch(w.site, crawl=True, start_url="http://127.0.0.1:9/")
    login(client, w.op)
    response = client.post(
        f"/monitoring/outlets/{w.site.pk}/",
        {"what": "item", "i-title": "新闻一则", "i-published_at": "2026-11-02T09:00", "i-is_original": "on"},
    )
    assert response.status_code == 302
    assert client.post(f"/monitoring/outlets/{w.site.pk}/crawl/").status_code == 404  # the office's button
    client.logout()
    login(client, w.office)
    assert client.post(f"/monitoring/outlets/{w.site.pk}/crawl/").status_code == 302
    assert services.due_watches(dt.datetime.now(dt.UTC)).first().crawl_requested_at is not None
    page = client.get(f"/monitoring/outlets/{w.site.pk}/").content.decode()
    assert "新闻一则" in page
