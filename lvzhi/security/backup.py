"""Encrypted, checksummed backups of the database and the uploaded files (S0-3, S2-34 disaster recovery).

One file holds everything:

    LVZHI-BACKUP 1\n
    <header: one line of JSON>\n          (format, time, database vendor and method, cipher, nonce, key fingerprint)
    <SM4-GCM ciphertext>                  (a tar.gz: manifest.json, database/…, media/…)
    <16-byte GCM tag>
    <SM3 of everything above, 64 hex digits>\n

The header is authenticated as GCM associated data; the SM3 trailer lets `restore` refuse a damaged or altered
file before it decrypts or touches anything; the GCM tag refuses a wrong key or a forged file (SM3 alone is not
keyed). The key (`LVZHI_BACKUP_KEY`, 32 hex digits = SM4-128) is kept apart from the database and the field key;
its fingerprint (HMAC-SM3) in the header tells a wrong key from a damaged file.

The database part:
* PostgreSQL: `pg_dump --format=custom` (a consistent snapshot in one transaction) and `pg_restore
  --single-transaction --exit-on-error` into an empty database. Chosen over a Django-level dump because it keeps
  everything that is not a model row: the audit table's append-only triggers and their function, sequences at
  their values, the full-text (GIN) indexes, owners and grants — a restored system is the same system, and the
  audit chain verifies unchanged. It needs the PostgreSQL client tools (same major version or newer) on the host.
* SQLite: SQLite's online backup API (a consistent copy, triggers and the FTS5 tables included), restored the same
  way into an empty file.
"""

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.db import connections

from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex

MAGIC = b"LVZHI-BACKUP 1\n"
FORMAT = 1
TAG_LENGTH = 16
TRAILER_LENGTH = 65  # 64 hex digits and a newline
CHUNK = 1024 * 1024
MAX_HEADER = 4096


class BackupError(Exception):
    """The backup or restore was refused; nothing was changed. `code` is stable, the message says why."""

    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Target:
    """Where a restore goes: a database (a Django DATABASES entry) and a media directory."""

    database: dict
    media_root: Path


# --- keys ---------------------------------------------------------------------------------------------------------


def backup_key(raw: str | None = None) -> bytes:
    """The SM4 key from `raw` or LVZHI_BACKUP_KEY; in production the development key is refused."""
    value = (raw if raw is not None else getattr(settings, "LVZHI_BACKUP_KEY", "")) or ""
    if getattr(settings, "PRODUCTION", False) and (
        not value or value in (settings.DEV_BACKUP_KEY, settings.DEV_FIELD_KEY, settings.LVZHI_FIELD_KEY)
    ):
        raise BackupError(
            "Production needs its own LVZHI_BACKUP_KEY (32 hexadecimal digits, not the field key).", code="no_key"
        )
    try:
        key = bytes.fromhex(value)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise BackupError("LVZHI_BACKUP_KEY must be 32 hexadecimal digits (a 128-bit SM4 key).", code="bad_key")
    return key


def key_fingerprint(key: bytes) -> str:
    return sm3_hmac_hex(b"lvzhi-backup-key-fingerprint", key=key)[:16]


def _sm3():
    return hashes.Hash(hashes.SM3())


def _file_sm3(path: Path) -> str:
    digest = _sm3()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.finalize().hex()


# --- the database part --------------------------------------------------------------------------------------------


def _pg_env(database: dict) -> dict:
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return env


def _pg_args(database: dict) -> list[str]:
    args = []
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    return args


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (the PostgreSQL client tools are needed).", code="no_pg_tools")
    return path


def _dump_database(workdir: Path) -> tuple[str, Path]:
    connection = connections["default"]
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        out = workdir / "database.pgdump"
        command = [_tool("pg_dump"), "--format=custom", "--file", str(out), *_pg_args(database), database["NAME"]]
        result = subprocess.run(command, env=_pg_env(database), capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}", code="dump_failed")
        return "pg_dump", out
    if connection.vendor == "sqlite":
        out = workdir / "database.sqlite3"
        if connection.in_atomic_block:  # SQLite would wait for ever on its own open write transaction
            raise BackupError("A backup cannot run inside a database transaction.", code="in_transaction")
        connection.ensure_connection()
        target = sqlite3.connect(out)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return "sqlite_backup", out
    raise BackupError(f"Backups of {connection.vendor} databases are not supported.", code="unsupported_database")


