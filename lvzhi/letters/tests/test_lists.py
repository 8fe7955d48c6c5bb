"""Every list page and endpoint of the public messages takes a bounded number of queries, whatever the number of
rows; the API answers errors as `{"code", "message"}`."""

import pytest
from django.test import Client

from lvzhi.letters import services
from lvzhi.testing import login

from .conftest import sms_code, write


def _many(w, n, start=0):
    for i in range(start, start + n):
        phone = f"137000{i:05d}"
        letter = services.write_letter(
            kind="enquiry",
            title=f"公租房问题{i}",
            text="公租房申请条件？",
            phone=phone,
            code=sms_code(phone, ip=f"q{i}"),
            ip=f"w{i}",
            outlet=w.outlet,
        )
        services.answer_letter(actor=w.host_staff, letter=letter, reply="见答复。", public_reply="条件见公告。")
        services.review_publication(actor=w.gov_staff, letter=letter, publish=True)


@pytest.mark.req("S2-30", "S1-4.1")
def test_queue_and_knowledge_base_queries_are_bounded(w, django_assert_max_num_queries):
    _many(w, 2)
    staff = Client()
    login(staff, w.host_staff)
    public = Client()
    for url, client in (
        ("/letters/", staff),
        ("/letters/answers/", public),
        ("/letters/answers/?q=公租房", public),
        ("/letters/sites/", public),
        ("/api/v1/letters/queue", staff),
        ("/api/v1/letters/answers", public),
    ):
        client.get(url)
    bounds = {}
    for url, client in (
        ("/letters/", staff),
        ("/letters/answers/", public),
        ("/letters/answers/?q=公租房", public),
        ("/letters/sites/", public),
        ("/api/v1/letters/queue", staff),
        ("/api/v1/letters/answers", public),
    ):
        with django_assert_max_num_queries(25) as ctx:
            assert client.get(url).status_code == 200
        bounds[url] = len(ctx.captured_queries)
    _many(w, 6, start=10)
    for url, client in (
        ("/letters/", staff),
        ("/letters/answers/", public),
        ("/letters/answers/?q=公租房", public),
        ("/letters/sites/", public),
        ("/api/v1/letters/queue", staff),
        ("/api/v1/letters/answers", public),
    ):
        with django_assert_max_num_queries(bounds[url]):
            assert client.get(url).status_code == 200


@pytest.mark.req("S2-30")
def test_the_api_writes_follows_and_refuses_with_stable_codes(w):
    c = Client()
    assert c.post("/api/v1/letters/code", {"phone": "13700007777"}, content_type="application/json").status_code == 200
    r = c.post(
        "/api/v1/letters",
        {
            "kind": "enquiry",
            "title": "问",
            "text": "内容",
            "phone": "13700007777",
            "code": "000000",
            "deputy": w.page.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"] == "code_wrong"
    letter = write(w)
    r = c.get(f"/api/v1/letters/lookup/{letter.lookup_code}")
    assert r.status_code == 200 and r.json()["status"] == "received" and "phone" not in r.json()
    assert c.get("/api/v1/letters/lookup/XXXXXXXX").status_code == 404
    deputy = Client()
    login(deputy, w.deputy)
    r = deputy.post(
        f"/api/v1/letters/{letter.pk}/steps/pass_on", {"passed_as": "suggestion"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "passed_on"
    other = Client()
    login(other, w.other_staff)
    assert other.get(f"/api/v1/letters/{letter.pk}").status_code == 404
