"""Faults of the task worker and the SMS gateway (S0-3, S2-34): a worker killed mid-send re-sends once, with the
same idempotency key; a failing gateway is retried on the published schedule and then given up."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.notify.delivery import BACKOFF_MINUTES, LEASE, MAX_ATTEMPTS, attempt_delivery, retry_due_deliveries
from lvzhi.notify.models import Delivery

from .test_delivery import Gateway

pytestmark = pytest.mark.django_db


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing after this point runs (not an Exception: no handler sees it)."""


class DedupGateway(Gateway):
    """A gateway that honours the contract: a repeated `id` is answered 2xx and not sent again."""

    def handset_messages(self):
        seen, out = set(), []
        for _headers, payload in self.requests:
            if payload.get("id") not in seen:
                seen.add(payload.get("id"))
                out.append(payload["text"])
        return out


@pytest.fixture
def dedup_gateway(settings):
    with DedupGateway() as gw:
        settings.LVZHI_SMS_BACKEND = "http"
        settings.LVZHI_SMS_HTTP_URL = gw.url
        settings.LVZHI_SMS_HTTP_TOKEN = "t"
        settings.LVZHI_SMS_HTTP_SIGN = "【测试】"
        settings.LVZHI_SMS_HTTP_TIMEOUT = 2
        yield gw


def _pending(text="您有一件待办") -> Delivery:
    with transaction.atomic():
        return Delivery.objects.create(channel=Delivery.Channel.SMS, to="13700000001", text=text)


def _kill_after_the_gateway_accepts(monkeypatch):
    """The gateway has answered 200; the worker dies before the outcome is saved."""
    original_save = Delivery.save
    state = {"killed": False}

    def save(self, *args, **kwargs):
        if not state["killed"] and "sent_at" in (kwargs.get("update_fields") or []):
            state["killed"] = True
            raise WorkerKilled()
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Delivery, "save", save)
    return state


@pytest.mark.req("S0-3", "S2-34")
def test_worker_killed_after_the_gateway_accepted_resends_once_with_the_same_key(dedup_gateway, monkeypatch, caplog):
    delivery = _pending()
    start = timezone.now()
    state = _kill_after_the_gateway_accepts(monkeypatch)
    with freeze_time(start), pytest.raises(WorkerKilled):
        attempt_delivery(delivery.pk)
    assert state["killed"]
    delivery.refresh_from_db()
    # the database still says "pending, attempt 1 under way": the outcome was never saved
    assert (delivery.status, delivery.attempts, delivery.sending_since) == (Delivery.Status.PENDING, 1, start)
    assert len(dedup_gateway.requests) == 1

    # while the lease runs nobody sends it again
    assert retry_due_deliveries(now=start + LEASE - dt.timedelta(seconds=1)) == 0
    assert len(dedup_gateway.requests) == 1

    # after the lease `lvzhi tick` sends it again, once, with the same key
    with caplog.at_level("WARNING", logger="lvzhi.notify"):
        assert retry_due_deliveries(now=start + LEASE) == 1
    assert "no recorded outcome" in caplog.text
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.sending_since) == (Delivery.Status.SENT, 2, None)
    keys = [payload["id"] for _headers, payload in dedup_gateway.requests]
    assert keys == [str(delivery.key), str(delivery.key)]
    assert [headers["Idempotency-Key"] for headers, _payload in dedup_gateway.requests] == keys
    assert dedup_gateway.handset_messages() == ["您有一件待办"]  # the person gets one message

    # and never a third time
    assert retry_due_deliveries(now=start + dt.timedelta(days=2)) == 0
    assert attempt_delivery(delivery.pk) is None
    assert len(dedup_gateway.requests) == 2


@pytest.mark.req("S2-34")
def test_each_delivery_has_its_own_key(dedup_gateway):
    first, second = _pending("一"), _pending("二")
    assert first.key != second.key
    attempt_delivery(first.pk)
    attempt_delivery(second.pk)
    assert dedup_gateway.handset_messages() == ["一", "二"]


@pytest.mark.req("S2-34")
def test_failing_gateway_is_retried_on_the_schedule_and_given_up_after_the_last_attempt(dedup_gateway):
    """A gateway answering 503 every time: attempts at 0, +1, +5, +15, +60, +240 minutes; never earlier, never a
    seventh; the delivery ends failed with the gateway's answer as the reason."""
    dedup_gateway.status, dedup_gateway.body = 503, b""
    delivery = _pending()
    start = timezone.now()
    with freeze_time(start):
        assert attempt_delivery(delivery.pk) == Delivery.Status.PENDING
    moment = start
    for attempt, wait in enumerate(BACKOFF_MINUTES, start=2):
        due = moment + dt.timedelta(minutes=wait)
        assert retry_due_deliveries(now=due - dt.timedelta(seconds=1)) == 0  # not a second early
        with freeze_time(due):
            assert retry_due_deliveries() == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        assert len(dedup_gateway.requests) == attempt
        moment = due
    assert delivery.attempts == MAX_ATTEMPTS
    assert (delivery.status, delivery.next_attempt_at, delivery.sending_since) == (Delivery.Status.FAILED, None, None)
    assert "answered 503" in delivery.last_error
    assert retry_due_deliveries(now=moment + dt.timedelta(days=30)) == 0
    assert len(dedup_gateway.requests) == MAX_ATTEMPTS
    offsets = [0, 1, 6, 21, 81, 321]  # minutes after the first attempt
    assert [sum(BACKOFF_MINUTES[:i]) for i in range(MAX_ATTEMPTS)] == offsets


@pytest.mark.req("S2-34")
def test_gateway_recovering_mid_schedule_sends_once(dedup_gateway):
    dedup_gateway.status, dedup_gateway.body = 502, b""
    delivery = _pending()
    start = timezone.now()
    with freeze_time(start):
        attempt_delivery(delivery.pk)
    dedup_gateway.status, dedup_gateway.body = 200, b'{"ok": true}'
    with freeze_time(start + dt.timedelta(minutes=1)):
        assert retry_due_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.SENT, 2, "")
    assert retry_due_deliveries(now=start + dt.timedelta(days=1)) == 0
    assert dedup_gateway.handset_messages() == ["您有一件待办"]


@pytest.mark.req("S2-34")
def test_operator_backend_without_keys_still_works(settings):
    settings.LVZHI_SMS_BACKEND = "lvzhi.notify.tests.fakes.FlakyBackend"
    from .fakes import FlakyBackend

    FlakyBackend.reset(failures=0)
    delivery = _pending("旧接口")
    assert attempt_delivery(delivery.pk) == Delivery.Status.SENT
    assert FlakyBackend.sent == [("13700000001", "旧接口")]