def _database_is_empty(database: dict) -> bool:
    engine = database["ENGINE"]
    if engine.endswith("sqlite3"):
        path = Path(database["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return True
        with sqlite3.connect(path) as db:
            return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0
    if engine.endswith("postgresql"):
        params = {"dbname": database["NAME"], "user": database.get("USER") or None}
        params |= {k: database[K] for k, K in (("host", "HOST"), ("port", "PORT"), ("password", "PASSWORD"))}
        params = {k: v for k, v in params.items() if v}
        with psycopg.connect(**params) as db:
            query = "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            return db.execute(query).fetchone()[0] == 0
    raise BackupError(f"Restoring into {engine} is not supported.", code="unsupported_database")


def _restore_database(method: str, dump: Path, database: dict) -> None:
    engine = database["ENGINE"]
    if method == "pg_dump":
        if not engine.endswith("postgresql"):
            raise BackupError("This backup is of a PostgreSQL database; restore it into PostgreSQL.", code="vendor")
        command = [
            _tool("pg_restore"),
            "--single-transaction",
            "--exit-on-error",
            *_pg_args(database),
            "--dbname",
            database["NAME"],
            str(dump),
        ]
        result = subprocess.run(command, env=_pg_env(database), capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}", code="restore_failed")
        return
    if method == "sqlite_backup":
        if not engine.endswith("sqlite3"):
            raise BackupError("This backup is of an SQLite database; restore it into SQLite.", code="vendor")
        path = Path(database["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(dump)
        target = sqlite3.connect(path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return
    raise BackupError(f"Unknown database method {method!r}.", code="bad_format")


# --- backup -------------------------------------------------------------------------------------------------------


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.exists():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(output: Path, *, key: bytes, media_root: Path | None = None, now=None) -> dict:
    """Write one encrypted backup file to `output` (refused if it exists). Returns its summary (for the audit)."""
    output = Path(output)
    if output.exists():
        raise BackupError(f"{output} exists already; backups are never overwritten.", code="exists")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    now = now or dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory(prefix="lvzhi-backup-") as tmp:
        workdir = Path(tmp)
        method, dump = _dump_database(workdir)
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"method": method, "name": f"database/{dump.name}", "sm3": _file_sm3(dump)},
            "media": [{"name": f"media/{p.relative_to(media_root).as_posix()}", "sm3": _file_sm3(p)} for p in files],
        }
        archive = workdir / "archive.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=f"database/{dump.name}")
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}", recursive=False)
        nonce = os.urandom(12)
        header = {
            "format": FORMAT,
            "app": "lvzhi",
            "created_at": now.isoformat(),
            "method": method,
            "cipher": "SM4-GCM",
            "checksum": "SM3",
            "nonce": nonce.hex(),
            "key": key_fingerprint(key),
        }
        head = MAGIC + json.dumps(header, sort_keys=True).encode("ascii") + b"\n"
        encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(head)
        digest = _sm3()
        partial = output.with_name(output.name + ".partial")
        try:
            with open(partial, "xb") as out, open(archive, "rb") as src:
                os.chmod(partial, 0o600)

                def write(chunk: bytes) -> None:
                    digest.update(chunk)
                    out.write(chunk)

                write(head)
                while chunk := src.read(CHUNK):
                    write(encryptor.update(chunk))
                write(encryptor.finalize())
                write(encryptor.tag)
                checksum = digest.finalize().hex()
                out.write(checksum.encode("ascii") + b"\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
    return {
        "file": output.name,
        "size": output.stat().st_size,
        "sm3": checksum,
        "method": method,
        "media_files": len(files),
    }


# --- restore ------------------------------------------------------------------------------------------------------


def read_header(path: Path) -> tuple[dict, bytes]:
    with open(path, "rb") as fh:
        magic = fh.read(len(MAGIC))
        line = fh.readline(MAX_HEADER)
    if magic != MAGIC or not line.endswith(b"\n"):
        raise BackupError("This is not a Lvzhi backup file.", code="bad_format")
    try:
        header = json.loads(line)
    except ValueError:
        raise BackupError("The backup's header is damaged.", code="bad_format")
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("Unknown backup format.", code="bad_format")
    return header, magic + line


def verify_checksum(path: Path) -> str:
    """Recompute the SM3 over the file (without its trailer) and compare; returns it. Touches nothing."""
    size = path.stat().st_size
    body = size - TRAILER_LENGTH
    if body <= len(MAGIC) + TAG_LENGTH:
        raise BackupError("The backup file is truncated.", code="checksum")
    digest = _sm3()
    with open(path, "rb") as fh:
        remaining = body
        while remaining:
            chunk = fh.read(min(CHUNK, remaining))
            if not chunk:
                break
            digest.update(chunk)
            remaining -= len(chunk)
        stored = fh.read().strip().decode("ascii", "replace")
    actual = digest.finalize().hex()
    if not constant_time_equal(actual, stored):
        raise BackupError("The backup's SM3 checksum does not match: the file is damaged or altered.", code="checksum")
    return actual


def _decrypt(path: Path, header: dict, head: bytes, key: bytes, out_path: Path) -> None:
    size = path.stat().st_size
    end = size - TRAILER_LENGTH - TAG_LENGTH
    with open(path, "rb") as fh:
        fh.seek(end)
        tag = fh.read(TAG_LENGTH)
        fh.seek(len(head))
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(bytes.fromhex(header["nonce"]), tag)).decryptor()
        decryptor.authenticate_additional_data(head)
        remaining = end - len(head)
        with open(out_path, "wb") as out:  # unauthenticated until finalize(): used only after it succeeds
            while remaining:
                chunk = fh.read(min(CHUNK, remaining))
                remaining -= len(chunk)
                out.write(decryptor.update(chunk))
            try:
                out.write(decryptor.finalize())
            except InvalidTag:
                raise BackupError("The backup cannot be decrypted with this key.", code="wrong_key")


def inspect_backup(path: Path, *, key: bytes) -> dict:
    """Verify checksum and key without restoring (`lvzhi restore --check`)."""
    path = Path(path)
    header, _head = read_header(path)
    checksum = verify_checksum(path)
    if header.get("key") != key_fingerprint(key):
        raise BackupError("This backup was made with a different key.", code="wrong_key")
    return {"created_at": header.get("created_at"), "method": header.get("method"), "sm3": checksum}


def restore_backup(path: Path, *, key: bytes, target: Target) -> dict:
    """Restore `path` into an empty database and an empty media directory. Every check comes before any change:
    format, SM3 checksum, key, emptiness of the targets, decryption (GCM tag), the manifest's per-file SM3."""
    path = Path(path)
    summary = inspect_backup(path, key=key)
    header, head = read_header(path)
    if not _database_is_empty(target.database):
        raise BackupError(
            "The target database is not empty; restore only into a new, empty database.", code="db_not_empty"
        )
    media_root = Path(target.media_root)
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError("The target media directory is not empty.", code="media_not_empty")
    with tempfile.TemporaryDirectory(prefix="lvzhi-restore-") as tmp:
        workdir = Path(tmp)
        archive = workdir / "archive.tar.gz"
        _decrypt(path, header, head, key, archive)
        extracted = workdir / "x"
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(extracted, filter="data")  # no absolute paths, no "..", no links out, no devices
        manifest = json.loads((extracted / "manifest.json").read_text(encoding="utf-8"))
        entries = [manifest["database"], *manifest["media"]]
        for entry in entries:
            if _file_sm3(extracted / entry["name"]) != entry["sm3"]:
                raise BackupError(f"{entry['name']} does not match its checksum.", code="checksum")
        _restore_database(manifest["database"]["method"], extracted / manifest["database"]["name"], target.database)
        media_root.mkdir(parents=True, exist_ok=True)
        for entry in manifest["media"]:
            relative = Path(entry["name"]).relative_to("media")
            destination = media_root / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(extracted / entry["name"], destination)
    return summary | {"media_files": len(manifest["media"])}
