"""Who may see and handle personal-data change requests (S0-26): staff of the maintaining office, not their own."""

from lvzhi.accounts.permissions import has_role, is_administrator
from lvzhi.accounts.roles import Role

from .models import DataChangeRequest


def may_handle(user, request: DataChangeRequest) -> bool:
    """Staff of the maintaining office carry requests out — not their own."""
    return (
        getattr(user, "is_authenticated", False)
        and user.pk != request.user_id
        and not is_administrator(user)
        and has_role(user, Role.STAFF, request.unit)
    )


def may_view(user, request: DataChangeRequest) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk == request.user_id or may_handle(user, request)


def may_use_queue(user) -> bool:
    return getattr(user, "is_authenticated", False) and not is_administrator(user) and has_role(user, Role.STAFF)
