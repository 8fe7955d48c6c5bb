"""Every list page and endpoint of the module answers in a number of queries independent of the data size."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.monitoring import services
from lvzhi.testing import login

from .conftest import watch


def _findings(w, start, stop):
    for i in range(start, stop):
        services.raise_finding(kind="dead_links", summary="死链", outlet=w.site, url=f"http://x.gov.cn/{i}")


def _items(outlet, start, stop):
    for i in range(start, stop):
        services.add_item(outlet=outlet, source="manual", ref=f"r{i}", title=f"信息{i}",
                          published_at=timezone.now() - dt.timedelta(hours=i))  # fmt: skip


@pytest.mark.req("S1-3.3")
@pytest.mark.parametrize(
    "who,url",
    [
        ("op", "/monitoring/"),
        ("office", "/monitoring/office/?status=all&veto=&source=crawler"),
        ("op", "/api/v1/monitoring/findings/mine"),
        ("office", "/api/v1/monitoring/findings/office"),
    ],
)
def test_finding_lists_have_bounded_queries(w, client, django_assert_max_num_queries, who, url):
    _findings(w, 0, 3)
    login(client, getattr(w, who))
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    _findings(w, 3, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.req("S2-25")
def test_outlet_lists_have_bounded_queries(w, client, django_assert_max_num_queries):
    watch(w.site)
    watch(w.wechat)
    _items(w.site, 0, 3)
    login(client, w.office)
    for url in ("/monitoring/outlets/", f"/monitoring/outlets/{w.site.pk}/"):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(25) as few:
            client.get(url)
        watch(w.edu_wechat) if url.endswith("outlets/") else _items(w.site, 3, 30)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200


@pytest.mark.req("S1-3.3")
def test_bad_filters_and_ids_are_harmless(w, client):
    login(client, w.office)
    assert client.get("/monitoring/office/?status=xx&kind=%3Cscript%3E&outlet=abc&page=999").status_code == 200
    assert client.get("/monitoring/findings/999999/").status_code == 404
    assert client.get("/monitoring/outlets/999999/").status_code == 404
    response = client.get("/api/v1/monitoring/findings/999999")
    assert response.status_code == 404 and response.json()["code"]
