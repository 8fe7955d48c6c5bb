"""Backups (S0-3, S2-34): `lvzhi backup` → `lvzhi restore` round trip on this database (SQLite or PostgreSQL):
every table and every uploaded file identical afterwards, the audit triggers still in force; a damaged, forged or
wrongly keyed file and a non-empty target refused before anything is touched."""

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lvzhi.accounts import services as account_services
from lvzhi.audit.models import AuditEvent
from lvzhi.security.backup import MAGIC, TRAILER_LENGTH
from lvzhi.testing import make_body, make_unit, make_user

POSTGRES = connection.vendor == "postgresql"
OTHER_KEY = "0123456789abcdef0123456789abcdef"


# --- a target database of the same kind, empty ----------------------------------------------------------------


class SqliteTarget:
    def __init__(self, tmp_path):
        self.path = tmp_path / "restored.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def tables(self):
        if not self.path.exists():
            return []
        with sqlite3.connect(self.path) as db:
            return [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]

    def rows(self, table):
        # the converters Django registered (timestamps, decimals…) apply to the restored file as to the source
        with sqlite3.connect(self.path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES) as db:
            return db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()  # noqa: S608

    def audit_update_refused(self):
        with sqlite3.connect(self.path) as db:
            try:
                db.execute("UPDATE audit_auditevent SET event = 'x'")
            except sqlite3.DatabaseError as exc:
                return "append-only" in str(exc)
        return False

    def drop(self):
        self.path.unlink(missing_ok=True)


class PostgresTarget:
    def __init__(self):
        import psycopg

        self.psycopg = psycopg
        source = connection.settings_dict
        self.name = f"{source['NAME']}_restore"[:63]
        self.params = {"host": source.get("HOST") or None, "port": source.get("PORT") or None}
        self.params |= {"user": source.get("USER") or None, "password": source.get("PASSWORD") or None}
        self.params = {k: v for k, v in self.params.items() if v}
        self.url = "postgres://{user}@{host}:{port}/{name}".format(
            user=source.get("USER") or "postgres",
            host=source.get("HOST") or "127.0.0.1",
            port=source.get("PORT") or 5432,
            name=self.name,
        )
        self.drop()
        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as db:
            db.execute(f'CREATE DATABASE "{self.name}"')

    def _connect(self):
        return self.psycopg.connect(dbname=self.name, autocommit=True, **self.params)

    def tables(self):
        with self._connect() as db:
            q = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            return [r[0] for r in db.execute(q).fetchall()]

    def rows(self, table):
        with self._connect() as db:
            db.execute("SET TIME ZONE 'UTC'")
            return [tuple(r) for r in db.execute(ROW_TEXT_SQL.format(table=table)).fetchall()]

    def audit_update_refused(self):
        with self._connect() as db:
            try:
                db.execute("UPDATE audit_auditevent SET event = 'x'")
            except self.psycopg.errors.InsufficientPrivilege as exc:
                return "append-only" in str(exc)
        return False

    def drop(self):
        with self.psycopg.connect(dbname="postgres", autocommit=True, **self.params) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def target(tmp_path, transactional_db):
    t = PostgresTarget() if POSTGRES else SqliteTarget(tmp_path)
    yield t
    t.drop()


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    (root / "content" / "2026" / "11").mkdir(parents=True)
    (root / "opinions").mkdir()
    (root / "content" / "2026" / "11" / "照片.jpg").write_bytes(os.urandom(70_000))
    (root / "opinions" / "附件.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(5000))
    (root / "empty.txt").write_bytes(b"")
    settings.MEDIA_ROOT = root
    return root


def _files(root: Path) -> dict:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def _source_tables():
    return sorted(t for t in connection.introspection.table_names() if not t.startswith("sqlite_"))


# PostgreSQL: each row as its text form (the same whatever the client library makes of JSON and time zones)
ROW_TEXT_SQL = 'SELECT t::text FROM "{table}" t ORDER BY t::text'


def _source_rows(table):
    sql = ROW_TEXT_SQL.format(table=table) if POSTGRES else f'SELECT * FROM "{table}" ORDER BY 1'  # noqa: S608
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute(sql)
        return [tuple(r) for r in cursor.fetchall()]


def _data():
    body = make_body("备份市政协")
    office = make_unit(body, "信息化办", function="info_office")
    users = [
        make_user(office, roles=["info_office"], real_name=f"备份{i}", id_card="110101199003071234") for i in range(3)
    ]
    account_services.freeze_user(actor=users[0], user=users[1], reason="backup test")
    return users


@pytest.mark.req("S0-3", "S2-34")
def test_backup_and_restore_round_trip_keeps_every_row_every_file_and_the_audit_guard(target, media, tmp_path):
    users = _data()
    backup = tmp_path / "b.lvzb"
    call_command("backup", output=str(backup))
    raw = backup.read_bytes()
    assert raw.startswith(MAGIC)
    assert "备份".encode() not in raw and users[0].phone.encode() not in raw  # encrypted, not just packed
    assert b"110101199003071234" not in raw

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(backup), database_url=target.url, media_root=str(restored_media))

    tables = _source_tables()
    assert "audit_auditevent" in tables and "accounts_user" in tables
    assert set(tables) <= set(target.tables())
    # the audit row of the backup itself was written after the dump: compare what the dump saw
    backup_event = AuditEvent.objects.get(event="security.backup.create")
    for table in tables:
        rows = _source_rows(table)
        if table == "audit_auditevent":
            prefix = f"({backup_event.pk},"
            rows = [r for r in rows if (r[0] != backup_event.pk if not POSTGRES else not r[0].startswith(prefix))]
        if table == "audit_audithead":
            continue  # its hash moved on with that row
        assert [tuple(r) for r in target.rows(table)] == rows, table
    assert _files(restored_media) == _files(media)
    assert target.audit_update_refused()  # the append-only triggers came back with the data


