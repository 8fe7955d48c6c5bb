"""Finding 2: the audit chain is keyed (HMAC-SM3, key outside the database) and signed checkpoints are written
outside the database: rewriting rows and recomputing the chain with the plain SM3 function is caught."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lvzhi.audit.checkpoints import checkpoint_if_due, read_checkpoints, write_checkpoint
from lvzhi.audit.models import AuditEvent, AuditHead
from lvzhi.audit.services import GENESIS, canonical, chain_hash, record, verify_chain
from lvzhi.core.crypto import sm3_hex

from .conftest import drop_guard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_checkpoints(settings, tmp_path):
    settings.LVZHI_AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.log"


def _events(n):
    return [record(f"test.thing.step{i}", after={"i": i}) for i in range(n)]


def _rewrite_with_plain_sm3(change_id, *, move_boundary=None):
    """What an attacker with the table owner's rights does: disable the trigger, edit a row, recompute every hash
    with the plain SM3 function the code used to use, and update the head."""
    drop_guard()
    prev = GENESIS
    with connection.cursor() as cursor:
        if change_id is not None:
            cursor.execute("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"i": 999}', change_id])
        for row in AuditEvent.objects.order_by("id"):
            new = sm3_hex(prev + canonical(row))
            cursor.execute("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, new, row.pk])
            prev = new
        cursor.execute("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [prev])
        if move_boundary is not None:
            cursor.execute("UPDATE audit_audithead SET keyed_from = %s WHERE id = 1", [move_boundary])


@pytest.mark.req("S2-34")
def test_new_events_are_chained_with_hmac_sm3_not_plain_sm3():
    (event,) = _events(1)
    assert event.hash == chain_hash(event.prev_hash, event, keyed=True)
    assert event.hash != sm3_hex(event.prev_hash + canonical(event))
    assert verify_chain().ok


@pytest.mark.req("S2-34")
def test_rewriting_rows_and_recomputing_with_plain_sm3_is_caught():
    events = _events(5)
    _rewrite_with_plain_sm3(events[2].pk)
    result = verify_chain(checkpoints=[])
    assert not result.ok and result.reason == "content does not match its hash"
    with pytest.raises(CommandError, match="content does not match its hash"):
        call_command("audit", "verify")


@pytest.mark.req("S2-34")
def test_moving_the_keyed_boundary_is_caught_by_the_signed_checkpoints():
    events = _events(4)
    write_checkpoint()
    assert read_checkpoints()[-1].count == AuditEvent.objects.count() and read_checkpoints()[-1].valid
    _rewrite_with_plain_sm3(events[1].pk, move_boundary=10**12)  # "everything is old, plain SM3"
    assert verify_chain(checkpoints=[]).ok  # without the checkpoints the forgery would pass…
    result = verify_chain()  # …the signed checkpoint outside the database catches it
    assert not result.ok and "boundary" in result.reason


@pytest.mark.req("S2-34")
def test_a_chain_cut_back_or_a_forged_checkpoint_is_caught(settings):
    _events(3)
    write_checkpoint()
    drop_guard()
    last = AuditEvent.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
        cursor.execute("UPDATE audit_audithead SET last_hash = %s WHERE id = 1", [last.prev_hash])
    result = verify_chain()
    assert not result.ok and "fewer events" in result.reason
    path = settings.LVZHI_AUDIT_CHECKPOINT_FILE
    path.write_text(path.read_text().replace('"count": ', '"count": 1'))
    assert "bad signature" in verify_chain().reason


@pytest.mark.req("S2-34")
def test_the_tick_writes_a_checkpoint_every_n_minutes(settings):
    import datetime as dt

    from django.utils import timezone

    settings.LVZHI_AUDIT_CHECKPOINT_MINUTES = 10
    now = timezone.now()
    assert checkpoint_if_due(now) is True
    assert checkpoint_if_due(now + dt.timedelta(minutes=5)) is False
    assert checkpoint_if_due(now + dt.timedelta(minutes=11)) is True
    assert len(read_checkpoints()) == 2 and all(cp.valid for cp in read_checkpoints())
    assert AuditHead.objects.get(pk=1).keyed_from is not None
    assert verify_chain().ok
