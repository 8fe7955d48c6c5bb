"""SMS and e-mail: sent after commit in a task, retried with back-off by `retry_due_deliveries`, logged."""

import datetime as dt
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from lvzhi.notify import delivery as delivery_module
from lvzhi.notify.backends import FileSmsBackend, HttpSmsBackend, PermanentSmsError, SmsError
from lvzhi.notify.delivery import MAX_ATTEMPTS, attempt_delivery, retry_due_deliveries
from lvzhi.notify.models import Delivery, Message
from lvzhi.notify.services import notify, send_email, send_sms

from .fakes import FlakyBackend

pytestmark = pytest.mark.django_db
FLAKY = "lvzhi.notify.tests.fakes.FlakyBackend"


def _sms_lines(settings):
    path = settings.LVZHI_SMS_FILE_DIR / "sms.log"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def sms_dir(settings, tmp_path):
    settings.LVZHI_SMS_FILE_DIR = tmp_path
    settings.LVZHI_SMS_BACKEND = "file"
    return tmp_path


# --- after commit -------------------------------------------------------------------------------------------------


@pytest.mark.req("S0-16", "S0-24")
def test_sms_and_email_go_after_commit(settings, sms_dir, member, django_capture_on_commit_callbacks):
    member.email = "zhang@example.org"
    member.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify([member], title="您的账号已冻结", body="请联系信息化办", sms=True, email=True)
    assert _sms_lines(settings) == [] and mail.outbox == []  # nothing inside the transaction
    assert Delivery.objects.filter(status=Delivery.Status.PENDING).count() == 2
    for callback in callbacks:
        callback()
    lines = _sms_lines(settings)
    assert [(line["phone"], line["text"]) for line in lines] == [("13700000001", "您的账号已冻结：请联系信息化办")]
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["zhang@example.org"], "您的账号已冻结", "请联系信息化办")
    ]
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.SENT}
    assert all(d.sent_at and d.attempts == 1 for d in Delivery.objects.all())
    assert Message.objects.filter(recipient=member).count() == 1


@pytest.mark.req("S0-24")
def test_rolled_back_transaction_sends_nothing(settings, sms_dir, member, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([member], title="不该发出", sms=True)
        send_sms(phone="13900000000", text="也不该发出")
        raise RuntimeError("the business change failed")
    assert callbacks == []
    assert _sms_lines(settings) == []
    assert not Delivery.objects.exists() and not Message.objects.exists()


@pytest.mark.req("S0-24")
@pytest.mark.django_db(transaction=True)
def test_real_commit_sends_and_real_rollback_does_not(settings, tmp_path):
    from lvzhi.testing import make_body, make_user

    settings.LVZHI_SMS_FILE_DIR = tmp_path
    settings.LVZHI_SMS_BACKEND = "file"
    user = make_user(make_body(), real_name="赵委员", phone="13711112222")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user], title="回滚", sms=True)
        raise RuntimeError
    assert _sms_lines(settings) == []
    with transaction.atomic():
        notify([user], title="提交", sms=True)
        assert _sms_lines(settings) == []
    assert [line["text"] for line in _sms_lines(settings)] == ["提交"]
    assert Delivery.objects.get().status == Delivery.Status.SENT


@pytest.mark.req("S0-16")
def test_inactive_users_and_users_without_phone_or_mail_get_inbox_only(sms_dir, body, member, other):
    from lvzhi.accounts.models import User

    User.objects.filter(pk=other.pk).update(is_active=False)
    other.refresh_from_db()
    notify([member, other, member, None], title="通知", sms=False, email=True)  # member has no e-mail
    assert Message.objects.count() == 2
    notify([other], title="通知", sms=True)
    assert not Delivery.objects.exists()


# --- retries ------------------------------------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_failing_backend_is_retried_with_backoff_then_succeeds(settings, member, django_capture_on_commit_callbacks):
    settings.LVZHI_SMS_BACKEND = FLAKY
    FlakyBackend.reset(failures=2)
    start = timezone.now()
    with freeze_time(start), django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(phone="13700000001", text="验证码 123456")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "gateway down" in delivery.last_error
    assert delivery.next_attempt_at == start + dt.timedelta(minutes=1)
    assert retry_due_deliveries(now=start + dt.timedelta(seconds=59)) == 0  # not due yet
    with freeze_time(start + dt.timedelta(minutes=1)):
        assert retry_due_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 2)
    assert delivery.next_attempt_at == start + dt.timedelta(minutes=1 + 5)
    with freeze_time(start + dt.timedelta(minutes=6)):
        assert retry_due_deliveries() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.SENT, 3, "")
    assert FlakyBackend.sent == [("13700000001", "验证码 123456")]
    assert retry_due_deliveries(now=start + dt.timedelta(days=1)) == 0


