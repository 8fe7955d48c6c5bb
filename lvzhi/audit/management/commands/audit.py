"""`lvzhi audit verify`: recompute the SM3 hash chain of the audit log and report the first broken event."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lvzhi.audit.services import verify_chain
from lvzhi.security.models import Incident
from lvzhi.security.services import raise_incident


class Command(BaseCommand):
    help = "Audit-log tools. `verify` recomputes the SM3 hash chain over all events (exit status 1 if broken)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        verify = sub.add_parser("verify", help="recompute the hash chain over all events, in id order")
        verify.add_argument("--chunk-size", type=int, default=2000, help="rows fetched per round trip")

    def handle(self, *args, **options):
        if options["action"] == "verify":
            return self.verify(chunk_size=max(1, options["chunk_size"]))
        raise CommandError(f"unknown action {options['action']!r}")

    def verify(self, *, chunk_size):
        result = verify_chain(chunk_size=chunk_size)
        if result.ok:
            self.stdout.write(f"OK: {result.count} audit events, hash chain intact.")
            return
        _incident(result)
        row = result.broken
        if row is None:
            raise CommandError(f"BROKEN after {result.count} events: {result.reason}.")
        at = timezone.localtime(row.at).isoformat()
        raise CommandError(
            f"BROKEN at event id={row.pk} time={at} event={row.event}: {result.reason} "
            f"({result.count} events before it verified)."
        )


def _incident(result) -> None:
    """A broken chain is a critical security incident for every security administrator (S2-34)."""

    row = result.broken
    with transaction.atomic():
        raise_incident(
            kind=Incident.Kind.AUDIT_VERIFY,
            severity=Incident.Severity.CRITICAL,
            subject=("audit.auditevent", row.pk) if row is not None else None,
            detail={"event_id": getattr(row, "pk", None), "verified": result.count},
        )
