"""Lists: constant query counts whatever the data size; the public disclosure feed and its masking; statistics."""

import pytest
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.proposals import services
from lvzhi.proposals.models import Proposal

from .conftest import assigned, replied, submitted
from .helpers import Api, client_for

pytestmark = pytest.mark.django_db


def grow(w, n):
    """n more items in every state a list shows: submitted, assigned (with a request), replied and disclosed."""
    for i in range(n):
        submitted(w, title=f"待审查{i}", keywords=f"关键词{i}")
        p = assigned(w, title=f"办理中{i}")
        services.request_extension(
            actor=w.lead_staff,
            assignment=p.assignments.get(role="lead"),
            until=timezone.localdate() + timezone.timedelta(days=100),
            reason="需要时间",
        )
        r = replied(w, title=f"已答复{i}")
        services.set_key_supervision(actor=w.clerk, proposal=r, on=True, note="督办")
        services.publish(actor=w.clerk, proposal=r, public=True)


PAGES = {
    "deputy": ["/proposals/", "/proposals/?scope=mine"],
    "clerk": [
        "/proposals/office/?state=review",
        "/proposals/office/?state=all",
        "/proposals/office/?state=handling&kind=suggestion&q=办理",
        "/proposals/office/?state=requests",
        "/proposals/office/?state=overdue",
        "/proposals/office/stats/",
    ],
    "lead_staff": ["/proposals/units/", "/proposals/units/?state=done", "/proposals/units/?state=requests"],
    "leader": ["/proposals/supervision/", "/proposals/supervision/?scope=all"],
}
API = {
    "deputy": ["/mine", "/due"],
    "clerk": ["/office/flow", "/office/flow?state=review", "/office/requests", "/office/stats"],
    "lead_staff": ["/units/queue", "/units/queue?state=done"],
    "leader": ["/supervision"],
}


@pytest.mark.req("S4-2.2.4")
def test_every_list_takes_a_constant_number_of_queries(w, django_assert_max_num_queries):
    grow(w, 1)
    clients = {name: client_for(getattr(w, name)) for name in PAGES}
    apis = {name: Api(getattr(w, name)) for name in API}
    public = Api()

    def measure():
        counts = {}
        for name, urls in PAGES.items():
            for url in urls:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as ctx:
                    assert clients[name].get(url).status_code == 200, url
                counts[url] = len(ctx.captured_queries)
        for name, urls in API.items():
            for url in urls:
                from django.db import connection
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as ctx:
                    assert apis[name].get(url)[0] == 200, url
                counts["api" + url] = len(ctx.captured_queries)
        with django_assert_max_num_queries(6):
            assert public.get("/public")[0] == 200
        return counts

    # One frozen instant: on a loaded machine grow() can outlast the 30 s after which a request stamps the session's
    # last-seen time (a write that is no list's cost).
    with freeze_time(timezone.now()):
        measure()  # warm-up: what is created once on first use (the calendar's version key) is not a list's cost
        small = measure()
        grow(w, 4)
        large = measure()
    assert large == small, {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    for url, n in large.items():
        assert n <= 30, (url, n)


@pytest.mark.req("S4-2.2.4")
def test_the_detail_page_takes_a_constant_number_of_queries(w):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    p = assigned(w)
    lead = p.assignments.get(role="lead")
    client = client_for(w.clerk)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/proposals/{p.pk}/").status_code == 200
        return len(ctx.captured_queries)

    services.record_contact(
        actor=w.lead_staff, assignment=lead, method="phone", contacted_on=timezone.localdate(), note="1"
    )
    services.request_transfer(actor=w.lead_staff, assignment=lead, reason="不属于本单位")
    small = count()
    for i in range(4):
        services.record_contact(
            actor=w.lead_staff, assignment=lead, method="visit", contacted_on=timezone.localdate(), note=str(i)
        )
    services.request_extension(
        actor=w.co_staff,
        assignment=p.assignments.get(role="co"),
        until=timezone.localdate() + timezone.timedelta(days=40),
        reason="需要时间",
    )
    assert count() == small
    assert small <= 45


@pytest.mark.req("S4-2.2.4")
def test_public_feed_shows_only_disclosed_items_with_personal_data_masked(w):
    p = replied(w, title="关于规范停车收费的建议")
    Proposal.objects.filter(pk=p.pk).update(
        content="请联系我 13812345678，或 0571-88886666，身份证 110101199003071234。"
    )
    reply = p.replies.get()
    reply.content = "经办人电话13900001111。"
    reply.save(update_fields=["content"])
    hidden = replied(w, title="不公开的建议", disclosure_consent=False)
    clerk = Api(w.clerk)
    status, data = clerk.post(f"/{hidden.pk}/publish", {"public": True})
    assert (status, data["code"]) == (400, "no_consent")
    assert Api(w.deputy).post(f"/{p.pk}/publish", {"public": True})[0] == 403
    early = submitted(w, title="审查中")
    assert clerk.post(f"/{early.pk}/publish", {"public": True})[1]["code"] == "not_accepted"
    assert clerk.post(f"/{p.pk}/publish", {"public": True})[0] == 200

    status, data = Api().get("/public")
    assert status == 200 and data["count"] == 1
    item = data["items"][0]
    assert item["title"] == "关于规范停车收费的建议"
    assert "13812345678" not in item["content"] and "138****5678" in item["content"]
    assert "110101199003071234" not in item["content"] and "0571-88886666" not in item["content"]
    assert item["proposer"] == "鲁*强"  # masked name
    assert "phone" not in str(item)
    assert item["lead_units"] == ["市住建局"] and item["co_units"] == ["市教育局"]
    assert item["replies"][0]["content"] == "经办人电话139****1111。"
    assert item["replies"][0]["classification"] == "B"
    assert Api().get("/public", {"body_id": w.cppcc.pk})[1]["count"] == 0
    assert Api().get("/public", {"year": 1999})[1]["count"] == 0
    assert Api().get("/public", {"page_size": 1000})[0] == 422
    # Taking it down removes it at once.
    assert clerk.post(f"/{p.pk}/publish", {"public": False})[0] == 200
    assert Api().get("/public")[1]["count"] == 0


@pytest.mark.req("S4-2.2.4")
def test_statistics_count_on_time_classes_and_satisfaction_per_unit(w):
    a = replied(w, classification="A")
    services.evaluate(actor=w.deputy, proposal=a, rating="satisfied")
    b = replied(w, classification="C", title="第二件")
    services.evaluate(actor=w.deputy, proposal=b, rating="unsatisfied", comment="不满意")
    assigned(w, title="第三件", co=False)
    status, data = Api(w.clerk).get("/office/stats")
    assert status == 200
    rows = {r["unit"]["name"]: r for r in data["units"]}
    unit_a = rows["市住建局"]
    assert (unit_a["assigned"], unit_a["lead"], unit_a["replied"], unit_a["on_time"]) == (3, 3, 2, 2)
    assert (unit_a["class_A"], unit_a["class_B"], unit_a["class_C"]) == (1, 0, 1)
    assert (unit_a["rating_satisfied"], unit_a["rating_unsatisfied"]) == (1, 0)  # b is being handled again
    assert unit_a["satisfaction"] == 100.0
    unit_b = rows["市教育局"]
    assert (unit_b["assigned"], unit_b["co"], unit_b["lead"]) == (2, 2, 0)
    assert data["totals"]["assigned"] == 5
    assert data["items"] == {"handling": 1, "rehandling": 1, "closed": 1}
