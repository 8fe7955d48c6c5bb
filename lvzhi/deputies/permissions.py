"""Who may do what with deputies' pages, stations and reception days.

- the office of a body (its liaison office, else its general office, else the body's own staff or head): the pages
  of the body's deputies (what is shown, published or not), its stations and reception days;
- a station's staff (staff or head at the station's unit): the station's reception days and bookings;
- a deputy: their own page as the public sees it; a standing-committee member and a deputy: their contact records;
- the public: published pages, active stations, announced reception days.
"""

from django.db.models import Q

from lvzhi.accounts.models import MemberProfile
from lvzhi.accounts.permissions import has_any_role, has_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.letters.permissions import OFFICE_ROLES, is_office, office_bodies, office_of

__all__ = ["OFFICE_ROLES", "is_deputy", "is_office", "is_station_staff", "office_bodies", "office_of", "office_q"]


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def office_q(user, field: str = "body") -> Q:
    return Q(**{f"{field}_id__in": office_bodies(user)})


def is_station_staff(user, station) -> bool:
    return _user(user) and (has_any_role(user, OFFICE_ROLES, station.unit) or is_office(user, station.body))


def is_deputy(user) -> bool:
    return _user(user) and has_role(user, Role.DEPUTY)


def is_committee_member(user, body) -> bool:
    """A standing-committee member of `body`: holds the leader role there (组成人员 are the body's leaders here)."""
    return _user(user) and has_role(user, Role.LEADER, body)


def is_channel_deputy(user, channel) -> bool:
    """A deputy of the channel's group or delegation (their profile names it), who posts and moderates."""
    return _user(user) and MemberProfile.objects.filter(user=user, delegation=channel.unit).exists()


def moderates(user, channel) -> bool:
    return is_channel_deputy(user, channel) or is_office(user, channel.body)
