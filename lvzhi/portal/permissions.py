"""Who does what on the portal.

- the public (anyone, signed in or not): reads a site's published content, proposes topics and comments on open
  drafts (after the SMS code), looks up their topic by its code;
- the office of a body — staff or heads of its general office or of one of its special committees (the legislative
  affairs committee among them), or its information office —: answers topics, publishes drafts, moderates comments,
  records adoption and exports; for its own body only;
- the three administrators: nothing.
"""

from lvzhi.accounts.permissions import active_assignments, has_role, is_administrator
from lvzhi.accounts.roles import Role
from lvzhi.orgs.models import UnitFunction, UnitKind

OFFICE_ROLES = (Role.STAFF, Role.HEAD)


def _user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and not is_administrator(user)


def _office_unit(unit) -> bool:
    return unit.function == UnitFunction.GENERAL_OFFICE or unit.kind == UnitKind.COMMITTEE


def office_body_ids(user) -> set[int]:
    """The bodies whose portal office the user is part of."""
    if not _user(user):
        return set()
    ids = set()
    for a in active_assignments(user):
        if a.role in OFFICE_ROLES and _office_unit(a.unit) and a.unit.body_id:
            ids.add(a.unit.body_id)
        elif a.role == Role.INFO_OFFICE:
            ids.add(a.unit.body_id or a.unit_id)
    return ids


def is_office(user, body) -> bool:
    return body is not None and body.pk in office_body_ids(user)


def handles_topic(user, topic) -> bool:
    return is_office(user, topic.body)


def is_system_administrator(user) -> bool:
    """The system administrator sets up and edits the sites (host names, look, on/off) and nothing else here."""
    return bool(getattr(user, "is_authenticated", False)) and user.is_active and has_role(user, Role.SYSADMIN)


def may_edit_site(user, site) -> bool:
    return is_office(user, site.body) or is_system_administrator(user)
