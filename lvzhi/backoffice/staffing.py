"""Workflow steps nobody can take: the back office's staffing warnings (and the demo's staffing check).

A case or article strands when the unit its next step goes to has nobody holding the step's role. Checked:
- approval chains of every active column: each step's role at its unit, by someone other than a possible author
  (a step whose only holder drafts in that column is a gap: nobody reviews their own article);
- the special committees that members belong to and each body's members' liaison office (public-opinion
  reports are routed there: office staff);
- the members' hotline (hotline staff);
- handling units (handling-unit staff, and an office head who signs the reply letters off).
Reads a bounded number of queries (role assignments of the units concerned at once), never business content.
"""

import dataclasses
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from lvzhi.accounts.models import MemberProfile, RoleAssignment
from lvzhi.accounts.permissions import active_assignments
from lvzhi.accounts.roles import Role
from lvzhi.content import selectors as content_selectors
from lvzhi.orgs.models import OrgUnit, UnitFunction, UnitKind

DRAFTER_ROLES = (Role.STAFF, Role.HEAD)


@dataclass(frozen=True)
class Gap:
    kind: str  # chain | reports | hotline | handling
    area: str  # translated: approval chain, public-opinion reports, hotline, handling units
    unit: OrgUnit | None
    role: str
    what: str  # translated: the step nobody can take
    holders: int
    body: str = ""

    @property
    def role_label(self) -> str:
        return _role_label(self.role)


class Holders:
    """Active holders of roles at units, from one query over the units and their ancestors."""

    def __init__(self, units):
        units = [u for u in units if u is not None]
        ids = set()
        for unit in units:
            ids.add(unit.pk)
            ids.update(unit.ancestor_ids())
        rows = RoleAssignment.objects.filter(
            unit_id__in=ids, revoked_at__isnull=True, user__is_active=True, user__is_frozen=False
        ).values_list("user_id", "role", "unit_id", "include_descendants")
        self._direct = defaultdict(set)  # (unit id, role) -> user ids
        self._reaching = defaultdict(set)  # (unit id, role) -> user ids reaching below
        for user_id, role, unit_id, below in rows:
            self._direct[(unit_id, role)].add(user_id)
            if below:
                self._reaching[(unit_id, role)].add(user_id)

    def of(self, unit, role) -> set:
        if unit is None:
            return set()
        found = set(self._direct[(unit.pk, role)])
        for ancestor in unit.ancestor_ids():
            found |= self._reaching[(ancestor, role)]
        return found


def _role_label(role) -> str:
    try:
        return str(Role(role).label)
    except ValueError:
        return str(role)


def _chain_gaps(body, needs, holders: Holders) -> list[Gap]:
    gaps = []
    columns = {need.column.pk: need.column for need in needs}
    for column in columns.values():
        owners = [u for u in column.owners.all() if u.is_active]
        if not any(holders.of(owner, role) for owner in owners for role in DRAFTER_ROLES):
            what = _("%(column)s: write articles") % {"column": column.name}
            gaps.append(Gap("chain", _("Approval chain"), owners[0] if owners else None, Role.STAFF, what, 0))
    for need in needs:
        column = need.column
        what = _("%(column)s, step %(n)s: %(role)s") % {
            "column": column.name,
            "n": need.position,
            "role": _role_label(need.role),
        }
        if need.unit is None:
            function = dict(UnitFunction.choices).get(need.function, need.function)
            gaps.append(Gap("chain", _("Approval chain"), None, need.role, f"{what} · {function}", 0))
            continue
        if need.host and not any(holders.of(need.owner or need.unit, role) for role in DRAFTER_ROLES):
            continue  # nobody writes for this department: no article of it will wait on this step
        who = holders.of(need.unit, need.role)
        drafters = set()
        for owner in column.owners.all():
            for role in DRAFTER_ROLES:
                drafters |= holders.of(owner, role)
        if not who or (len(who) == 1 and who <= drafters):
            gaps.append(Gap("chain", _("Approval chain"), need.unit, need.role, what, len(who)))
    return gaps


def staffing_gaps(bodies) -> list[Gap]:
    """Every workflow step of `bodies` that nobody (or only a possible author) can take."""

    bodies = list(bodies)
    needs = {body.pk: content_selectors.chain_needs(body) for body in bodies}
    body_ids = [b.pk for b in bodies]
    committees = list(
        OrgUnit.objects.filter(
            Q(pk__in=MemberProfile.objects.filter(body_id__in=body_ids, is_active=True).values("committee_id"))
            | Q(body_id__in=body_ids, function=UnitFunction.LIAISON_OFFICE),
            is_active=True,
        ).order_by("path")
    )
    special = list(
        OrgUnit.objects.filter(
            body_id__in=body_ids, kind__in=[UnitKind.HOTLINE, UnitKind.HANDLING_UNIT], is_active=True
        )
        .exclude(pk__in=body_ids)
        .order_by("path")
    )
    units = [n.unit for ns in needs.values() for n in ns] + committees + special + bodies
    for ns in needs.values():
        for n in ns:
            units += list(n.column.owners.all())
    holders = Holders(units)
    gaps = []
    for body in bodies:
        gaps += [dataclasses.replace(g, body=body.name) for g in _chain_gaps(body, needs[body.pk], holders)]
    names = {b.pk: b.name for b in bodies}
    for unit in committees:
        if not holders.of(unit, Role.STAFF):
            gaps.append(
                Gap(
                    "reports",
                    _("Public-opinion reports"),
                    unit,
                    Role.STAFF,
                    _("Receive and forward reports"),
                    0,
                    names.get(unit.body_id, ""),
                )
            )
    for unit in special:
        if unit.kind == UnitKind.HOTLINE and not holders.of(unit, Role.HOTLINE):
            what = _("Answer forwarded reports")
            gaps.append(Gap("hotline", _("Members' hotline"), unit, Role.HOTLINE, what, 0, names.get(unit.body_id, "")))
        if unit.kind == UnitKind.HANDLING_UNIT:
            if not holders.of(unit, Role.HANDLING):
                what = _("Handle assigned items")
                gaps.append(
                    Gap("handling", _("Handling units"), unit, Role.HANDLING, what, 0, names.get(unit.body_id, ""))
                )
            if not holders.of(unit, Role.HEAD):
                what = _("Sign reply letters off")
                gaps.append(Gap("handling", _("Handling units"), unit, Role.HEAD, what, 0, names.get(unit.body_id, "")))
    return gaps


def bodies_in_scope(user, roles) -> list[OrgUnit]:
    """The bodies at or below the units where `user` holds one of `roles` (reaching below where granted so)."""

    q = Q(pk__in=[])
    for a in active_assignments(user):
        if a.role in roles:
            q |= Q(pk=a.unit.body_id)
            if a.include_descendants:
                q |= Q(path__startswith=a.unit.path)
    return list(OrgUnit.objects.filter(q, kind=UnitKind.BODY, is_active=True).order_by("path"))
