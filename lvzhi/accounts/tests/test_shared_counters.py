"""Finding 4: the failed-login counter of unknown numbers lives where every app server sees it (the shared cache:
Redis or a database table), not in one process's memory — so several workers cannot be used to enumerate numbers."""

import json

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from lvzhi.core import cache as shared

pytestmark = pytest.mark.django_db


def _token(phone, password="Wrong@123x"):
    response = Client().post(
        "/api/v1/auth/token", data=json.dumps({"phone": phone, "password": password}), content_type="application/json"
    )
    return response.json()["code"]


@pytest.mark.req("S2-34", "S0-24")
def test_unknown_number_lockout_is_seen_by_another_worker(monkeypatch):
    phone = "13912345678"
    workers = [caches.create_connection("shared"), caches.create_connection("shared")]  # Redis or the table
    for attempt in range(settings.LVZHI_LOCKOUT_ATTEMPTS - 1):
        monkeypatch.setattr(shared, "store", lambda a=attempt: workers[a % 2])  # round-robin between workers
        assert _token(phone) == "invalid_credentials"
    if "locmem" in settings.CACHES["default"]["BACKEND"]:
        caches["default"].clear()  # and nothing is kept in process memory (with Redis, clear() would flush it all)
    third = caches.create_connection("shared")
    monkeypatch.setattr(shared, "store", lambda: third)  # a third worker
    assert _token(phone) == "locked"
    assert _token(phone) == "locked"


@pytest.mark.req("S2-34")
def test_the_shared_cache_is_not_process_memory():
    backend = settings.CACHES["shared"]["BACKEND"]
    assert "locmem" not in backend.lower() and "dummy" not in backend.lower()
