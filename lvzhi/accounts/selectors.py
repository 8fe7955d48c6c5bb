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


def profiles_of(user) -> list:
    """Every member profile of the user (active first, then by body), with body, sector, committee and delegation:
    one query, kept on the user object for the request (the home page's work links ask from several modules)."""
    memo = getattr(user, "_lvzhi_profiles", None)
    if memo is None:
        rows = MemberProfile.objects.filter(user=user).select_related("body", "sector", "committee", "delegation")
        memo = sorted(rows, key=lambda p: (not p.is_active, p.body.path))
        user._lvzhi_profiles = memo
    return memo


def live_tokens(user):
    return user_tokens(user)


__all__ = ["ApiToken", "active_roles", "live_tokens", "member_profiles", "profiles_of"]
