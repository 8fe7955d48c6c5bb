from .models import Message


def inbox_for(user):
    return Message.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
