"""Finding 2 (deployment): on PostgreSQL the app runs as a role that does not own the audit table — migrations
run as the owner. Such a role can append events but can neither change them nor disable the guard triggers."""

import pytest
from django.db import DatabaseError, connection, transaction

from lvzhi.audit.services import record

pytestmark = [pytest.mark.django_db]

ROLE = "lvzhi_app_limited_test"


@pytest.fixture
def limited_role():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no roles")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")  # rolled back with the test's transaction
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT SELECT, INSERT ON audit_auditevent TO {ROLE}")
        cursor.execute(f"GRANT SELECT, UPDATE ON audit_audithead TO {ROLE}")
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
    return ROLE


def _as_role(sql, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        cursor.execute(sql, params or [])


@pytest.mark.req("S2-34")
def test_the_app_role_cannot_disable_the_audit_triggers_or_change_events(limited_role):
    event = record("test.thing.create", after={"n": 1})
    for sql in (
        "ALTER TABLE audit_auditevent DISABLE TRIGGER lvzhi_audit_no_change",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "DROP TRIGGER lvzhi_audit_no_change ON audit_auditevent",
    ):
        with pytest.raises(DatabaseError, match="must be owner|permission denied"):
            _as_role(sql)
    with pytest.raises(DatabaseError, match="permission denied|append-only|cannot"):
        _as_role("UPDATE audit_auditevent SET after = '{}' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="permission denied|append-only|cannot"):
        _as_role("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    # …while appending works for it (the application's only need).
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {ROLE}")
        record("test.thing.second", after={"n": 2})
