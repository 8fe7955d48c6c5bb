"""Database guards that make the audit table append-only below the application (等保2.0 security audit).

The model and its queryset already refuse `save()` of an existing row, `update()` and `delete()`. These triggers
refuse the same at the database, so that a raw `UPDATE`/`DELETE` (a bug, a shell, an injected statement) fails too:

* PostgreSQL: a row trigger BEFORE UPDATE OR DELETE and a statement trigger BEFORE TRUNCATE, both raising an
  exception. (Production should also run the application as a role that does not own the table, so that the
  triggers cannot be dropped by it.)
* SQLite: two triggers BEFORE UPDATE / BEFORE DELETE that `RAISE(ABORT, ...)`.

The functions are used by the migration that installs the guard and by the `flush` command (tests and first-run
resets empty the whole database; on a production system `flush` refuses to run).
"""

from .models import GENESIS, AuditEvent, AuditHead

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION lvzhi_audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER lvzhi_audit_no_change BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION lvzhi_audit_refuse_change()
    """,
    f"""
    CREATE TRIGGER lvzhi_audit_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION lvzhi_audit_refuse_change()
    """,
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS lvzhi_audit_no_change ON {TABLE}",
    f"DROP TRIGGER IF EXISTS lvzhi_audit_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS lvzhi_audit_refuse_change()",
]
_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS lvzhi_audit_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS lvzhi_audit_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """,
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS lvzhi_audit_no_update",
    "DROP TRIGGER IF EXISTS lvzhi_audit_no_delete",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return _POSTGRES_INSTALL if install else _POSTGRES_REMOVE
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    return []  # other databases: the application-level refusal still holds


def install_guard(connection) -> None:
    """Create the append-only triggers (idempotent)."""
    if connection.vendor == "postgresql":
        remove_guard(connection)
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=True):
            cursor.execute(sql)


def remove_guard(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, install=False):
            cursor.execute(sql)


def seed_head(connection=None) -> None:
    """Make sure the single chain-head row exists (it is also seeded by a data migration)."""
    if AuditHead.objects.filter(pk=1).exists():
        return
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    AuditHead.objects.create(pk=1, last_hash=last or GENESIS)
