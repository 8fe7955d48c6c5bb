"""Notifications: inbox messages now, SMS and e-mail after commit in a task (never inside the request)."""

from django.db import transaction

from .models import Delivery, Message


def notify(recipients, *, title, body="", link="", event="", obj=None, sms=False, email=False) -> list[Message]:
    """Put a message in each recipient's inbox; optionally also text or mail them once the transaction commits."""
    recipients = [r for r in dict.fromkeys(recipients) if r is not None]
    messages = Message.objects.bulk_create(
        [
            Message(
                recipient=user,
                title=str(title)[:200],
                body=str(body),
                link=link,
                event=event,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
            )
            for user in recipients
        ]
    )
    for user in recipients:
        if sms and user.phone:
            send_sms(phone=user.phone, text=f"{title}{'：' + str(body) if body else ''}")
        if email and user.email:
            send_email(to=user.email, subject=str(title), text=str(body))
    return messages


def send_sms(*, phone: str, text: str) -> Delivery:
    delivery = Delivery.objects.create(channel=Delivery.Channel.SMS, to=phone, text=text)
    _enqueue_after_commit(delivery)
    return delivery


def send_email(*, to: str, subject: str, text: str) -> Delivery:
    delivery = Delivery.objects.create(channel=Delivery.Channel.EMAIL, to=to, subject=subject, text=text)
    _enqueue_after_commit(delivery)
    return delivery


def _enqueue_after_commit(delivery: Delivery) -> None:
    from .tasks import deliver

    transaction.on_commit(lambda: deliver.enqueue(delivery.pk))
