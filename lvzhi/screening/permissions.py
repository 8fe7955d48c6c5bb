"""Who may see and change the screening word lists.

- The secrecy office keeps the secrecy terms; nobody else sees those lists (S0-9).
- The information office and the secrecy office keep the sensitive-term and advert lists (S2-21).
- A list scoped to a body is kept by whoever holds the role at that body (or above it, reaching down); it is
  shown read-only to holders in the bodies below, where it applies too.
- A list without a scope applies everywhere; it is kept by holders at a top-level body (one without a parent).
The three administrators hold neither role and see nothing here.
"""

from django.db.models import Q

from lvzhi.accounts.permissions import active_assignments, has_any_role
from lvzhi.accounts.roles import Role

from .models import ListKind

SCREENING_ROLES = (Role.INFO_OFFICE, Role.SECRECY_OFFICE)
_KINDS_OF_ROLE = {
    Role.SECRECY_OFFICE: (ListKind.SECRET, ListKind.SENSITIVE, ListKind.ADVERT),
    Role.INFO_OFFICE: (ListKind.SENSITIVE, ListKind.ADVERT),
}


def roles_for_kind(kind: str) -> tuple[str, ...]:
    return tuple(role for role, kinds in _KINDS_OF_ROLE.items() if kind in kinds)


def _assignments(user, roles):
    return [a for a in active_assignments(user) if a.role in roles]


def may_use_screening(user) -> bool:
    return bool(_assignments(user, SCREENING_ROLES))


def kinds_for(user) -> list[str]:
    """The list kinds the user may see and keep somewhere, in display order."""
    held = {a.role for a in _assignments(user, SCREENING_ROLES)}
    return [kind for kind in ListKind.values if any(kind in _KINDS_OF_ROLE[role] for role in held)]


def may_keep_global_lists(user, kind: str) -> bool:
    return any(a.unit.parent_id is None for a in _assignments(user, roles_for_kind(kind)))


def may_view_list(user, word_list) -> bool:
    roles = roles_for_kind(word_list.kind)
    if word_list.body_id is None:
        return bool(_assignments(user, roles))
    if has_any_role(user, roles, word_list.body):
        return True
    # A list of a body above the user's applies to the user's texts too: shown, read-only.
    return any(a.unit.path.startswith(word_list.body.path) for a in _assignments(user, roles))


def may_manage_list(user, word_list) -> bool:
    if word_list.body_id is None:
        return may_keep_global_lists(user, word_list.kind)
    return has_any_role(user, roles_for_kind(word_list.kind), word_list.body)


def may_create_list(user, kind: str, body) -> bool:
    if kind not in ListKind.values:
        return False
    if body is None:
        return may_keep_global_lists(user, kind)
    return body.is_body and body.is_active and has_any_role(user, roles_for_kind(kind), body)


def visible_lists_q(user) -> Q:
    """A filter on WordList: the lists the user may see (kept by them, or applying to their bodies)."""
    q = Q(pk__in=[])
    for a in _assignments(user, SCREENING_ROLES):
        where = Q(body__isnull=True) | Q(body_id__in=a.unit.ancestor_ids())
        if a.include_descendants:
            where |= Q(body__path__startswith=a.unit.path)
        q |= Q(kind__in=_KINDS_OF_ROLE[a.role]) & where
    return q


def creatable_bodies_q(user) -> Q:
    """A filter on OrgUnit: the bodies where the user may create a list of some kind."""
    q = Q(pk__in=[])
    for a in _assignments(user, SCREENING_ROLES):
        q |= Q(pk=a.unit_id)
        if a.include_descendants:
            q |= Q(path__startswith=a.unit.path)
    return q & Q(kind="body", is_active=True)
