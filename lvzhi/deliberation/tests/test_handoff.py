"""S0-17: a report the committee head approved as a deliberation topic links to the real topic, and the topic shows
the reports it came from."""

import pytest

from lvzhi.core.errors import Conflict, NotFound
from lvzhi.deliberation import selectors, services
from lvzhi.opinions import selectors as opinion_selectors
from lvzhi.opinions import services as opinion_services
from lvzhi.opinions.models import TopicRequest
from lvzhi.opinions.tests.conftest import build_world, submit
from lvzhi.testing import login

from .conftest import topic_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return build_world()


def approved_request(w, title="关于优化营商环境的建议"):
    report = submit(w, category="economy", title=title)
    report = opinion_services.accept_report(actor=w.staff, report=report, category="economy")
    req = opinion_services.request_topic(actor=w.staff, report=report, title="优化营商环境", summary="多名委员反映。")
    return opinion_services.decide_topic(actor=w.head, topic=req, approve=True)


@pytest.mark.req("S0-17")
def test_a_new_topic_made_from_an_approved_request_links_to_it(w, client):
    req = approved_request(w)
    topic = services.draft_from_request(actor=w.staff, request=req, data=topic_data(title=req.title))
    req.refresh_from_db()
    assert req.status == TopicRequest.Status.TAKEN and req.topic_ref == f"deliberation.topic:{topic.pk}"
    assert [r.report_id for r in selectors.source_reports(topic)] == [req.report_id]
    assert not opinion_selectors.approved_topic_requests(committee=w.econ).exists()
    login(client, w.staff)
    page = client.get(f"/opinions/{req.report_id}/").content.decode()
    assert f'href="/deliberation/topics/{topic.pk}/"' in page  # the report links to its topic, not free text


@pytest.mark.req("S0-17")
def test_a_request_handed_to_an_open_topic_and_shown_on_it(client, w):
    topic = services.create_topic(actor=w.staff, committee=w.econ, data=topic_data())
    assert list(selectors.open_topics(w.econ)) == [topic]
    first, second = approved_request(w), approved_request(w, title="关于降低物流成本的建议")
    services.take_request(actor=w.staff, request=first, topic=topic)
    login(client, w.staff)
    page = client.get("/deliberation/manage/").content.decode()
    assert f"/deliberation/requests/{second.pk}/take/" in page  # the approved request is offered
    assert f"/deliberation/requests/{first.pk}/take/" not in page  # the one already handed over is not
    response = client.post(f"/deliberation/requests/{second.pk}/take/", {"topic": topic.pk})
    assert response.status_code == 302
    assert {r.report_id for r in selectors.source_reports(topic)} == {first.report_id, second.report_id}
    page = client.get(f"/deliberation/topics/{topic.pk}/work/").content.decode()
    assert first.report.reference in page and second.report.reference in page


@pytest.mark.req("S0-17")
def test_the_hand_off_refuses_other_committees_closed_topics_and_repeats(w):
    req = approved_request(w)
    other = services.create_topic(actor=w.social_staff, committee=w.social, data=topic_data())
    with pytest.raises(NotFound):
        services.take_request(actor=w.social_staff, request=req, topic=other)
    topic = services.create_topic(actor=w.staff, committee=w.econ, data=topic_data())
    services.take_request(actor=w.staff, request=req, topic=topic)
    with pytest.raises(Conflict) as again:
        services.take_request(actor=w.staff, request=TopicRequest.objects.get(pk=req.pk), topic=topic)
    assert again.value.code == "request_not_approved"
    pending = opinion_services.request_topic(
        actor=w.staff,
        report=opinion_services.accept_report(
            actor=w.staff, report=submit(w, category="economy", title="另一个"), category="economy"
        ),
        title="另一个",
        summary="说明",
    )
    with pytest.raises(Conflict):  # not approved by the head yet
        services.take_request(actor=w.staff, request=pending, topic=topic)


@pytest.mark.req("S0-17")
def test_topic_requests_for_reads_only_deliberation_references(w):
    assert not opinion_selectors.topic_requests_for("").exists()
    assert not opinion_selectors.topic_requests_for("proposals.proposal:1").exists()
