"""Notifications: inbox messages now, SMS and e-mail after commit in a task (never inside the request).

Reading messages (`mark_read`, `mark_all_read`) is not audited: it happens on every click, in high volume, and
changes no state of record (only the recipient's own unread marker). Sending is logged — every SMS and e-mail is
a `Delivery` row with its attempts, last error and time sent.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from lvzhi.core import cache
from lvzhi.core.validation import safe_text

from . import tasks
from .models import Delivery, Message
from .selectors import access_message, unread_key

# A queued delivery whose task never ran (worker down, lost job) is picked up by `lvzhi tick` after this long.
TASK_GRACE = dt.timedelta(minutes=2)


@transaction.atomic
def notify(recipients, *, title, body="", link="", event="", obj=None, sms=False, email=False) -> list[Message]:
    """Put a message in each recipient's inbox; optionally also text or mail them once the transaction commits.

    `recipients` is any iterable of users (duplicates and None are skipped). `link` is a local path such as
    `/opinions/12/`. SMS and e-mail go only to active users with a phone / e-mail; they are queued as `Delivery`
    rows and sent by a task after the surrounding transaction commits (a rolled-back change sends nothing).
    """
    recipients = [r for r in dict.fromkeys(recipients) if r is not None]
    title = safe_text(title, max_length=200)  # the validation kit: no control/bidi characters, one line
    body = safe_text(body, max_length=20_000, multiline=True)
    messages = Message.objects.bulk_create(
        [
            Message(
                recipient=user,
                title=title,
                body=body,
                link=str(link)[:300],
                event=str(event)[:80],
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
            )
            for user in recipients
        ]
    )
    for user in recipients:
        _unread_changed(user)
        if not getattr(user, "is_active", True):
            continue
        if sms and user.phone:
            send_sms(phone=user.phone, text=f"{title}{'：' + str(body) if body else ''}")
        if email and user.email:
            send_email(to=user.email, subject=str(title), text=str(body))
    return messages


@transaction.atomic
def send_sms(*, phone: str, text: str) -> Delivery:
    """Queue one SMS; it is sent after commit, retried with back-off (see `delivery.py`)."""
    delivery = Delivery.objects.create(
        channel=Delivery.Channel.SMS,
        to=phone,
        text=safe_text(text, max_length=2000),  # one line: SMS gateways take no control characters
        next_attempt_at=timezone.now() + TASK_GRACE,
    )
    _enqueue_after_commit(delivery)
    return delivery


@transaction.atomic
def send_email(*, to: str, subject: str, text: str) -> Delivery:
    """Queue one e-mail; it is sent after commit, retried with back-off (see `delivery.py`)."""
    delivery = Delivery.objects.create(
        channel=Delivery.Channel.EMAIL,
        to=to,
        subject=safe_text(subject, max_length=200),  # one line: a line break in a subject is a header injection
        text=safe_text(text, max_length=100_000, multiline=True),
        next_attempt_at=timezone.now() + TASK_GRACE,
    )
    _enqueue_after_commit(delivery)
    return delivery


def _enqueue_after_commit(delivery: Delivery) -> None:
    delivery_id = delivery.pk
    transaction.on_commit(lambda: tasks.deliver.enqueue(delivery_id), robust=True)


@transaction.atomic
def mark_read(*, user, message_id: int) -> Message:
    """Mark one of the user's messages read (idempotent: the first reading time is kept). Not audited."""
    message = access_message(user, message_id)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
        _unread_changed(user)
    return message


def acted_on(*, user, obj, link: str = "") -> int:
    """`user` took a step on `obj` (called by `workflow.transition`): their unread messages about it — naming it,
    or pointing to its page `link` — are read now, so the badge no longer counts what they have already dealt
    with. Returns how many. Not audited (see the module docstring)."""
    if not getattr(user, "pk", None) or obj is None or getattr(obj, "pk", None) is None:
        return 0
    about = Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    if link:
        about |= Q(link=link)
    done = Message.objects.filter(about, recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if done:
        _unread_changed(user)
    return done


@transaction.atomic
def mark_all_read(*, user) -> int:
    """Mark all the user's unread messages read; returns how many. Not audited (see the module docstring)."""
    _unread_changed(user)
    return Message.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def _unread_changed(user) -> None:
    """The user's unread count changes when this transaction commits: the cached count is dropped then."""
    user.__dict__.pop("_lvzhi_unread", None)
    cache.bump(unread_key(user.pk))
