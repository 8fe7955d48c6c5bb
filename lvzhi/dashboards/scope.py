"""Who sees which figures: a unit's head its own units, a body's leaders the body, the province the bodies below.

A scope is a set of org-unit roots: a `head` role gives its unit (and the units below when the role reaches down),
a `leader` role gives the whole body of its unit (the body's subtree, so a provincial body's leaders also see the
bodies below it). Anyone else has no dashboards: every dashboard page answers "not found", the same as for a unit
outside one's scope (`access_unit`).
"""

from dataclasses import dataclass, field

from django.db.models import Q

from lvzhi.accounts.permissions import active_assignments, may_read_business_content
from lvzhi.accounts.roles import Role
from lvzhi.core.errors import NotFound
from lvzhi.orgs.models import OrgUnit, UnitKind

DASHBOARD_ROLES = (Role.LEADER, Role.HEAD)


@dataclass
class Scope:
    exact: set[int] = field(default_factory=set)  # units seen without the units below
    trees: dict[int, str] = field(default_factory=dict)  # unit id → path: the unit and everything below
    roots: list[OrgUnit] = field(default_factory=list)

    def __bool__(self):
        return bool(self.exact or self.trees)

    def q(self, field: str = "unit") -> Q:
        """Rows whose `field` (an OrgUnit foreign key) lies in the scope."""
        q = Q(**{f"{field}_id__in": sorted(self.exact)}) if self.exact else Q(pk__in=[])
        for path in self._paths():
            q |= Q(**{f"{field}__path__startswith": path})
        return q

    def _paths(self) -> list[str]:
        """The tree paths, those inside another one left out."""
        paths = sorted(set(self.trees.values()))
        return [p for i, p in enumerate(paths) if not any(p.startswith(o) for o in paths[:i])]

    @property
    def has_duty(self) -> bool:
        """Does the duty dashboard apply (a body's leader, or a committee's head)?"""
        return any(r.is_body or r.kind == UnitKind.COMMITTEE for r in self.roots)

    def covers(self, unit: OrgUnit) -> bool:
        return unit.pk in self.exact or any(unit.path.startswith(p) for p in self.trees.values())

    def covers_body(self, body: OrgUnit) -> bool:
        """Does the scope hold the whole body (its leaders' view)?"""
        return any(body.path.startswith(p) for p in self.trees.values())

    def _units_q(self) -> Q:
        q = Q(pk__in=sorted(self.exact)) if self.exact else Q(pk__in=[])
        for path in self._paths():
            q |= Q(path__startswith=path)
        return q

    def unit_ids(self) -> list[int]:
        return list(OrgUnit.objects.filter(self._units_q()).values_list("pk", flat=True))

    def rollup_q(self) -> Q:
        """`q("unit")` for a roll-up table with a `body` column: a scope of whole bodies (leaders') filters on the
        body ids, on the table's (body, month) index, instead of joining the units' paths."""
        if not self.exact and self.roots and all(r.is_body for r in self.roots):
            return Q(body_id__in=self.body_ids())
        return self.q("unit")

    def bodies(self) -> list[OrgUnit]:
        """The bodies wholly in the scope, top first (read once per scope)."""
        cached = getattr(self, "_bodies", None)
        if cached is not None:
            return cached
        q = Q(pk__in=[])
        for path in self._paths():
            q |= Q(path__startswith=path)
        self._bodies = list(OrgUnit.objects.filter(q, kind=UnitKind.BODY, is_active=True).order_by("depth", "path"))
        return self._bodies

    def body_ids(self) -> list[int]:
        return [b.pk for b in self.bodies()]

    def top_body_ids(self) -> list[int] | None:
        """For a scope of whole bodies only (leaders'): the bodies at the top of its trees, none inside another
        (their tree totals cover the scope); None for any other scope."""
        if self.exact or not self.roots or not all(r.is_body for r in self.roots):
            return None
        tops = set(self._paths())
        return sorted({r.pk for r in self.roots if r.path in tops})


def scope_of(user) -> Scope:
    """The user's dashboard scope (empty for anyone without a leader's or a head's role)."""
    scope = Scope()
    if not may_read_business_content(user):
        return scope
    for assignment in active_assignments(user):
        unit = assignment.unit
        if assignment.role == Role.LEADER:
            body = unit if unit.kind == UnitKind.BODY else unit.body
            if body is not None:
                scope.trees[body.pk] = body.path
                scope.roots.append(body)
        elif assignment.role == Role.HEAD:
            if assignment.include_descendants:
                scope.trees[unit.pk] = unit.path
            else:
                scope.exact.add(unit.pk)
            scope.roots.append(unit)
    return scope


def require_scope(user) -> Scope:
    scope = scope_of(user)
    if not scope:
        raise NotFound()
    return scope


def access_unit(user, unit_id, scope: Scope | None = None) -> OrgUnit:
    """The unit `unit_id` if it lies in the user's scope; "not found" for a missing unit and another's alike."""
    scope = scope if scope is not None else require_scope(user)
    try:
        unit = OrgUnit.objects.get(pk=int(unit_id))
    except (TypeError, ValueError, OrgUnit.DoesNotExist):
        raise NotFound() from None
    if not scope.covers(unit):
        raise NotFound()
    return unit


def narrow(scope: Scope, unit: OrgUnit | None) -> Scope:
    """The scope cut down to one unit of it (and the units below it)."""
    if unit is None:
        return scope
    if any(unit.path.startswith(p) for p in scope.trees.values()):
        return Scope(trees={unit.pk: unit.path}, roots=[unit])
    return Scope(exact={unit.pk}, roots=[unit])
