"""Signed checkpoints of the audit chain, kept outside the database (等保2.0: audit records protected from change).

Every `LVZHI_AUDIT_CHECKPOINT_MINUTES` `lvzhi tick` appends one line — time, event count, head hash, keyed-chain
boundary and an HMAC-SM3 signature with LVZHI_AUDIT_KEY — to `LVZHI_AUDIT_CHECKPOINT_FILE` (append-only: put it on
another host, a WORM mount or `chattr +a`) and sends it to the `lvzhi.audit.checkpoint` logger (route it to syslog).
`lvzhi audit verify` checks every line's signature and that the chain still passes through each signed head.
"""

import datetime as dt
import json
import logging
import os
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lvzhi.core.crypto import constant_time_equal, sm3_hmac_hex

from .models import AuditEvent, AuditHead
from .services import audit_key

logger = logging.getLogger("lvzhi.audit.checkpoint")


@dataclass(frozen=True)
class Checkpoint:
    line: int
    at: str
    count: int
    head: str
    keyed_from: int | None
    valid: bool


def _sign(body: dict) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return sm3_hmac_hex("audit-checkpoint:" + text, key=audit_key())


def write_checkpoint(now=None) -> dict:
    """Append a signed checkpoint of the chain as it is now (appends are held meanwhile); returns it."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        count = AuditEvent.objects.count()
        body = {
            "at": (now or timezone.now()).isoformat(),
            "count": count,
            "head": head.last_hash if head is not None else "",
            "keyed_from": head.keyed_from if head is not None else None,
        }
    line = json.dumps({**body, "sig": _sign(body)}, sort_keys=True)
    path = settings.LVZHI_AUDIT_CHECKPOINT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    logger.info("audit checkpoint %s", line)
    return body


def read_checkpoints() -> list[Checkpoint]:
    path = settings.LVZHI_AUDIT_CHECKPOINT_FILE
    if not path.exists():
        return []
    result = []
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                data = json.loads(text)
                body = {k: data[k] for k in ("at", "count", "head", "keyed_from")}
                valid = constant_time_equal(str(data.get("sig", "")), _sign(body))
                result.append(
                    Checkpoint(number, body["at"], int(body["count"]), body["head"], body["keyed_from"], valid)
                )
            except (ValueError, KeyError, TypeError):
                result.append(Checkpoint(number, "", 0, "", None, False))
    return result


def checkpoint_if_due(now=None) -> bool:
    """The tick job: write a checkpoint when the last one is older than LVZHI_AUDIT_CHECKPOINT_MINUTES."""

    now = now or timezone.now()
    points = read_checkpoints()
    if points and points[-1].at:
        try:
            last = dt.datetime.fromisoformat(points[-1].at)
        except ValueError:
            last = None
        if last is not None and now - last < dt.timedelta(minutes=settings.LVZHI_AUDIT_CHECKPOINT_MINUTES):
            return False
    write_checkpoint(now)
    return True
