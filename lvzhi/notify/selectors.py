from lvzhi.core import cache
from lvzhi.core.errors import NotFound

from .models import Message


def inbox_for(user, *, unread_only: bool = False):
    """The user's messages, newest first."""
    qs = Message.objects.filter(recipient=user).order_by("-created_at", "-id")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(user) -> int:
    """The number of unread messages: once per request (kept on the user object), from the shared cache between
    changes (`notify.services` bumps the user's key when a message arrives or is read)."""
    memo = getattr(user, "_lvzhi_unread", None)
    if memo is None:
        memo = cache.cached(
            unread_key(user.pk), lambda: Message.objects.filter(recipient=user, read_at__isnull=True).count()
        )
        user._lvzhi_unread = memo
    return memo


def unread_key(user_id):
    return ("notify.unread", user_id)


def access_message(user, message_id) -> Message:
    """The user's own message; another user's message and a missing one are the same `NotFound`."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    try:
        message_id = int(message_id)
    except (TypeError, ValueError):
        raise NotFound()
    message = Message.objects.filter(pk=message_id, recipient=user).first()
    if message is None:
        raise NotFound()
    return message
