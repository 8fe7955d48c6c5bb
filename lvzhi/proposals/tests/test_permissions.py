"""The permission matrix: every part (deputy, co-signer, member of another body, office, lead unit, co-handling unit,
unrelated unit, leaders, administrators, the public) against every action. Forbidden looks like not found where the
user may not see the item; a user who sees it but may not act is told "forbidden". Nothing changes on a refusal."""

import pytest
from django.utils import timezone

from lvzhi.audit.models import AuditEvent
from lvzhi.proposals.models import Proposal, Reply

from .conftest import assigned, co_of, draft, lead_of, replied, submitted
from .helpers import Api

pytestmark = pytest.mark.django_db

ACTORS = [
    "deputy",
    "cosigner",
    "other_deputy",
    "county_deputy",
    "member",
    "clerk",
    "leader",
    "lead_staff",
    "lead_head",
    "co_staff",
    "other_unit",
    "sysadmin",
    "auditadmin",
    "public",
]


@pytest.fixture
def apis(w):
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = Api(None if name == "public" else getattr(w, name))
        return cache[name]

    return get


def with_confirmed_cosigner(w, p):
    from lvzhi.proposals import services

    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.cosigner)
    services.respond_cosign(actor=w.cosigner, proposal=p, confirm=True)


def check(apis, expected: dict, call, unchanged=None, skip=()):
    """`expected`: actor → status; every actor not listed (nor skipped) must get 404 (the public 401)."""
    refused_first = sorted(ACTORS, key=lambda n: expected.get(n, 404) < 400)  # the one who may act goes last
    for name in refused_first:
        if name in skip:
            continue
        want = expected.get(name, 401 if name == "public" else 404)
        status, data = call(apis(name))
        assert status == want, (name, status, data)
        if unchanged is not None and want >= 400:
            unchanged()


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_who_sees_an_item_being_handled(w, apis):
    p = draft(w)
    with_confirmed_cosigner(w, p)
    from lvzhi.proposals import services

    services.submit(actor=w.deputy, proposal=p)
    services.accept(actor=w.clerk, proposal=p)
    services.assign(actor=w.clerk, proposal=p, lead_unit=w.unit_a, co_units=[w.unit_b])
    seen = dict.fromkeys(("deputy", "cosigner", "clerk", "leader", "lead_staff", "lead_head", "co_staff"), 200)
    check(apis, seen, lambda api: api.get(f"/{p.pk}"))
    # The public sees only the feed, and only what the office disclosed.
    status, data = apis("public").get("/public")
    assert status == 200 and data["count"] == 0


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_drafts_are_private_to_the_proposer_and_the_invited(w, apis):
    p = draft(w)
    from lvzhi.proposals import services

    services.invite_cosigner(actor=w.deputy, proposal=p, user=w.cosigner)
    check(apis, {"deputy": 200, "cosigner": 200}, lambda api: api.get(f"/{p.pk}"))
    check(
        apis,
        {"deputy": 404, "cosigner": 200},  # the proposer has no invitation to answer
        lambda api: api.post(f"/{p.pk}/cosign", {"confirm": True}),
    )


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_only_the_office_reviews_and_assigns(w, apis):
    p = submitted(w)
    with_confirmed_cosigner(w, draft(w))  # an unrelated draft: the co-signer is not on this item

    def unchanged():
        assert Proposal.objects.get(pk=p.pk).status == Proposal.Status.SUBMITTED

    # Visible but not allowed: forbidden. Invisible: not found.
    check(
        apis,
        {"deputy": 403, "leader": 403, "clerk": 200},
        lambda api: api.post(f"/{p.pk}/not-accept", {"reason": "不属于本级人大职权范围"}),
        unchanged=unchanged,
    )
    p2 = submitted(w, title="关于改善农村道路的建议")
    check(apis, {"deputy": 403, "leader": 403, "clerk": 200}, lambda api: api.post(f"/{p2.pk}/accept", {}))
    check(
        apis,
        {"deputy": 403, "leader": 403, "clerk": 200},
        lambda api: api.post(f"/{p2.pk}/assign", {"lead_unit_id": w.unit_a.pk}),
    )
    # The office head may review too; the proposer's own clerk account may not review its own item.
    own = submitted(w, proposer=w.deputy, title="第三件")
    assert Api(w.office_head).post(f"/{own.pk}/accept")[0] == 200


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_unit_steps_belong_to_their_unit(w, apis):
    p = assigned(w)
    lead = lead_of(p)
    co = p.assignments.get(role="co")
    today = timezone.localdate().isoformat()
    check(
        apis,
        {"lead_staff": 201, "lead_head": 201},
        lambda api: api.post(f"/assignments/{lead.pk}/contact", {"method": "phone", "date": today, "note": "电话"}),
    )
    assert lead.contacts.count() == 2  # only the lead unit's two contacts were recorded
    assert AuditEvent.objects.filter(event="proposals.lead.contact").count() == 2
    check(apis, {"co_staff": 200}, lambda api: api.post(f"/assignments/{co.pk}/opinion", {"opinion": "同意"}))
    check(
        apis,
        {"lead_staff": 200, "lead_head": 200},
        lambda api: api.post(f"/assignments/{lead.pk}/reply", {"content": "答复", "classification": "A"}),
    )
    reply = Reply.objects.get(proposal=p)
    check(apis, {"lead_staff": 403, "lead_head": 200}, lambda api: api.post(f"/replies/{reply.pk}/sign-off"))
    check(apis, {"lead_staff": 200}, lambda api: api.post(f"/replies/{reply.pk}/send"), skip=["lead_head"])
    assert Proposal.objects.get(pk=p.pk).status == Proposal.Status.REPLIED


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_only_the_proposer_evaluates(w, apis):
    p = draft(w)
    with_confirmed_cosigner(w, p)
    from lvzhi.proposals import services

    services.submit(actor=w.deputy, proposal=p)
    services.accept(actor=w.clerk, proposal=p)
    p = services.assign(actor=w.clerk, proposal=p, lead_unit=w.unit_a, co_units=[w.unit_b])
    lead = lead_of(p)
    services.send_opinion(actor=w.co_staff, assignment=co_of(p), opinion="同意。")
    services.record_contact(
        actor=w.lead_staff, assignment=lead, method="phone", contacted_on=timezone.localdate(), note="x"
    )
    reply = services.save_reply(actor=w.lead_staff, assignment=lead, content="答复", classification="A")
    services.sign_off_reply(actor=w.lead_head, reply=reply)
    services.send_reply(actor=w.lead_staff, reply=reply)
    visible_only = dict.fromkeys(("cosigner", "clerk", "leader", "lead_staff", "lead_head", "co_staff"), 403)
    check(
        apis,
        {**visible_only, "deputy": 200},
        lambda api: api.post(f"/{p.pk}/evaluate", {"rating": "satisfied"}),
    )


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_queues_show_each_part_only_its_own(w, apis):
    p = replied(w)
    Api(w.clerk).post(f"/{p.pk}/supervision", {"on": True, "note": "主任督办"})
    # Unit queues
    status, data = apis("lead_staff").get("/units/queue", {"state": "done"})
    assert [i["proposal_id"] for i in data["items"]] == [p.pk]
    status, data = apis("other_unit").get("/units/queue", {"state": "done"})
    assert data["count"] == 0
    # Office flow: the office of another body sees nothing of this congress
    assert apis("clerk").get("/office/flow")[1]["count"] == 1
    assert Api(w.cppcc_clerk).get("/office/flow")[1]["count"] == 0
    assert apis("deputy").get("/office/flow")[1]["count"] == 0
    # Supervision: the leaders of the body
    assert [i["id"] for i in apis("leader").get("/supervision")[1]["items"]] == [p.pk]
    assert apis("clerk").get("/supervision")[1]["count"] == 0
    # Mine
    assert [i["id"] for i in apis("deputy").get("/mine")[1]["items"]] == [p.pk]
    assert apis("other_deputy").get("/mine")[1]["count"] == 0
    # Administrators see no business content at all; the public must log in.
    for name in ("sysadmin", "auditadmin"):
        assert apis(name).get("/mine")[1]["count"] == 0
        assert apis(name).get("/office/flow")[1]["count"] == 0
    assert apis("public").get("/mine")[0] == 401


@pytest.mark.req("S4-2.2.4", "S0-4")
def test_pages_for_parts_without_business_there_are_not_found(w):
    from .helpers import client_for

    p = assigned(w)
    for name, urls in {
        "deputy": ["/proposals/office/", "/proposals/units/", "/proposals/supervision/"],
        "lead_staff": ["/proposals/office/", "/proposals/new/", "/proposals/supervision/"],
        "clerk": ["/proposals/units/", "/proposals/new/"],
        "other_deputy": [f"/proposals/{p.pk}/"],
        "sysadmin": [f"/proposals/{p.pk}/", "/proposals/", "/proposals/office/"],
    }.items():
        client = client_for(getattr(w, name))
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)
    assert client_for(w.leader).get("/proposals/supervision/").status_code == 200
    assert client_for(w.lead_staff).get("/proposals/units/").status_code == 200
