"""`lvzhi demo` for remote consultation: idempotent, and every role can do its part — the information office's
head approves the waiting application, its staff see the queue, the department's staffer hosts, the member sees his
own meeting and the one he is invited to with the working-day countdown."""

from io import StringIO

import pytest
from django.core.management import call_command

from lvzhi.consultation.demo import APPROVED, MEMBER, PENDING
from lvzhi.consultation.models import Invitation, Meeting
from lvzhi.web.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.req("S0-5.3"), pytest.mark.django_db]


def _login(client, phone):
    r = client.post("/accounts/login/", {"phone": phone, "password": DEMO_PASSWORD})
    assert r.status_code == 302


def test_demo_meetings_and_roles(client):
    out = StringIO()
    call_command("demo", stdout=out)
    assert "13900000901" in out.getvalue() and "13900000902" in out.getvalue()
    before = (Meeting.objects.count(), Invitation.objects.count())
    call_command("demo", stdout=StringIO())
    assert (Meeting.objects.count(), Invitation.objects.count()) == before  # a second run adds nothing
    assert Meeting.objects.filter(title__in=[APPROVED, PENDING, MEMBER]).count() == 3  # (learning adds its lectures)
    approved, pending, own = (Meeting.objects.get(title=t) for t in (APPROVED, PENDING, MEMBER))
    assert approved.status == "scheduled" and pending.status == "applied" and own.status == "scheduled"

    _login(client, "13900000001")  # the information office keeps the queue
    assert PENDING in client.get("/consultation/office/").content.decode()
    client.logout()
    _login(client, "13900000901")  # its head approves
    page = client.get(f"/consultation/{pending.pk}/").content.decode()
    assert 'data-step="approve"' in page
    client.post(f"/consultation/{pending.pk}/step/approve/", {"text": ""})
    assert Meeting.objects.get(pk=pending.pk).status == "scheduled"
    client.logout()
    _login(client, "13900000902")  # the department's staffer hosts
    page = client.get(f"/consultation/{approved.pk}/").content.decode()
    assert 'data-testid="invite-form"' in page and 'data-step="end"' in page
    client.logout()
    _login(client, "13800000001")  # the member
    home = client.get("/").content.decode()
    assert "/consultation/" in home
    mine = client.get("/consultation/").content.decode()
    assert APPROVED in mine and MEMBER in mine and "还有" in mine
    assert 'data-step="cancel"' in client.get(f"/consultation/{own.pk}/").content.decode()
