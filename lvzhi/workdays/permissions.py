from lvzhi.accounts.permissions import has_role
from lvzhi.accounts.roles import Role


def may_edit_calendar(user) -> bool:
    """The system administrator keeps the working-day calendar."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and has_role(user, Role.SYSADMIN))