@pytest.mark.req("S2-34")
def test_failing_backend_is_marked_failed_after_the_last_attempt(settings, django_capture_on_commit_callbacks):
    settings.LVZHI_SMS_BACKEND = FLAKY
    FlakyBackend.reset(failures=100)
    moment = timezone.now()
    with freeze_time(moment), django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(phone="13700000001", text="x")
    waits = []
    while True:
        delivery.refresh_from_db()
        if delivery.status != Delivery.Status.PENDING:
            break
        waits.append(round((delivery.next_attempt_at - moment).total_seconds() / 60))
        moment = delivery.next_attempt_at
        with freeze_time(moment):
            retry_due_deliveries()
    assert waits == [1, 5, 15, 60, 240]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
        Delivery.Status.FAILED,
        MAX_ATTEMPTS,
        None,
    )
    assert FlakyBackend.calls == MAX_ATTEMPTS
    assert retry_due_deliveries(now=moment + dt.timedelta(days=30)) == 0


@pytest.mark.req("S2-34")
def test_permanent_refusal_fails_at_once(settings, django_capture_on_commit_callbacks):
    settings.LVZHI_SMS_BACKEND = "lvzhi.notify.tests.fakes.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(phone="13700000001", text="x")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 1)
    assert "invalid number" in delivery.last_error


