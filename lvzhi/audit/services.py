"""The audit log's writes: `record()` appends an event inside the caller's transaction.

Retention and archiving (等保2.0; Cybersecurity Law art. 21: network logs kept at least six months):
events are kept for at least ``settings.LVZHI_AUDIT_RETENTION_DAYS`` days (never fewer than 180) and in
practice for ever: the application has no delete path at all (the model, its queryset and database triggers
refuse UPDATE and DELETE, see ``lvzhi.audit.db``). Archiving is done by *export*, not by purging: the audit
administrator exports a date range to .xlsx from /office/audit/ (itself an audited act), and the operator
takes a database backup (``pg_dump -t audit_auditevent`` or a copy of the SQLite file) that keeps the hash chain
verifiable with ``lvzhi audit verify``. Should storage ever force old events out, that is a documented,
out-of-band database operation by the database owner after an archive copy has been verified — not a feature
of the application.
"""

import datetime as dt
import ipaddress
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lvzhi.core import cache
from lvzhi.core.crypto import sm3_hex, sm3_hmac_hex

from .db import seed_head
from .models import GENESIS, AuditEvent, AuditHead

# The request's client IP, set by the account middleware, so services need not pass requests around.
current_ip: ContextVar[str | None] = ContextVar("lvzhi_audit_ip", default=None)


# Keys under which a business module might put free text; the value is kept only when it is a code (an ASCII
# identifier such as "idle" or "calendar:2026-10-01"), else replaced by its length (三员: the audit administrator
# sees no business content). Modules write references and codes in the first place; this is the safety net.
# The administration's own events (account freezes, role grants, incidents) keep their reasons: reviewing those
# actions is what the audit administrator is for.
ADMINISTRATION_EVENTS = ("accounts.", "audit.", "security.", "orgs.", "backoffice.")
FREE_TEXT_KEYS = frozenset(
    [
        "reason",
        "note",
        "comment",
        "title",
        "text",
        "content",
        "body",
        "question",
        "answer",
        "opinion",
        "keywords",
        "summary",
        "term",
        "description",
        "message",
        "decision_note",
    ]
)
_CODE = re.compile(r"[A-Za-z0-9_.:\-]{0,64}")


def _without_free_text(value):
    if isinstance(value, dict):
        clean = {}
        for key, item in value.items():
            if key in FREE_TEXT_KEYS and isinstance(item, str) and not _CODE.fullmatch(item):
                clean[f"{key}_length"] = len(item)
            else:
                clean[key] = _without_free_text(item)
        return clean
    if isinstance(value, list | tuple):
        return [_without_free_text(item) for item in value]
    return value


def _jsonable(value, event: str = ""):
    if value is None:
        return None
    value = json.loads(json.dumps(value, default=str, ensure_ascii=False))
    return value if event.startswith(ADMINISTRATION_EVENTS) else _without_free_text(value)


