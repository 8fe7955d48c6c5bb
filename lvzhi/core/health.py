"""Readiness of one app server for the load balancer (S0-3): can it reach the database, the cache, the task queue?

`/healthz` is liveness (the process answers; no dependency is touched). `/readyz` is readiness: the load balancer
sends traffic only to servers answering 200 and takes one out of the pool while it answers 503. The answer names
each check and its state (`ok`, `fail`; the queue also `stalled`) and nothing else: no host, error text or version.

A stalled queue (ready tasks older than `QUEUE_STALL_MINUTES`: the worker is not running) is reported but does not
fail readiness: the worker is shared by every app server, so taking them all out of the pool would turn a late SMS
into a full outage. Monitoring alerts on it instead.
"""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("lvzhi")
QUEUE_STALL_MINUTES = 15
OK, FAIL, STALLED = "ok", "fail", "stalled"


def check_database() -> str:
    try:
        connection = connections["default"]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            row = cursor.fetchone()
        return OK if row and row[0] == 1 else FAIL
    except Exception as exc:  # noqa: BLE001  (any failure means "not ready")
        logger.error("readiness: database check failed: %s", type(exc).__name__)
        return FAIL


def check_cache() -> str:
    key = "lvzhi:readyz:" + secrets.token_hex(8)
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, 10)
        seen = cache.get(key)
        cache.delete(key)
        return OK if seen == value else FAIL
    except Exception as exc:  # noqa: BLE001
        logger.error("readiness: cache check failed: %s", type(exc).__name__)
        return FAIL


def check_queue() -> str:
    backend = settings.TASKS["default"]["BACKEND"]
    if not backend.startswith("django_tasks_db."):
        return OK  # the immediate/dummy backends of development and tests have nothing to reach
    try:
        oldest = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except Exception as exc:  # noqa: BLE001
        logger.error("readiness: task queue check failed: %s", type(exc).__name__)
        return FAIL
    if oldest is not None and timezone.now() - oldest > dt.timedelta(minutes=QUEUE_STALL_MINUTES):
        return STALLED
    return OK


def readiness() -> tuple[bool, dict]:
    checks = {"database": check_database(), "cache": check_cache(), "queue": check_queue()}
    ready = checks["database"] == OK and checks["cache"] == OK and checks["queue"] != FAIL
    return ready, checks
