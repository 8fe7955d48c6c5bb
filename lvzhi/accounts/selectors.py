"""Reads of accounts data filtered for a user."""

from .models import ApiToken, MemberProfile, RoleAssignment
from .permissions import active_assignments
from .tokens import user_tokens


def active_roles(user) -> list[RoleAssignment]:
    """The user's active role assignments with their units (one query, cached for the request)."""
    return sorted(active_assignments(user), key=lambda a: (a.unit.path, a.role))


def member_profiles(user):
    return (
        MemberProfile.objects.filter(user=user, is_active=True)
        .select_related("body", "sector", "committee", "delegation")
        .order_by("body__path")
    )


def live_tokens(user):
    return user_tokens(user)


__all__ = ["ApiToken", "active_roles", "live_tokens", "member_profiles"]
