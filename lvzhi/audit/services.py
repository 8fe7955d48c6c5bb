"""`record()` writes an audit event inside the caller's transaction."""

import datetime as dt
import json
from contextvars import ContextVar

from django.db import transaction
from django.utils import timezone

from lvzhi.core.crypto import sm3_hex

from .models import AuditEvent, AuditHead

GENESIS = "0" * 64

# The request's client IP, set by the account middleware, so services need not pass requests around.
current_ip: ContextVar[str | None] = ContextVar("lvzhi_audit_ip", default=None)


def _jsonable(value):
    return json.loads(json.dumps(value, default=str, ensure_ascii=False)) if value is not None else None


def canonical(event: AuditEvent) -> str:
    """The content an event's hash covers, as one deterministic string."""
    at = event.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "at": at,
        "event": event.event,
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "org_unit": event.org_unit_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "ip": event.ip,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return sm3_hex(prev_hash + canonical(event))


def record(
    event: str,
    *,
    actor=None,
    obj=None,
    org_unit=None,
    before=None,
    after=None,
    ip: str | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Append `event` (a dotted name such as `accounts.user.freeze`) to the chain, in the current transaction."""
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, last_hash=GENESIS)
            head = AuditHead.objects.select_for_update().get(pk=1)
        actor_obj = actor if getattr(actor, "pk", None) else None
        row = AuditEvent(
            at=timezone.now(),
            event=event,
            actor=actor_obj,
            actor_label=actor_label or (str(actor_obj) if actor_obj else ""),
            org_unit_id=getattr(org_unit, "pk", org_unit),
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:200] if obj is not None else "",
            before=_jsonable(before),
            after=_jsonable(after),
            ip=ip or current_ip.get(),
            prev_hash=head.last_hash,
        )
        row.hash = chain_hash(head.last_hash, row)
        row.save()
        AuditHead.objects.filter(pk=1).update(last_hash=row.hash)
        return row
