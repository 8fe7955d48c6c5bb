"""Reads of accounts data filtered for a user (and the member counts the leaders' dashboards read)."""

from django.db.models import Count

from lvzhi.core import cache

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

        def load():
            rows = MemberProfile.objects.filter(user=user).select_related("body", "sector", "committee", "delegation")
            return sorted(rows, key=lambda p: (not p.is_active, p.body.path))

        if getattr(user, "_lvzhi_roles_changed", False):  # changed in this transaction (see forget_assignments)
            memo = load()
        else:  # between requests: in the shared cache until the next audited write (profiles' changes are audited)
            memo = cache.cached(cache.WRITES_KEY, load, timeout=600, variant=("accounts.profiles", user.pk))
        user._lvzhi_profiles = memo
    return memo


def live_tokens(user):
    return user_tokens(user)


__all__ = ["ApiToken", "active_roles", "live_tokens", "member_profiles", "profiles_of"]


def members_per_unit(body, field: str, unit_ids) -> dict[int, int]:
    """The body's active members counted per committee (`field="committee"`) or sector: {unit id: members}."""
    rows = (
        MemberProfile.objects.filter(body=body, is_active=True, **{f"{field}__in": list(unit_ids)})
        .values(field)
        .annotate(n=Count("id"))
        .values_list(field, "n")
        .order_by()
    )
    return dict(rows)


def active_profiles(body, *, committees=None):
    """The body's active member profiles with user, committee and sector, by committee and name (a queryset, for a
    page or a further filter); `committees`: only those committees' members."""
    qs = (
        MemberProfile.objects.filter(body=body, is_active=True)
        .select_related("user", "committee", "sector")
        .order_by("committee__name", "user__real_name", "id")
    )
    return qs if committees is None else qs.filter(committee__in=committees)