@pytest.mark.req("S2-34")
def test_a_lost_task_is_picked_up_by_tick(settings, sms_dir, monkeypatch, django_capture_on_commit_callbacks):
    from lvzhi.notify import tasks

    class BrokenQueue:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("task queue unavailable")

    monkeypatch.setattr(tasks, "deliver", BrokenQueue())
    start = timezone.now()
    with freeze_time(start), django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(phone="13700000001", text="补发")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 0)
    assert retry_due_deliveries(now=start + dt.timedelta(minutes=1)) == 0
    assert retry_due_deliveries(now=start + dt.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert [line["text"] for line in _sms_lines(settings)] == ["补发"]


@pytest.mark.req("S2-34")
def test_one_delivery_is_sent_once(settings, sms_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(phone="13700000001", text="一次")
    assert attempt_delivery(delivery.pk) is None  # already sent
    assert retry_due_deliveries(now=timezone.now() + dt.timedelta(hours=1)) == 0
    assert attempt_delivery(999999) is None
    assert len(_sms_lines(settings)) == 1


@pytest.mark.req("S2-34")
def test_a_claimed_delivery_is_not_claimed_twice(settings, sms_dir, monkeypatch):
    """While one runner sends (the lease), another runner finds nothing due."""
    with transaction.atomic():
        delivery = Delivery.objects.create(channel=Delivery.Channel.SMS, to="13700000001", text="x")
    seen = []

    def send_and_race(d):
        seen.append(attempt_delivery(d.pk))  # a second runner during the send
        seen.append(retry_due_deliveries(now=timezone.now() + dt.timedelta(minutes=5)))

    monkeypatch.setattr(delivery_module, "_send", send_and_race)
    assert attempt_delivery(delivery.pk) == Delivery.Status.SENT
    assert seen == [None, 0]
    delivery.refresh_from_db()
    assert delivery.attempts == 1


@pytest.mark.req("S2-34")
def test_email_failure_is_retried(settings, monkeypatch, django_capture_on_commit_callbacks):
    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(delivery_module, "send_mail", smtp_down)
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_email(to="a@example.org", subject="主题", text="正文")
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert "connection refused" in delivery.last_error


# --- backends -----------------------------------------------------------------------------------------------------


@pytest.mark.req("S2-34")
def test_file_backend_writes_json_lines(settings, tmp_path):
    settings.LVZHI_SMS_FILE_DIR = tmp_path / "nested"
    backend = FileSmsBackend()
    backend.send("13700000001", "第一条")
    backend.send("13700000002", 'quote " and\nnewline')
    lines = (tmp_path / "nested" / "sms.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["text"] == "第一条"
    assert json.loads(lines[1]) | {"at": None} == {"at": None, "phone": "13700000002", "text": 'quote " and\nnewline'}


@pytest.mark.req("S2-34")
def test_console_backend_masks_the_number(settings, caplog):
    from lvzhi.notify.backends import ConsoleSmsBackend

    with caplog.at_level(logging.WARNING, logger="lvzhi.sms"):
        ConsoleSmsBackend().send("13712345678", "验证码 654321")
    assert "137****5678" in caplog.text and "13712345678" not in caplog.text


class Gateway:
    """A local SMS gateway in a thread: answers with `status` and `body`, optionally after `delay` seconds."""

    def __init__(self):
        self.status, self.body, self.delay, self.requests = 200, b'{"ok": true, "id": "m1"}', 0, []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                gateway.requests.append((dict(self.headers), json.loads(self.rfile.read(length))))
                if gateway.delay:
                    time.sleep(gateway.delay)
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(gateway.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    with Gateway() as gw:
        settings.LVZHI_SMS_BACKEND = "http"
        settings.LVZHI_SMS_HTTP_URL = gw.url
        settings.LVZHI_SMS_HTTP_TOKEN = "secret-token"
        settings.LVZHI_SMS_HTTP_SIGN = "【测试市政协】"
        settings.LVZHI_SMS_HTTP_TIMEOUT = 1
        yield gw


@pytest.mark.req("S2-34")
def test_http_gateway_success(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery = send_sms(phone="13700000001", text="您有新的待办")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    ((headers, payload),) = gateway.requests
    key = str(delivery.key)
    assert payload == {"phone": "13700000001", "text": "您有新的待办", "sign": "【测试市政协】", "id": key}
    assert headers["Idempotency-Key"] == str(delivery.key)
    assert headers["Authorization"] == "Bearer secret-token"
    assert headers["Content-Type"].startswith("application/json")


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    ("status", "body", "delay", "error"),
    [
        (500, b"{}", 0, "answered 500"),
        (503, b"", 0, "answered 503"),
        (429, b"", 0, "answered 429"),
        (200, b'{"ok": false, "error": "quota"}', 0, "quota"),
        (200, b"", 2, "unreachable"),  # timeout (LVZHI_SMS_HTTP_TIMEOUT = 1)
    ],
)
def test_http_gateway_temporary_failures_are_retried(gateway, status, body, delay, error, settings):
    gateway.status, gateway.body, gateway.delay = status, body, delay
    with pytest.raises(SmsError, match=error) as caught:
        HttpSmsBackend().send("13700000001", "x")
    assert not isinstance(caught.value, PermanentSmsError)
    with transaction.atomic():
        delivery = Delivery.objects.create(channel=Delivery.Channel.SMS, to="13700000001", text="x")
    assert attempt_delivery(delivery.pk) == Delivery.Status.PENDING
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.next_attempt_at is not None and error in delivery.last_error
    gateway.status, gateway.body, gateway.delay = 200, b"", 0
    assert retry_due_deliveries(now=timezone.now() + dt.timedelta(minutes=1, seconds=5)) == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


@pytest.mark.req("S2-34")
@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_http_gateway_refusal_is_final(gateway, status):
    gateway.status = status
    with transaction.atomic():
        delivery = Delivery.objects.create(channel=Delivery.Channel.SMS, to="13700000001", text="x")
    assert attempt_delivery(delivery.pk) == Delivery.Status.FAILED
    delivery.refresh_from_db()
    assert f"answered {status}" in delivery.last_error


@pytest.mark.req("S2-34")
def test_http_gateway_unreachable_and_unconfigured(settings):
    settings.LVZHI_SMS_HTTP_URL = "http://127.0.0.1:9/nothing"
    settings.LVZHI_SMS_HTTP_TIMEOUT = 1
    with pytest.raises(SmsError, match="unreachable"):
        HttpSmsBackend().send("13700000001", "x")
    settings.LVZHI_SMS_HTTP_URL = ""
    with pytest.raises(SmsError, match="not set"):
        HttpSmsBackend().send("13700000001", "x")
