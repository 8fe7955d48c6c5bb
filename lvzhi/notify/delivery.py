"""Sending one delivery through its backend, with retries and back-off."""

import datetime as dt
import logging

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .backends import get_sms_backend
from .models import Delivery

logger = logging.getLogger("lvzhi.notify")
MAX_ATTEMPTS = 6
BACKOFF_MINUTES = [1, 5, 15, 60, 240]


def attempt_delivery(delivery_id: int) -> None:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status != Delivery.Status.PENDING:
            return
        delivery.attempts += 1
        try:
            if delivery.channel == Delivery.Channel.SMS:
                get_sms_backend().send(delivery.to, delivery.text)
            else:
                send_mail(delivery.subject, delivery.text, None, [delivery.to])
        except Exception as exc:  # noqa: BLE001  (any backend failure is retried, then recorded)
            logger.warning("delivery %s failed: %s", delivery.pk, exc)
            delivery.last_error = str(exc)[:500]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = Delivery.Status.FAILED
                delivery.next_attempt_at = None
            else:
                wait = BACKOFF_MINUTES[min(delivery.attempts - 1, len(BACKOFF_MINUTES) - 1)]
                delivery.next_attempt_at = timezone.now() + dt.timedelta(minutes=wait)
        else:
            delivery.status = Delivery.Status.SENT
            delivery.sent_at = timezone.now()
            delivery.next_attempt_at = None
        delivery.save(update_fields=["attempts", "status", "last_error", "next_attempt_at", "sent_at"])


def retry_due_deliveries(now=None) -> int:
    """Called by `lvzhi tick`: re-attempt pending deliveries whose back-off has passed."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now).values_list("pk", flat=True)
    )
    for delivery_id in ids:
        attempt_delivery(delivery_id)
    return len(ids)
