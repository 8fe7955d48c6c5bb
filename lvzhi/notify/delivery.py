"""Sending one delivery through its backend, with retries and back-off.

A delivery is *claimed* in a short transaction (attempt counted, a lease set), sent outside any transaction (an
SMS gateway may take seconds; no row or database lock is held meanwhile), and its outcome recorded in a second
short transaction. Two runners (the task and `lvzhi tick`) cannot both claim the same attempt: the claim is one
conditional UPDATE. A runner that dies while sending leaves the lease, after which `tick` tries again.

At-least-once, with a key for the gateway to make it once (the trade-off, honestly): a worker killed after the
gateway accepted a message and before the outcome was saved cannot know whether the message went. Losing a
verification code or a deadline reminder is worse than a duplicate, so the delivery is sent again once the lease
has passed — once: the re-attempt is itself claimed, and its outcome ends the delivery. Every attempt carries the
delivery's `key` (HTTP gateway: the `id` field and the `Idempotency-Key` header), so a gateway that drops repeats of
a key (the contract in `backends.py` asks for it) delivers exactly one message; a gateway that ignores the key may
deliver a duplicate in that rare window. The interrupted attempt is logged (`sending_since` still set at the claim).
"""

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .backends import PermanentSmsError, get_sms_backend
from .models import Delivery

logger = logging.getLogger("lvzhi.notify")
MAX_ATTEMPTS = 6
BACKOFF_MINUTES = [1, 5, 15, 60, 240]  # after attempts 1…5; the 6th failure is final
LEASE = dt.timedelta(minutes=10)  # longer than any backend timeout
RETRY_BATCH = 200


def _claim(delivery_id: int, now) -> Delivery | None:
    """Count an attempt and take a lease, if the delivery is due (first attempt, or its back-off has passed)."""
    with transaction.atomic():
        interrupted = Delivery.objects.filter(
            pk=delivery_id, status=Delivery.Status.PENDING, sending_since__isnull=False
        ).exists()
        claimed = (
            Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .filter(Q(attempts=0) | Q(next_attempt_at__lte=now))
            .update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE, sending_since=now)
        )
        if not claimed:
            return None
        delivery = Delivery.objects.get(pk=delivery_id)
    if interrupted:
        logger.warning(
            "delivery %s: attempt %s had no recorded outcome (worker stopped while sending); sending again with "
            "the same key %s",
            delivery.pk,
            delivery.attempts - 1,
            delivery.key,
        )
    return delivery


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.SMS:
        backend = get_sms_backend()
        if getattr(backend, "accepts_key", False):
            backend.send(delivery.to, delivery.text, key=str(delivery.key))
        else:  # an operator's own backend with the plain (phone, text) interface
            backend.send(delivery.to, delivery.text)
    else:
        send_mail(delivery.subject, delivery.text, None, [delivery.to])


def attempt_delivery(delivery_id: int, *, now=None) -> str | None:
    """Try to send one delivery now; returns its new status, or None if it was not due (or not pending)."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    try:
        _send(delivery)
    except Exception as exc:  # noqa: BLE001  (any backend failure is retried, then recorded)
        logger.warning("delivery %s (%s) attempt %s failed: %s", delivery.pk, delivery.channel, delivery.attempts, exc)
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:500]
        if delivery.attempts >= MAX_ATTEMPTS or isinstance(exc, PermanentSmsError):
            delivery.status = Delivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            wait = BACKOFF_MINUTES[min(delivery.attempts - 1, len(BACKOFF_MINUTES) - 1)]
            delivery.next_attempt_at = timezone.now() + dt.timedelta(minutes=wait)
    else:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.last_error = ""
    delivery.sending_since = None
    with transaction.atomic():
        delivery.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at", "sending_since"])
    return delivery.status


def retry_due_deliveries(now=None) -> int:
    """Called by `lvzhi tick` every minute: re-attempt pending deliveries whose back-off (or lease) has passed.

    Returns how many were attempted (at most RETRY_BATCH per call, oldest due first)."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:RETRY_BATCH]
    )
    attempted = 0
    for delivery_id in ids:
        if attempt_delivery(delivery_id, now=now) is not None:
            attempted += 1
    return attempted
