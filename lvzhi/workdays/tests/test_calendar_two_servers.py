"""The calendar's version lives in the shared cache (Redis, or a database table without it), not in a process's own
memory: an administrator's change on one app server is used by every other server at its next request.

Two "servers" in one test process: each has its own in-memory copy of the overrides (`calendar._Cache`) and its
own per-process Django cache (a separate locmem); they share only the database — as two hosts without Redis do.
"""

import contextlib
import datetime as dt

import pytest
from django.core.signals import request_started
from django.test import override_settings

from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitKind
from lvzhi.testing import make_body, make_unit, make_user
from lvzhi.workdays import calendar, services

DAY = dt.date(2031, 6, 10)  # a Tuesday no package marks


class Server:
    def __init__(self, name):
        self.memory = calendar._Cache()
        self.name = name

    @contextlib.contextmanager
    def request(self, settings):
        """One request on this server: its own process memory and its own process-local cache."""
        local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"process-{self.name}"}
        saved = calendar._cache
        calendar._cache = self.memory
        try:
            with override_settings(CACHES={**settings.CACHES, "default": local}):
                request_started.send(sender=None)
                yield
        finally:
            calendar._cache = saved


@pytest.mark.req("S0-16.1")
@pytest.mark.django_db(transaction=True)
def test_a_calendar_change_on_one_server_is_used_by_the_other_at_once(settings):
    assert "locmem" not in settings.CACHES["shared"]["BACKEND"].lower()  # the shared cache is not process memory
    body = make_body()
    office = make_unit(body, "办公室", kind=UnitKind.OFFICE)
    sysadmin = make_user(office, roles=[(Role.SYSADMIN, body, True)])
    a, b = Server("a"), Server("b")
    for server in (a, b):
        with server.request(settings):
            assert calendar.is_workday(DAY)  # both have read (and keep) the year

    with a.request(settings):
        services.set_override(actor=sysadmin, day=DAY, is_workday=False, note="调休")
        assert not calendar.is_workday(DAY)
    with b.request(settings):
        assert not calendar.is_workday(DAY), "server B still used its own stale copy of the calendar"
        assert calendar.day_info(DAY).source == calendar.SOURCE_OVERRIDE

    with b.request(settings):
        services.set_override(actor=sysadmin, day=DAY, is_workday=True, note="")
    with a.request(settings):
        assert calendar.is_workday(DAY)
