"""The hash chain, the append-only guard and `lvzhi audit verify` (S2-34: security audit and traceability)."""

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from lvzhi.audit.models import AuditEvent, AuditHead, AuditImmutable
from lvzhi.audit.services import GENESIS, chain_hash, record, verify_chain

from .conftest import drop_guard

pytestmark = pytest.mark.django_db


def _events(n, **kwargs):
    return [record(f"test.thing.step{i}", after={"i": i, "text": "中文"}, **kwargs) for i in range(n)]


def _verify():
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", "--chunk-size", "3", stdout=out)
    return out.getvalue()


@pytest.mark.req("S2-34")
def test_head_is_seeded_by_migration_and_events_chain():
    assert AuditEvent.objects.count() == 0
    head = AuditHead.objects.get(pk=1)  # seeded by migration 0002, before any event
    assert head.last_hash == GENESIS
    first, second = _events(2)
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash
    assert second.hash == chain_hash(first.hash, AuditEvent.objects.get(pk=second.pk))
    assert AuditHead.objects.get(pk=1).last_hash == second.hash


@pytest.mark.req("S2-34")
def test_record_rolls_back_with_the_business_change():
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.thing.create")
        raise RuntimeError("the business write failed")
    assert AuditEvent.objects.count() == 0
    assert AuditHead.objects.get(pk=1).last_hash == GENESIS
    event = record("test.thing.create")
    assert event.prev_hash == GENESIS


@pytest.mark.req("S2-34")
def test_application_refuses_change_and_delete():
    (event,) = _events(1)
    event.event = "test.thing.forged"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(event="x")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).event == "test.thing.step0"


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET event = 'forged'",
        "UPDATE audit_auditevent SET after = NULL",
        "DELETE FROM audit_auditevent",
    ],
)
def test_database_refuses_raw_update_and_delete(sql):
    _events(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 2
    assert set(AuditEvent.objects.values_list("event", flat=True)) == {"test.thing.step0", "test.thing.step1"}
    assert "OK: 2 audit events" in _verify()


@pytest.mark.req("S2-34")
def test_postgresql_refuses_truncate():
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    _events(1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.count() == 1


@pytest.mark.req("S2-34")
def test_verify_ok_counts_all_events():
    _events(10)
    assert _verify().strip() == "OK: 10 audit events, hash chain intact."


@pytest.mark.req("S2-34")
def test_verify_ok_on_empty_log():
    assert "OK: 0 audit events" in _verify()


@pytest.mark.req("S2-34")
def test_verify_names_a_tampered_event():
    events = _events(7)
    target = events[4]
    drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"i": 999}', target.pk])
    with pytest.raises(CommandError) as caught:
        _verify()
    message = str(caught.value)
    assert f"id={target.pk}" in message
    assert "event=test.thing.step4" in message
    assert "content does not match its hash" in message
    assert "4 events before it verified" in message
    result = verify_chain()
    assert not result.ok and result.broken.pk == target.pk


@pytest.mark.req("S2-34")
def test_verify_catches_a_deleted_event_by_prev_hash():
    events = _events(6)
    drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError) as caught:
        _verify()
    message = str(caught.value)
    assert f"id={events[3].pk}" in message  # the event after the gap no longer links
    assert "event=test.thing.step3" in message
    assert "prev_hash does not match" in message


@pytest.mark.req("S2-34")
def test_verify_catches_events_removed_from_the_end():
    events = _events(4)
    drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[-1].pk])
    with pytest.raises(CommandError, match="chain head does not match"):
        _verify()


@pytest.mark.req("S2-34")
def test_verify_catches_a_forged_event_with_a_recomputed_hash():
    """A forger who rewrites an event and recomputes its own hash still breaks the link to the next event."""
    events = _events(4)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.event = "test.thing.innocent"
    new_hash = chain_hash(forged.prev_hash, forged)
    drop_guard()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET event = %s, hash = %s WHERE id = %s", [forged.event, new_hash, forged.pk]
        )
    result = verify_chain()
    assert not result.ok
    assert result.broken.pk == events[2].pk
    assert "prev_hash" in result.reason


@pytest.mark.req("S2-34")
def test_verify_exit_status_is_nonzero_on_the_command_line():
    from django.core.management import ManagementUtility

    _events(2)
    drop_guard()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET event = 'forged'")
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(["lvzhi", "audit", "verify"]).execute()
    assert exited.value.code == 1


@pytest.mark.req("S2-34")
@pytest.mark.parametrize(
    ("given", "stored"),
    [("2001:0DB8:0000:0000::0001", "2001:db8::1"), ("::ffff:10.0.0.7", "10.0.0.7"), ("10.1.2.3", "10.1.2.3")],
)
def test_ip_addresses_are_normalised_so_the_chain_verifies(given, stored):
    event = record("test.thing.view", ip=given)
    assert AuditEvent.objects.get(pk=event.pk).ip == stored
    record("test.thing.view", ip="not an address")
    assert AuditEvent.objects.order_by("-id").first().ip is None
    assert verify_chain().ok


@pytest.mark.req("S2-34")
def test_long_values_are_cut_to_the_columns_and_still_verify(body):
    event = record("x" * 200, actor_label="名" * 200, obj=body, after={"big": "数" * 5000})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert len(stored.event) == 80 and len(stored.actor_label) == 80
    assert stored.after == {"big": "数" * 5000}
    assert verify_chain().ok


@pytest.mark.req("S2-34")
def test_retention_is_at_least_180_days_and_there_is_no_delete_path():
    assert settings.LVZHI_AUDIT_RETENTION_DAYS >= 180
    from django.urls import get_resolver

    names = [p.name for p in get_resolver().url_patterns if getattr(p, "name", None)]
    assert not [n for n in names if "audit" in n and "delete" in n]


@pytest.mark.req("S2-34")
@pytest.mark.django_db(transaction=True)
def test_flush_restores_the_guard_and_the_head():
    _events(2)
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    assert AuditHead.objects.get(pk=1).last_hash == GENESIS
    record("test.thing.after_flush")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET event = 'forged'")
    assert verify_chain().ok


@pytest.mark.req("S2-34")
def test_flush_is_refused_in_production(settings):
    settings.PRODUCTION = True
    _events(1)
    with pytest.raises(CommandError, match="refused in production"):
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 1


@pytest.mark.req("S2-34")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_linear_chain():
    """Two writers at once (PostgreSQL): the locked head serialises them; no fork, no lost link."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that serves several connections at once")
    import threading

    from django.db import connections

    barrier = threading.Barrier(4)
    errors = []

    def writer(n):
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    record(f"test.concurrent.w{n}", after={"i": i})
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 60
    assert len(set(AuditEvent.objects.values_list("prev_hash", flat=True))) == 60
    result = verify_chain()
    assert result.ok and result.count == 60