@pytest.mark.req("S0-3", "S2-34")
def test_damaged_forged_or_wrongly_keyed_backups_and_non_empty_targets_are_refused_untouched(
    target, media, tmp_path, settings
):
    _data()
    backup = tmp_path / "b.lvzb"
    call_command("backup", output=str(backup))
    restored_media = tmp_path / "restored-media"

    def restore(path):
        call_command("restore", str(path), database_url=target.url, media_root=str(restored_media))

    def untouched():
        return target.tables() == [] and not restored_media.exists()

    raw = bytearray(backup.read_bytes())
    # one bit flipped in the middle of the ciphertext
    damaged = tmp_path / "damaged.lvzb"
    flipped = bytearray(raw)
    flipped[len(raw) // 2] ^= 0x01
    damaged.write_bytes(bytes(flipped))
    with pytest.raises(CommandError, match=r"SM3 checksum does not match.*\[checksum\]"):
        restore(damaged)
    assert untouched()

    # truncated
    short = tmp_path / "short.lvzb"
    short.write_bytes(bytes(raw[: len(raw) // 3]))
    with pytest.raises(CommandError, match=r"\[checksum\]"):
        restore(short)
    assert untouched()

    # altered and the (unkeyed) SM3 recomputed: the SM4-GCM tag still refuses it
    from lvzhi.core.crypto import sm3_hex

    forged = tmp_path / "forged.lvzb"
    body = bytearray(raw[:-TRAILER_LENGTH])
    body[len(body) // 2] ^= 0x01
    forged.write_bytes(bytes(body) + sm3_hex(bytes(body)).encode() + b"\n")
    with pytest.raises(CommandError, match=r"\[wrong_key\]"):
        restore(forged)
    assert untouched()

    # the wrong key
    settings.LVZHI_BACKUP_KEY = OTHER_KEY
    with pytest.raises(CommandError, match=r"different key.*\[wrong_key\]"):
        restore(backup)
    assert untouched()
    settings.LVZHI_BACKUP_KEY = settings.DEV_BACKUP_KEY

    # not a backup at all
    junk = tmp_path / "junk.lvzb"
    junk.write_bytes(b"PGDMP" + os.urandom(200))
    with pytest.raises(CommandError, match=r"\[bad_format\]"):
        restore(junk)

    # `--check` verifies without restoring
    call_command("restore", str(backup), check=True)
    assert untouched()

    # a non-empty target is refused: restore once, then again
    restore(backup)
    assert target.tables()
    count = len(target.rows("accounts_user"))
    with pytest.raises(CommandError, match=r"\[db_not_empty\]"):
        restore(backup)
    assert len(target.rows("accounts_user")) == count


@pytest.mark.req("S2-34")
def test_production_refuses_to_back_up_without_its_own_key(transactional_db, settings, tmp_path):
    settings.PRODUCTION = True
    for value in (settings.DEV_BACKUP_KEY, settings.LVZHI_FIELD_KEY, "", "abc"):
        settings.LVZHI_BACKUP_KEY = value
        with pytest.raises(CommandError, match=r"\[(no_key|bad_key)\]"):
            call_command("backup", output=str(tmp_path / "p.lvzb"))
    assert not (tmp_path / "p.lvzb").exists()
    settings.LVZHI_BACKUP_KEY = OTHER_KEY
    call_command("backup", output=str(tmp_path / "p.lvzb"))
    assert (tmp_path / "p.lvzb").stat().st_size > 0
    with pytest.raises(CommandError, match=r"\[exists\]"):
        call_command("backup", output=str(tmp_path / "p.lvzb"))