def _normalise_ip(value: str | None) -> str | None:
    """The textual form the database gives back (PostgreSQL `inet` rewrites IPv6), so the hash stays stable."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(str(value).strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


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


def audit_key() -> bytes:
    """The HMAC-SM3 key of the chain and its checkpoints (LVZHI_AUDIT_KEY: held outside the database)."""
    return ("lvzhi-audit:" + settings.LVZHI_AUDIT_KEY).encode("utf-8")


def chain_hash(prev_hash: str, event: AuditEvent, *, keyed: bool = True) -> str:
    """HMAC-SM3 over the previous hash and the event (plain SM3 only for events before the keyed boundary):
    without the key, a rewritten row cannot be given a matching hash, whatever the rights on the table."""
    if keyed:
        return sm3_hmac_hex(prev_hash + canonical(event), key=audit_key())
    return sm3_hex(prev_hash + canonical(event))


def _reference(obj) -> str:
    """How the audit row names its object: a reference (number or model#id), never business text such as a title.
    People are named (the audit log says who was frozen or given a role)."""
    if obj is None:
        return ""
    if obj._meta.label_lower == "accounts.user":
        return str(obj)[:200]
    reference = getattr(obj, "reference", None)
    if isinstance(reference, str) and 0 < len(reference) <= 40:
        return f"{obj._meta.label_lower}#{obj.pk} {reference}"
    return f"{obj._meta.label_lower}#{obj.pk}"


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().only("id", "last_hash").filter(pk=1).first()
    if head is None:
        # The head is seeded by migration 0002; it is only missing after a whole-database flush (tests).
        seed_head()
        head = AuditHead.objects.select_for_update().only("id", "last_hash").get(pk=1)
    return head


# Events that record only that someone read, viewed or exported something: they change nothing that is derived
# from business data, so they leave `cache.WRITES_KEY` alone (a member's first read of an article is audited, and
# would otherwise make every kept work list obsolete many times a minute at province scale).
LOOKED_ONLY = re.compile(r"\.(read|view|export)$")


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
    """Append `event` (a dotted name such as `accounts.user.freeze`) to the chain, in the current transaction.

    Locking the single head row serialises appends, so the chain stays linear under concurrent requests; the
    event commits or rolls back together with the business change it describes.
    """
    with transaction.atomic():
        head = _locked_head()
        actor_obj = actor if getattr(actor, "pk", None) else None
        row = AuditEvent(
            at=timezone.now(),
            event=str(event)[:80],
            actor=actor_obj,
            actor_label=(actor_label or (str(actor_obj) if actor_obj else ""))[:80],
            org_unit_id=getattr(org_unit, "pk", org_unit),
            object_type=obj._meta.label_lower[:60] if obj is not None else "",
            object_id=str(obj.pk)[:40] if obj is not None else "",
            object_repr=_reference(obj),
            before=_jsonable(before, str(event)),
            after=_jsonable(after, str(event)),
            ip=_normalise_ip(ip or current_ip.get()),
            prev_hash=head.last_hash,
        )
        row.hash = chain_hash(head.last_hash, row)
        row.save(force_insert=True)
        head.last_hash = row.hash
        head.save(update_fields=["last_hash"])
        if not LOOKED_ONLY.search(row.event):  # what is derived from the audited data is obsolete once this commits
            cache.bump(cache.WRITES_KEY)
        return row


def record_many(events: list[dict], *, actor=None) -> int:
    """Append many events of one actor at once (bulk onboarding): one head lock, the chain computed in order, one
    insert. Each dict holds `record`'s keyword arguments (`event`, `obj`, `org_unit`, `before`, `after`)."""
    if not events:
        return 0
    with transaction.atomic():
        head = _locked_head()
        actor_obj = actor if getattr(actor, "pk", None) else None
        label = (str(actor_obj) if actor_obj else "")[:80]
        ip = _normalise_ip(current_ip.get())
        last = head.last_hash
        rows = []
        for spec in events:
            obj = spec.get("obj")
            row = AuditEvent(
                at=timezone.now(),
                event=str(spec["event"])[:80],
                actor=actor_obj,
                actor_label=label,
                org_unit_id=getattr(spec.get("org_unit"), "pk", spec.get("org_unit")),
                object_type=obj._meta.label_lower[:60] if obj is not None else "",
                object_id=str(obj.pk)[:40] if obj is not None else "",
                object_repr=_reference(obj),
                before=_jsonable(spec.get("before"), str(spec["event"])),
                after=_jsonable(spec.get("after"), str(spec["event"])),
                ip=ip,
                prev_hash=last,
            )
            row.hash = last = chain_hash(last, row)
            rows.append(row)
        AuditEvent.objects.bulk_create(rows)
        head.last_hash = last
        head.save(update_fields=["last_hash"])
        if any(not LOOKED_ONLY.search(str(spec["event"])) for spec in events):
            cache.bump(cache.WRITES_KEY)
    return len(rows)


def log_view(*, actor, filters: dict | None = None, event: AuditEvent | None = None) -> AuditEvent:
    """The audit administrator read the log (a filtered list, or one event): that is audited too."""
    return record("audit.log.view", actor=actor, obj=event, after={"filters": filters or {}})


def log_export(*, actor, filters: dict, count: int) -> AuditEvent:
    """The audit administrator exported the filtered log to a spreadsheet."""
    return record("audit.log.export", actor=actor, after={"filters": filters, "count": count})


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    count: int
    broken: AuditEvent | None = None
    reason: str = ""


def verify_chain(*, chunk_size: int = 2000, checkpoints: list | None = None) -> VerifyResult:
    """Recompute the chain over all events in id order, streaming with constant memory.

    Catches a changed event (its keyed hash no longer matches its content), a deleted or inserted event (the next
    event's `prev_hash` no longer matches), events removed from the end (the head no longer matches), and — with
    the signed checkpoints written outside the database — a chain recomputed or cut back by whoever holds the table:
    the n-th event's hash must equal the head the checkpoint signed at count n.
    """
    # a cycle: audit.checkpoints imports this module (audit_key)
    from .checkpoints import read_checkpoints

    head_row = AuditHead.objects.filter(pk=1).first()
    keyed_from = head_row.keyed_from if head_row is not None else None
    if checkpoints is None:
        checkpoints = read_checkpoints()
    expected = {}
    for cp in checkpoints:
        if not cp.valid:
            return VerifyResult(False, 0, None, f"checkpoint line {cp.line} has a bad signature")
        if cp.keyed_from != keyed_from:
            return VerifyResult(False, 0, None, "the keyed-chain boundary differs from the signed checkpoints")
        expected[cp.count] = cp.head
    expected_prev = GENESIS
    count = 0
    last = None
    for row in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk_size):
        if row.prev_hash != expected_prev:
            return VerifyResult(False, count, row, "prev_hash does not match the previous event")
        keyed = keyed_from is None or row.pk >= keyed_from
        if chain_hash(row.prev_hash, row, keyed=keyed) != row.hash:
            return VerifyResult(False, count, row, "content does not match its hash")
        expected_prev = row.hash
        count += 1
        last = row
        if count in expected and expected[count] != row.hash:
            return VerifyResult(False, count, row, "the chain differs from a signed checkpoint")
    if expected and max(expected) > count:
        return VerifyResult(False, count, last, "fewer events than a signed checkpoint counted (events removed)")
    if head_row is not None and head_row.last_hash != expected_prev:
        return VerifyResult(False, count, last, "the chain head does not match the last event (events removed)")
    return VerifyResult(True, count)
