"""Faults (S0-3): the database going away mid-request loses nothing and answers a clear 503; readiness."""

import datetime as dt

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from lvzhi.accounts import auth_services
from lvzhi.accounts.models import User
from lvzhi.audit.models import AuditEvent
from lvzhi.testing import PASSWORD, make_body, make_unit, make_user

POSTGRES = connection.vendor == "postgresql"


def _kill_mid_transaction(monkeypatch):
    """After the login's user row is saved (inside its transaction), the database goes away before the audit row.

    On PostgreSQL the backend of the request's connection is terminated from another connection
    (`pg_terminate_backend`), exactly what a failover or a restarted server does; the next statement then fails.
    On SQLite the cursor raises the OperationalError a vanished database file or a full disk gives."""
    original = auth_services.record

    def record_after_outage(event, **kwargs):
        if event == "accounts.login.success":
            if POSTGRES:
                import psycopg

                pid = connection.connection.info.backend_pid
                params = connection.get_connection_params()
                with psycopg.connect(**params, autocommit=True) as other:
                    other.execute("SELECT pg_terminate_backend(%s)", [pid])
            else:
                raise OperationalError("disk I/O error")
        return original(event, **kwargs)

    monkeypatch.setattr(auth_services, "record", record_after_outage)


@pytest.fixture
def member(transactional_db):
    body = make_body()
    return make_user(make_unit(body, "委员"), roles=["member"], real_name="委员甲")


@pytest.mark.req("S0-3", "S2-34")
def test_api_request_whose_database_dies_mid_transaction_saves_nothing_and_answers_503(client, member, monkeypatch):
    _kill_mid_transaction(monkeypatch)
    events_before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/auth/token", {"phone": member.phone, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "30"
    monkeypatch.undo()
    member.refresh_from_db()
    assert member.last_login is None  # the user row written before the outage was rolled back with the rest
    assert not AuditEvent.objects.filter(event="accounts.login.success").exists()
    assert AuditEvent.objects.count() == events_before
    # the next request gets a fresh connection and works
    credentials = {"phone": member.phone, "password": PASSWORD}
    ok = client.post("/api/v1/auth/token", credentials, content_type="application/json")
    assert ok.status_code == 200
    assert User.objects.get(pk=member.pk).last_login is not None


@pytest.mark.req("S0-3", "S2-34")
def test_web_request_whose_database_dies_answers_a_chinese_503_page(client, member, monkeypatch):
    _kill_mid_transaction(monkeypatch)
    response = client.post("/accounts/login/", {"phone": member.phone, "password": PASSWORD})
    assert response.status_code == 503
    page = response.content.decode()
    assert "服务暂时不可用" in page
    assert "未保存" in page
    assert "Traceback" not in page and "pg_terminate" not in page and "disk I/O" not in page
    monkeypatch.undo()
    member.refresh_from_db()
    assert member.last_login is None
    assert "_auth_user_id" not in client.session


@pytest.mark.req("S0-3")
def test_an_integrity_error_is_not_dressed_up_as_an_outage():
    from django.db import IntegrityError

    from lvzhi.core.middleware import is_database_outage

    assert not is_database_outage(IntegrityError("duplicate key"))
    assert not is_database_outage(ValueError("x"))
    assert is_database_outage(OperationalError("server closed the connection unexpectedly"))


# --- readiness for the load balancer --------------------------------------------------------------------------


@pytest.mark.req("S0-3")
def test_readyz_answers_200_with_each_check_and_no_details(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"database": "ok", "cache": "ok", "queue": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert client.get("/healthz").content == b"ok"


@pytest.mark.req("S0-3")
def test_readyz_answers_503_when_the_database_is_unreachable(client, db, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "10.0.0.5", port 5432 failed: Connection refused')

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/readyz")
    monkeypatch.undo()
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "fail", "cache": "ok", "queue": "ok"}}
    assert b"10.0.0.5" not in response.content and b"refused" not in response.content
    assert client.get("/healthz").status_code == 200  # liveness does not depend on the database


@pytest.mark.req("S0-3")
def test_readyz_answers_503_when_the_cache_is_unreachable(client, db, settings):
    from django.core.cache import caches

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        response = client.get("/readyz")
    finally:
        caches["default"].close()
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "fail", "queue": "ok"}
    assert b"6379" not in response.content and b"127.0.0.1" not in response.content


@pytest.mark.req("S0-3")
def test_readyz_reports_a_stalled_or_unreachable_task_queue(client, db, settings, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from lvzhi.notify.tasks import deliver

    assert client.get("/readyz").json()["checks"]["queue"] == "ok"
    result = deliver.using(backend="default").enqueue(0) if hasattr(deliver, "using") else deliver.enqueue(0)
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - dt.timedelta(minutes=20))
    response = client.get("/readyz")
    assert response.status_code == 200  # a stopped worker is reported, not a reason to drop every app server
    assert response.json()["checks"]["queue"] == "stalled"

    def broken(*args, **kwargs):
        raise OperationalError("relation django_tasks_database_dbtaskresult does not exist")

    monkeypatch.setattr(DBTaskResult.objects, "ready", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["queue"] == "fail"
