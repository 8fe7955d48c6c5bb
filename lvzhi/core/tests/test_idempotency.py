"""Exactly-once form posts (the phone app's offline drafts): a retry with the same Idempotency-Key replays the first
answer and files nothing more; a refused or corrected form keeps no key; keys are per user and expire."""

import datetime as dt

import pytest
from django.utils import timezone

from lvzhi.core.idempotency import forget_old_keys
from lvzhi.core.models import IdempotentRequest
from lvzhi.opinions.models import Report
from lvzhi.opinions.tests.conftest import HOTLINE_TEXT, build_world
from lvzhi.testing import login

KEY = "3f1c9a2e-8b7d-4e0f-9a61-2d5c7b8e9f10"
REPORT = {"title": "东湖路红绿灯损坏", "content": HOTLINE_TEXT, "category": "sudden_problem", "do": "submit"}


@pytest.fixture
def w(db):
    return build_world()


def _post(client, data=REPORT, key=KEY):
    return client.post("/opinions/new/", data, HTTP_IDEMPOTENCY_KEY=key)


@pytest.mark.req("S0-16", "S0-4")
def test_a_draft_sent_twice_is_filed_once_and_the_retry_replays_the_first_answer(client, w):
    login(client, w.member)
    first = _post(client)
    assert first.status_code == 302 and "Idempotent-Replayed" not in first
    report = Report.objects.get()
    assert first["Location"] == f"/opinions/{report.pk}/"

    again = _post(client)
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Report.objects.count() == 1
    assert IdempotentRequest.objects.get().location == first["Location"]

    # without the key, or with another key, a post is a new report as always
    assert _post(client, key="0aa7c0de-2222-4333-8444-555566667777").status_code == 302
    assert Report.objects.count() == 2


@pytest.mark.req("S0-16")
def test_a_form_sent_back_with_errors_keeps_no_key_so_the_corrected_draft_can_be_sent(client, w):
    login(client, w.member)
    refused = _post(client, data=REPORT | {"content": ""})
    assert refused.status_code == 400
    assert not IdempotentRequest.objects.exists() and not Report.objects.exists()
    accepted = _post(client)
    assert accepted.status_code == 302 and Report.objects.count() == 1


@pytest.mark.req("S0-4")
def test_keys_belong_to_one_user(client, w):
    login(client, w.member)
    _post(client)
    client.logout()
    login(client, w.co)
    response = _post(client)
    assert response.status_code == 302 and "Idempotent-Replayed" not in response
    assert sorted(Report.objects.values_list("author__real_name", flat=True)) == sorted(["金文博", "魏静怡"])


@pytest.mark.req("S0-16")
def test_a_malformed_key_is_refused_and_nothing_is_filed(client, w):
    login(client, w.member)
    for bad in ("short", "x" * 65, "有中文的键值abcdefgh", "../../etc/passwd"):
        response = _post(client, key=bad)
        assert response.status_code == 400, bad
    api = client.post("/api/v1/opinions", {}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="bad key!")
    assert api.status_code == 400 and api.json()["code"] == "idempotency_key_invalid"
    assert not Report.objects.exists() and not IdempotentRequest.objects.exists()


@pytest.mark.req("S0-4")
def test_an_anonymous_post_is_not_remembered(client, w):
    response = _post(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not IdempotentRequest.objects.exists()


@pytest.mark.req("S0-16")
def test_old_keys_are_forgotten_by_the_tick(w):
    row = IdempotentRequest.objects.create(user=w.member, key=KEY, path="/opinions/new/", status=302, location="/")
    IdempotentRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    IdempotentRequest.objects.create(user=w.member, key="b" * 10, path="/opinions/new/", status=302, location="/")
    assert forget_old_keys() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["b" * 10]
